/* Error values that library code returns and only a program's main() prints. */
#pragma once

#include <stddef.h>

/*
 * Library functions return 0 or a negative errno-style code and, when the
 * caller passed one, fill a struct tn_error with where and what.  They never
 * print and never exit: the program reports the error once, as
 * "tn-NAME: FILE:LINE:COL: message" (see tn_tool_report()).
 */
struct tn_error {
	int code;               /* negative errno, or -EINVAL etc. */
	const char *file;       /* borrowed: name of the input, NULL if none */
	unsigned long line;     /* 1-based, 0 when unknown */
	unsigned long col;      /* 1-based, 0 when unknown */
	char msg[512];
};

/*
 * Set the message (printf-style) and code; returns code for "return
 * tn_error_set(...)".  A message longer than msg is cut on a UTF-8 character
 * boundary.
 */
int tn_error_set(struct tn_error *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Same, with a position in a named input. */
int tn_error_set_at(struct tn_error *e, int code, const char *file,
		    unsigned long line, unsigned long col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Format as "FILE:LINE:COL: msg" (parts omitted when unknown) into buf. */
size_t tn_error_format(const struct tn_error *e, char *buf, size_t size);
