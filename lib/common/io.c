/* SPDX-License-Identifier: MIT */
/* The one I/O layer of tn: lines in, write-all, a monotonic clock, a hash, UTF-8. */
#include "io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- lines ---- */

static void lines_init(struct tn_lines *l, const char *name, size_t max,
		       enum tn_lines_policy policy)
{
	*l = (struct tn_lines){ .name = name, .fd = -1, .max = max, .policy = policy };
}

int tn_lines_init_fd(struct tn_lines *l, int fd, const char *name, size_t max,
		     enum tn_lines_policy policy)
{
	lines_init(l, name, max, policy);
	if (max > SIZE_MAX - 1 - TN_LINES_CHUNK)
		return -EOVERFLOW;
	l->fd = fd;
	l->cap = max + 1 + TN_LINES_CHUNK;
	l->own = malloc(l->cap);
	l->base = l->own;
	return l->own ? 0 : -ENOMEM;
}

void tn_lines_init_mem(struct tn_lines *l, const void *data, size_t len, const char *name,
		       size_t max, enum tn_lines_policy policy)
{
	lines_init(l, name, max, policy);
	l->base = data;
	l->end = l->cap = len;
	l->eof = true;          /* all of it is "in the buffer" already */
}

void tn_lines_finish(struct tn_lines *l)
{
	if (!l)
		return;
	free(l->own);
	l->own = NULL;
	l->base = NULL;
	l->pos = l->end = l->scanned = 0;
}

/* The error that ended the input, again. */
static int ended(const struct tn_lines *l, struct tn_error *e)
{
	if (e)
		*e = l->err;
	return l->err.code;
}

static int give(struct tn_lines *l, size_t len, bool nl, struct tn_line *ret)
{
	ret->text = l->base + l->pos;
	ret->len = len;
	ret->lineno = ++l->lineno;
	ret->nl = nl;
	l->pos = l->scanned = l->pos + len + nl;
	return 1;
}

/* The line at pos is longer than max; nl is its newline when already seen. */
static int too_long(struct tn_lines *l, const char *nl, struct tn_error *e)
{
	bool stop = l->policy == TN_LINES_STOP;
	struct tn_error scratch, *to = stop ? &l->err : e ? e : &scratch;

	l->lineno++;
	tn_error_set_at(to, -E2BIG, l->name, l->lineno, stop ? l->max + 1 : 1,
			"line longer than %zu bytes", l->max);
	if (stop)
		return ended(l, e);
	if (nl) {
		l->pos = l->scanned = (size_t)(nl - l->base) + 1;
	} else {
		l->pos = l->scanned = l->end;   /* drop what we have of it */
		l->skipping = true;
	}
	return -E2BIG;
}

/* Move the partial line to the start of the buffer and read after it. */
static int fill(struct tn_lines *l)
{
	size_t avail = l->end - l->pos;
	ssize_t n;

	if (l->pos > 0) {
		memmove(l->own, l->own + l->pos, avail);
		l->scanned -= l->pos;
		l->pos = 0;
		l->end = avail;
	}
	do
		n = read(l->fd, l->own + l->end, l->cap - l->end);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int code = -errno;

		return tn_error_set_at(&l->err, code, l->name, 0, 0, "read error: %s",
				       strerror(-code));
	}
	if (n == 0)
		l->eof = true;
	l->end += (size_t)n;
	return 0;
}

int tn_lines_next(struct tn_lines *l, struct tn_line *ret, struct tn_error *e)
{
	if (l->err.code)
		return ended(l, e);
	for (;;) {
		const char *nl = l->end > l->scanned ?
			memchr(l->base + l->scanned, '\n', l->end - l->scanned) : NULL;

		if (nl && l->skipping) {
			l->pos = l->scanned = (size_t)(nl - l->base) + 1;
			l->skipping = false;
			continue;
		}
		if (nl) {
			size_t len = (size_t)(nl - l->base) - l->pos;

			if (len > l->max)
				return too_long(l, nl, e);
			return give(l, len, true, ret);
		}
		l->scanned = l->end;
		if (l->skipping)
			l->pos = l->end;
		else if (l->end - l->pos > l->max)
			return too_long(l, NULL, e);
		if (l->eof)
			return l->pos < l->end ? give(l, l->end - l->pos, false, ret) : 0;
		if (fill(l) < 0)
			return ended(l, e);
	}
}

/* ---- writing, clock, hash, UTF-8 ---- */

int tn_write_all(int fd, const void *p, size_t n, size_t *ret_done)
{
	const char *c = p;
	size_t done = 0;
	int ret = 0;

	while (done < n) {
		ssize_t k = write(fd, c + done, n - done);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (k == 0) {           /* not for regular files or pipes; be safe */
			ret = -EIO;
			break;
		}
		done += (size_t)k;
	}
	if (ret_done)
		*ret_done = done;
	return ret;
}

int tn_replace_file(const char *path, const void *p, size_t n)
{
	char *tmp;
	int fd, r;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
		return -ENOMEM;
	fd = mkstemp(tmp);
	if (fd < 0) {
		r = -errno;
		free(tmp);
		return r;
	}
	r = tn_write_all(fd, p, n, NULL);
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		(void)unlink(tmp);
	free(tmp);
	return r;
}

uint64_t tn_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t tn_fnv1a64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

size_t tn_utf8_char_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)
			return 0;       /* overlong */
		if (c == 0xed && s[1] > 0x9f)
			return 0;       /* surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)
			return 0;       /* overlong */
		if (c == 0xf4 && s[1] > 0x8f)
			return 0;       /* past U+10FFFF */
		return 4;
	}
	return 0;
}

size_t tn_utf8_valid_prefix(const void *s, size_t n)
{
	const unsigned char *b = s;
	size_t i = 0;

	while (i < n) {
		size_t k = tn_utf8_char_len(b + i, n - i);

		if (!k)
			break;
		i += k;
	}
	return i;
}
