/* Reading a tn event stream (tn-events(5)) record by record. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "error.h"

/*
 * Lines come from tn_lines (io.h): from a descriptor through one buffer of
 * TN_EV_LINE_MAX plus one read's worth, from memory in place.  Each line must be one
 * JSON object with a string member "type".  Most lines are checked and
 * split into their top-level members by a fast scanner that accepts a
 * strict subset of JSON (ASCII, small integers, plain strings); anything
 * outside that subset is handed to jansson, which decides: so the reader
 * accepts and rejects exactly what json_loadb() does, and its error messages
 * and columns are jansson's.
 *
 * Errors (a malformed line, a line over TN_EV_LINE_MAX, NUL bytes, invalid
 * UTF-8, a last line without its newline, a read error) are reported as
 * FILE:LINE:COL in struct tn_error; every record before the bad line has
 * been delivered.  After an error the reader keeps returning it.
 */

/* Record kinds of tn-events(5); TN_EV_K_OTHER for any other "type". */
enum tn_ev_kind {
	TN_EV_K_OTHER = 0,
	TN_EV_K_HEADER,
	TN_EV_K_SYSCALL,
	TN_EV_K_PROC,
	TN_EV_K_EXEC,
	TN_EV_K_EXIT,
	TN_EV_K_SIGNAL,
	TN_EV_K_SPAN,
	TN_EV_K_SUMMARY,
	TN_EV_K_RESULT,
	TN_EV_K_ERROR,
};

enum tn_ev_vtype {
	TN_EV_V_NULL,
	TN_EV_V_BOOL,
	TN_EV_V_INT,            /* an integer that fits int64_t: .i */
	TN_EV_V_REAL,           /* any other number: .d */
	TN_EV_V_STR,            /* .s/.slen, decoded, not NUL-terminated */
	TN_EV_V_ARRAY,          /* nested values are not split out */
	TN_EV_V_OBJECT,
};

/* One top-level member of a record.  Pointers are valid until the next call. */
struct tn_ev_member {
	const char *key;
	size_t klen;
	enum tn_ev_vtype type;
	const char *s;
	size_t slen;
	int64_t i;
	double d;
	bool b;
};

struct tn_ev_rec {
	const char *line;       /* the raw line; line[len] is its '\n' */
	size_t len;
	unsigned long lineno;   /* 1-based, counted over this reader's input */
	enum tn_ev_kind kind;
	const char *type;       /* the "type" member (not NUL-terminated) */
	size_t type_len;
	size_t nmembers;
	const struct tn_ev_member *members;
};

struct tn_ev_reader;

/* Read from fd (not closed by the reader); name is used in error positions. */
struct tn_ev_reader *tn_ev_reader_new_fd(int fd, const char *name);
/* Read from memory, in place (data must outlive the reader). */
struct tn_ev_reader *tn_ev_reader_new_mem(const void *data, size_t len, const char *name);
void tn_ev_reader_free(struct tn_ev_reader *r);    /* NULL-safe */

/*
 * Next record: returns 1 and sets *rec (valid until the next call), 0 at the
 * end of a well-formed stream, or a negative errno with e filled in.
 */
int tn_ev_reader_next(struct tn_ev_reader *r, const struct tn_ev_rec **rec,
		      struct tn_error *e);

/* How many lines the fast scanner took and how many went to jansson. */
void tn_ev_reader_stats(const struct tn_ev_reader *r, uint64_t *fast, uint64_t *slow);

/* The last member named key (JSON allows duplicates; the last one counts). */
const struct tn_ev_member *tn_ev_rec_get(const struct tn_ev_rec *rec, const char *key);
/* Typed look-ups: true when present with that type. */
bool tn_ev_rec_int(const struct tn_ev_rec *rec, const char *key, int64_t *v);
bool tn_ev_rec_str(const struct tn_ev_rec *rec, const char *key, const char **s, size_t *n);
bool tn_ev_rec_bool(const struct tn_ev_rec *rec, const char *key, bool *v);

/* The kind for a "type" value. */
enum tn_ev_kind tn_ev_kind_of(const char *type, size_t len);
