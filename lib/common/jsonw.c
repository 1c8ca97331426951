/* One-line JSON record writer: escaping, number formatting, atomic write. */
#include "jsonw.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record-write.h"

#include "io.h"

static bool grow(struct tn_jw *w, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - 1 - w->len) {
		w->oom = true;          /* no buffer can be that long */
		return false;
	}
	need = w->len + extra + 1;
	if (need <= w->cap)
		return true;
	if (w->oom)
		return false;
	cap = w->cap ? w->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(w->buf, cap);
	if (!p) {
		w->oom = true;
		return false;
	}
	w->buf = p;
	w->cap = cap;
	return true;
}

static void put(struct tn_jw *w, const char *s, size_t n)
{
	if (!grow(w, n))
		return;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void putc1(struct tn_jw *w, char c)
{
	if (!grow(w, 1))
		return;
	w->buf[w->len++] = c;
}

/* Emit the comma that separates this value from the previous one. */
static void sep(struct tn_jw *w)
{
	uint64_t bit = UINT64_C(1) << (w->depth & 63);

	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->need_comma & bit)
		putc1(w, ',');
	w->need_comma |= bit;
}

void tn_jw_init(struct tn_jw *w)
{
	memset(w, 0, sizeof(*w));
}

void tn_jw_finish(struct tn_jw *w)
{
	if (!w)
		return;
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

void tn_jw_reset(struct tn_jw *w)
{
	w->len = 0;
	w->depth = 0;
	w->need_comma = 0;
	w->after_key = false;
	w->oom = false;
}

static void open_(struct tn_jw *w, char c)
{
	sep(w);
	putc1(w, c);
	w->depth++;
	w->need_comma &= ~(UINT64_C(1) << (w->depth & 63));
}

static void close_(struct tn_jw *w, char c)
{
	w->need_comma &= ~(UINT64_C(1) << (w->depth & 63));
	if (w->depth)
		w->depth--;
	putc1(w, c);
}

void tn_jw_obj_begin(struct tn_jw *w) { open_(w, '{'); }
void tn_jw_obj_end(struct tn_jw *w) { close_(w, '}'); }
void tn_jw_arr_begin(struct tn_jw *w) { open_(w, '['); }
void tn_jw_arr_end(struct tn_jw *w) { close_(w, ']'); }

void tn_jw_key(struct tn_jw *w, const char *key)
{
	size_t n = strlen(key);

	sep(w);
	if (!grow(w, n + 3))
		return;
	w->buf[w->len++] = '"';
	memcpy(w->buf + w->len, key, n);
	w->len += n;
	w->buf[w->len++] = '"';
	w->buf[w->len++] = ':';
	w->after_key = true;
}

void tn_jw_strn(struct tn_jw *w, const char *str, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	sep(w);
	/* Worst case: every byte becomes a 6-byte escape. */
	if (n > (SIZE_MAX - 2) / 6) {
		w->oom = true;
		return;
	}
	if (!grow(w, n * 6 + 2))
		return;
	w->buf[w->len++] = '"';
	while (i < n) {
		unsigned char c = s[i];
		size_t l;

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			w->buf[w->len++] = (char)c;
			i++;
			continue;
		}
		if (c < 0x80) {
			char *o = w->buf + w->len;
			o[0] = '\\';
			switch (c) {
			case '"': o[1] = '"'; w->len += 2; break;
			case '\\': o[1] = '\\'; w->len += 2; break;
			case '\n': o[1] = 'n'; w->len += 2; break;
			case '\t': o[1] = 't'; w->len += 2; break;
			case '\r': o[1] = 'r'; w->len += 2; break;
			default:
				o[1] = 'u'; o[2] = '0'; o[3] = '0';
				o[4] = hex[c >> 4]; o[5] = hex[c & 15];
				w->len += 6;
			}
			i++;
			continue;
		}
		l = tn_utf8_char_len(s + i, n - i);
		if (l == 0) {
			memcpy(w->buf + w->len, "\\ufffd", 6);
			w->len += 6;
			i++;
			continue;
		}
		memcpy(w->buf + w->len, s + i, l);
		w->len += l;
		i += l;
	}
	w->buf[w->len++] = '"';
}

