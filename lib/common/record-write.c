/* SPDX-License-Identifier: MIT */
/* tn_write_records(): write whole records, cut back a partial one. */
#include "record-write.h"

#include <sys/stat.h>

#include <unistd.h>

#include "io.h"

/* done bytes of p reached fd, and the file ends after them: keep only whole records. */
static void cut_back(int fd, const char *p, size_t done)
{
	size_t keep = done;
	struct stat st;
	off_t end;

	while (keep > 0 && p[keep - 1] != '\n')
		keep--;
	if (keep == done || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	/* With O_APPEND too, the offset is just past what this call wrote. */
	end = lseek(fd, 0, SEEK_CUR);
	if (end < (off_t)(done - keep))
		return;
	end -= (off_t)(done - keep);
	if (ftruncate(fd, end) == 0)
		(void)lseek(fd, end, SEEK_SET);
}

int tn_write_records(int fd, const void *p, size_t n)
{
	size_t done;
	int r = tn_write_all(fd, p, n, &done);

	if (r < 0 && done > 0)
		cut_back(fd, p, done);
	return r;
}
