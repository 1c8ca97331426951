/* SPDX-License-Identifier: MIT */
/* The one I/O layer of tn: lines in, write-all, a monotonic clock, a hash, UTF-8. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/*
 * Lines, from a file descriptor or from memory.  A line is what comes before
 * a '\n' (NUL bytes included), at most `max` bytes besides its newline; the
 * last line of the input may lack its newline (tn_line.nl says so, and the
 * caller decides whether that is an error).  Reading from a descriptor uses
 * one buffer of max + 1 + TN_LINES_CHUNK bytes, whatever the input's size;
 * reading from memory copies nothing.  read(2) is repeated on EINTR.
 *
 * A line longer than max is -E2BIG, "line longer than MAX bytes", at its
 * line; what follows depends on the policy:
 *  - TN_LINES_STOP: the position is the first byte past the bound (column
 *    max + 1) and the error ends the input: every later call returns it.
 *  - TN_LINES_SKIP: the line as a whole is dropped (column 1); the next call
 *    returns the line after it.
 * A read error is "read error: STRERROR" without a position, and ends the
 * input.  After an error that ends the input, every call returns it again.
 */
enum tn_lines_policy {
	TN_LINES_STOP,
	TN_LINES_SKIP,
};

/* What one read(2) asks for at least. */
#define TN_LINES_CHUNK (256u * 1024u)

struct tn_line {
	const char *text;       /* not NUL-terminated; text[len] is '\n' when nl */
	size_t len;
	unsigned long lineno;   /* 1-based */
	bool nl;                /* false: the input's last line, without newline */
};

/* The splitter's state; the members are its own. */
struct tn_lines {
	const char *name;       /* borrowed, for error positions */
	int fd;                 /* -1: memory */
	const char *base;       /* the buffer (fd), or the memory */
	char *own;              /* the buffer we read into (fd), else NULL */
	size_t cap, max, pos, end, scanned;
	unsigned long lineno;   /* lines returned or reported so far (may be read) */
	enum tn_lines_policy policy;
	bool eof;
	bool skipping;          /* SKIP: the rest of an over-long line comes next */
	struct tn_error err;    /* an error that ended the input (code 0: none) */
};

/* Lines of fd (not closed here).  0, or -ENOMEM (or -EOVERFLOW for a max
 * too big for a buffer). */
int tn_lines_init_fd(struct tn_lines *l, int fd, const char *name, size_t max,
		     enum tn_lines_policy policy);
/* Lines of data[0..len), read in place: data must outlive the lines. */
void tn_lines_init_mem(struct tn_lines *l, const void *data, size_t len, const char *name,
		       size_t max, enum tn_lines_policy policy);
void tn_lines_finish(struct tn_lines *l);      /* frees the buffer; NULL-safe */

/*
 * The next line: 1 and *ret (text valid until the next call), 0 at the end
 * of the input, or a negative errno with e (when not NULL) filled in.
 */
int tn_lines_next(struct tn_lines *l, struct tn_line *ret, struct tn_error *e);

/*
 * Write all n bytes of p to fd, retrying on EINTR and short writes.
 * Returns 0, or -errno of the write that failed; *ret_done (when not NULL)
 * receives the number of bytes written either way.
 */
int tn_write_all(int fd, const void *p, size_t n, size_t *ret_done);

/*
 * Replace the file path with p[0..n) atomically: written to a temporary
 * file beside it ("PATH.XXXXXX"), then renamed over it, so a reader sees
 * the old file or the whole new one, never a part; two writers at once
 * leave one of their files whole.  Returns 0 or -errno; on failure path is
 * untouched and the temporary file removed.
 */
int tn_replace_file(const char *path, const void *p, size_t n);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t tn_now_ns(void);

/* FNV-1a, 64 bits: h is the running value, TN_FNV1A64_INIT to start. */
#define TN_FNV1A64_INIT 0xcbf29ce484222325ull
uint64_t tn_fnv1a64(uint64_t h, const void *p, size_t n);

/*
 * Length (1..4) of the valid UTF-8 sequence at s, of at most n bytes, or 0
 * when it is not valid UTF-8 (overlong forms, surrogates and code points
 * past U+10FFFF are invalid).
 */
size_t tn_utf8_char_len(const unsigned char *s, size_t n);

/* The length of the longest prefix of s[0..n) that is valid UTF-8. */
size_t tn_utf8_valid_prefix(const void *s, size_t n);
