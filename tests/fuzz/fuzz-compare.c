/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: tn-compare's library (lib/compare) on two event
 * streams made from one input, with oracles beyond the sanitizers
 * (tests/fuzz/README.md):
 *
 *  - the input is split at its first form feed line ("\f\n") into the
 *    golden and the new side; an input without one is compared with
 *    itself;
 *  - a stream that cannot be read is refused with an error that names the
 *    stream and carries a line, and whose code is the return value;
 *  - a stream compared with itself is never reported different or slower
 *    (tn_cmp_report() returns 0, or an error for what it refuses);
 *  - with --format=json every record written parses as an object with a
 *    string "type"; the text report has no control character but its
 *    newlines and tabs (what came from the input is escaped).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>

#include "compare.h"
#include "ev-out.h"
#include "io.h"

#define NAME_GOLDEN "golden"
#define NAME_NEW "new"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond) do { if (!(cond)) fail(#cond, __LINE__); } while (0)

static void fail(const char *what, int line)
{
	fprintf(stderr, "fuzz-compare.c:%d: oracle failed: %s\n", line, what);
	abort();
}

/* A memory file holding p[0..n), at offset 0. */
static int memfile(const void *p, size_t n)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);

	check(fd >= 0);
	check(tn_write_all(fd, p, n, NULL) == 0);
	check(lseek(fd, 0, SEEK_SET) == 0);
	return fd;
}

/* What a report wrote to fd: its bytes (malloc'd, NUL-terminated). */
static char *slurp(int fd, size_t *len)
{
	off_t end = lseek(fd, 0, SEEK_END);
	char *buf;

	check(end >= 0);
	buf = malloc((size_t)end + 1);
	check(buf != NULL);
	check(pread(fd, buf, (size_t)end, 0) == end);
	buf[end] = '\0';
	*len = (size_t)end;
	return buf;
}

static void check_json(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		json_error_t err;
		json_t *j;

		check(nl != NULL);      /* whole records only */
		j = json_loadb(p, (size_t)(nl - p), JSON_REJECT_DUPLICATES, &err);
		check(j != NULL);
		check(json_is_object(j) && json_is_string(json_object_get(j, "type")));
		json_decref(j);
		p = nl + 1;
	}
}

static void check_text(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		check(c >= 0x20 || c == '\n' || c == '\t');
		check(c != 0x7f);
	}
}

/* Read both sides; returns 0, or the error that refused a stream. */
static int load(struct tn_cmp *c, const uint8_t *g, size_t gn, const uint8_t *n, size_t nn)
{
	const struct { int side; const char *name; const uint8_t *p; size_t len; } in[] = {
		{ TN_CMP_GOLDEN, NAME_GOLDEN, g, gn },
		{ TN_CMP_NEW, NAME_NEW, n, nn },
	};

	for (size_t i = 0; i < 2; i++) {
		struct tn_error e = { 0 };
		int fd = memfile(in[i].p, in[i].len);
		int r = tn_cmp_read_fd(c, in[i].side, fd, in[i].name, &e);

		close(fd);
		if (r < 0) {
			check(e.code == r);
			check(e.msg[0] != '\0');
			check(e.file != NULL && strcmp(e.file, in[i].name) == 0);
			check(e.line >= 1);
			return r;
		}
		check(r == 0);
	}
	return 0;
}

/* Compare and check the report; returns what tn_cmp_report() returned. */
static int compare(const struct tn_cmp_opts *o, const uint8_t *g, size_t gn,
		   const uint8_t *n, size_t nn, bool json)
{
	struct tn_cmp *c = tn_cmp_new(o);
	struct tn_ev_out *out = malloc(sizeof(*out));
	struct tn_error e = { 0 };
	int fd, r;
	size_t len;
	char *buf;

	check(c != NULL && out != NULL);
	if (load(c, g, gn, n, nn) < 0) {
		tn_cmp_free(c);
		free(out);
		return -1;
	}
	fd = memfile("", 0);
	tn_ev_out_init(out, fd);
	r = tn_cmp_report(c, out, json, &e);
	check(tn_ev_out_flush(out) == 0);
	if (r < 0) {
		check(e.code == r);
		check(e.msg[0] != '\0');
	} else {
		check(r == 0 || r == 1);
	}
	buf = slurp(fd, &len);
	if (json)
		check_json(buf, len);
	else
		check_text(buf, len);
	free(buf);
	close(fd);
	free(out);
	tn_cmp_free(c);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tn_cmp_opts o;
	static bool ready;
	const uint8_t *cut = NULL;

	if (!ready) {
		struct tn_error e = { 0 };

		if (tn_cmp_opts_init(&o, &e) < 0)
			abort();
		ready = true;
	}
	for (size_t i = 0; i + 1 < size; i++) {
		if (data[i] == '\f' && data[i + 1] == '\n' && (i == 0 || data[i - 1] == '\n')) {
			cut = data + i;
			break;
		}
	}
	if (cut) {
		size_t gn = (size_t)(cut - data);

		compare(&o, data, gn, cut + 2, size - gn - 2, false);
		compare(&o, data, gn, cut + 2, size - gn - 2, true);
	}
	/* Each stream against itself: never "different", never "slower". */
	check(compare(&o, data, cut ? (size_t)(cut - data) : size,
		      data, cut ? (size_t)(cut - data) : size, false) <= 0);
	return 0;
}
