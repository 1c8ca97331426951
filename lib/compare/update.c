/* SPDX-License-Identifier: MIT */
/* tn-compare --update: replace a golden file atomically. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "reader.h"

int tn_cmp_update(const char *golden, int fd, const char *name, bool force,
		  struct tn_error *e)
{
	struct tn_ev_reader *rd = NULL;
	const struct tn_ev_rec *rec;
	char *dircopy = strdup(golden), *tmp = NULL;
	const char *dir;
	int tfd = -1, dfd = -1, rc;
	uint64_t records = 0, events = 0;
	int64_t first_pid = -1, code;
	bool failed = false;
	const char *sig = NULL;
	size_t sn = 0;

	if (!dircopy)
		return tn_error_set(e, -ENOMEM, "out of memory");
	dir = dirname(dircopy);
	if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, strrchr(golden, '/') ? strrchr(golden, '/') + 1 : golden) < 0) {
		tmp = NULL;
		rc = tn_error_set(e, -ENOMEM, "out of memory");
		goto out;
	}
	/* In golden's directory, so that rename() replaces it in one step. */
	tfd = mkstemp(tmp);
	if (tfd < 0) {
		rc = tn_error_set_at(e, -errno, tmp, 0, 0, "cannot create: %s", strerror(errno));
		goto out_notmp;
	}
	rd = tn_ev_reader_new_fd(fd, name);
	if (!rd) {
		rc = tn_error_set(e, -ENOMEM, "out of memory");
		goto out;
	}
	while ((rc = tn_ev_reader_next(rd, &rec, e)) > 0) {
		int64_t pid;

		records++;
		if (rec->kind == TN_EV_K_SYSCALL || rec->kind == TN_EV_K_SPAN)
			events++;
		if (rec->kind == TN_EV_K_PROC && first_pid < 0 && tn_ev_rec_int(rec, "pid", &pid))
			first_pid = pid;
		if (rec->kind == TN_EV_K_EXIT && tn_ev_rec_int(rec, "pid", &pid) && pid == first_pid) {
			bool thread = false;

			tn_ev_rec_bool(rec, "thread", &thread);
			if (!thread && tn_ev_rec_int(rec, "code", &code) && code != 0)
				failed = true;
			if (!thread && tn_ev_rec_str(rec, "signal", &sig, &sn))
				failed = true, code = -1;
		}
		if ((rc = tn_write_all(tfd, rec->line, rec->len + 1, NULL)) < 0) {
			rc = tn_error_set_at(e, rc, tmp, 0, 0, "write error: %s", strerror(-rc));
			goto out;
		}
	}
	if (rc < 0)
		goto out;
	if (!events) {
		rc = tn_error_set_at(e, -ENODATA, name, 0, 0,
				     "empty trace: no syscall or span records; golden not updated");
		goto out;
	}
	if (failed && !force) {
		rc = tn_error_set_at(e, -EINVAL, name, 0, 0,
				     "the traced command %s; golden not updated (--force records it)",
				     code >= 0 ? "exited with a non-zero status" : "was killed by a signal");
		goto out;
	}
	if (fsync(tfd) < 0 || close(tfd) < 0) {
		tfd = -1;
		rc = tn_error_set_at(e, -errno, tmp, 0, 0, "write error: %s", strerror(errno));
		goto out;
	}
	tfd = -1;
	if (rename(tmp, golden) < 0) {
		rc = tn_error_set_at(e, -errno, golden, 0, 0, "cannot replace: %s", strerror(errno));
		goto out;
	}
	/* The rename itself is durable once the directory is. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	rc = 0;
	free(tmp);
	tmp = NULL;
	goto out_notmp;
out:
	if (tfd >= 0)
		close(tfd);
	if (tmp)
		unlink(tmp);
out_notmp:
	(void)records;
	tn_ev_reader_free(rd);
	free(tmp);
	free(dircopy);
	return rc;
}
