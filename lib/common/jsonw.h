/* A small, allocation-light writer of one-line JSON records (tn-events(5)). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A record is built in memory and written with a single write(2), so
 * concurrent writers to one pipe or O_APPEND file never interleave parts of
 * lines.  The buffer grows as needed; after tn_jw_reset() it is reused, so a
 * hot loop allocates only while records keep getting longer.
 *
 * Commas are inserted automatically: call tn_jw_key() before each member of
 * an object, nothing before each element of an array.
 *
 * Strings are written as valid JSON: control characters escaped, bytes that
 * are not valid UTF-8 replaced by U+FFFD.  Floating-point values that JSON
 * cannot represent are written as the strings "nan", "inf" and "-inf".
 */
struct tn_jw {
	char *buf;
	size_t len;
	size_t cap;
	unsigned depth;
	uint64_t need_comma;    /* bit d set: next value at depth d needs a comma */
	bool after_key;
	bool oom;               /* an allocation failed; the record is invalid */
};

void tn_jw_init(struct tn_jw *w);
void tn_jw_finish(struct tn_jw *w);      /* frees the buffer; NULL-safe */
void tn_jw_reset(struct tn_jw *w);       /* empty the record, keep the buffer */

void tn_jw_obj_begin(struct tn_jw *w);
void tn_jw_obj_end(struct tn_jw *w);
void tn_jw_arr_begin(struct tn_jw *w);
void tn_jw_arr_end(struct tn_jw *w);
void tn_jw_key(struct tn_jw *w, const char *key);  /* key must need no escaping */

void tn_jw_str(struct tn_jw *w, const char *s);
void tn_jw_strn(struct tn_jw *w, const char *s, size_t n);
void tn_jw_int(struct tn_jw *w, int64_t v);
void tn_jw_uint(struct tn_jw *w, uint64_t v);
void tn_jw_hex(struct tn_jw *w, uint64_t v);       /* "0x1f": an address */
void tn_jw_double(struct tn_jw *w, double v);      /* shortest round-trip */
void tn_jw_float(struct tn_jw *w, float v);        /* shortest round-trip as float */
void tn_jw_bool(struct tn_jw *w, bool v);
void tn_jw_null(struct tn_jw *w);
/* Append already-encoded JSON text as one value (e.g. a record passed through). */
void tn_jw_raw(struct tn_jw *w, const char *json, size_t n);

/* Shorthands for "key": value. */
void tn_jw_kstr(struct tn_jw *w, const char *key, const char *s);
void tn_jw_kint(struct tn_jw *w, const char *key, int64_t v);
void tn_jw_kuint(struct tn_jw *w, const char *key, uint64_t v);
void tn_jw_kdouble(struct tn_jw *w, const char *key, double v);

/*
 * Terminate the record with '\n' and write it to fd with one write(2)
 * (repeated only if the kernel accepted part of it).  Returns 0 or -errno;
 * -ENOMEM if the record could not be built.  The writer is reset afterwards.
 */
int tn_jw_write_line(struct tn_jw *w, int fd);

/* Terminate with '\n' and return the text (valid until the next change). */
const char *tn_jw_line(struct tn_jw *w, size_t *ret_len);