void tn_jw_str(struct tn_jw *w, const char *s)
{
	if (!s) {
		tn_jw_null(w);
		return;
	}
	tn_jw_strn(w, s, strlen(s));
}

void tn_jw_uint(struct tn_jw *w, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	sep(w);
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(w, tmp + i, sizeof(tmp) - i);
}

void tn_jw_int(struct tn_jw *w, int64_t v)
{
	char tmp[24];
	size_t i = sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	sep(w);
	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--i] = '-';
	put(w, tmp + i, sizeof(tmp) - i);
}

void tn_jw_hex(struct tn_jw *w, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[24];
	size_t i = sizeof(tmp);

	sep(w);
	tmp[--i] = '"';
	do {
		tmp[--i] = hex[v & 15];
		v >>= 4;
	} while (v);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	tmp[--i] = '"';
	put(w, tmp + i, sizeof(tmp) - i);
}

static bool nonfinite(struct tn_jw *w, double v)
{
	if (isnan(v)) {
		tn_jw_str(w, "nan");
		return true;
	}
	if (isinf(v)) {
		tn_jw_str(w, v > 0 ? "inf" : "-inf");
		return true;
	}
	return false;
}

/*
 * Write v with the fewest significant digits that read back as the same
 * value (digits_max: 17 for double, 9 for float), in plain notation where
 * that stays short ("1500", "0.001234") and in exponent notation only for
 * very large or very small magnitudes ("1e+20", "1.5e-07").
 */
static void shortest(struct tn_jw *w, double v, int digits_max, bool as_float)
{
	char tmp[64];
	int n = 0, prec;

	for (prec = 1; prec <= digits_max; prec++) {
		n = snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
		if (as_float ? strtof(tmp, NULL) == (float)v : strtod(tmp, NULL) == v)
			break;
	}
	if (prec > digits_max)
		prec = digits_max;
	if (v != 0) {
		int e = atoi(strchr(tmp, 'e') + 1);     /* decimal exponent */

		if (e >= -5 && e < 17) {
			int decimals = prec - 1 - e;

			n = snprintf(tmp, sizeof(tmp), "%.*f", decimals > 0 ? decimals : 0, v);
		} else {
			n = snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		}
	} else {
		n = snprintf(tmp, sizeof(tmp), "%s", signbit(v) ? "-0" : "0");
	}
	sep(w);
	put(w, tmp, (size_t)n);
}

void tn_jw_double(struct tn_jw *w, double v)
{
	if (nonfinite(w, v))
		return;
	shortest(w, v, 17, false);
}

void tn_jw_float(struct tn_jw *w, float v)
{
	if (nonfinite(w, v))
		return;
	shortest(w, (double)v, 9, true);
}

void tn_jw_bool(struct tn_jw *w, bool v)
{
	sep(w);
	if (v)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void tn_jw_null(struct tn_jw *w)
{
	sep(w);
	put(w, "null", 4);
}

void tn_jw_raw(struct tn_jw *w, const char *json, size_t n)
{
	sep(w);
	put(w, json, n);
}

void tn_jw_kstr(struct tn_jw *w, const char *key, const char *s)
{
	tn_jw_key(w, key);
	tn_jw_str(w, s);
}

void tn_jw_kint(struct tn_jw *w, const char *key, int64_t v)
{
	tn_jw_key(w, key);
	tn_jw_int(w, v);
}

void tn_jw_kuint(struct tn_jw *w, const char *key, uint64_t v)
{
	tn_jw_key(w, key);
	tn_jw_uint(w, v);
}

void tn_jw_kdouble(struct tn_jw *w, const char *key, double v)
{
	tn_jw_key(w, key);
	tn_jw_double(w, v);
}

const char *tn_jw_line(struct tn_jw *w, size_t *ret_len)
{
	if (w->len == 0 || w->buf[w->len - 1] != '\n')
		putc1(w, '\n');
	if (w->oom)
		return NULL;
	w->buf[w->len] = '\0';
	if (ret_len)
		*ret_len = w->len;
	return w->buf;
}

int tn_jw_write_line(struct tn_jw *w, int fd)
{
	const char *p;
	size_t n;
	int ret;

	p = tn_jw_line(w, &n);
	ret = p ? tn_write_records(fd, p, n) : -ENOMEM;
	tn_jw_reset(w);
	return ret;
}
