/* SPDX-License-Identifier: MIT */
/* C-style escaping of text for a terminal (escape.h). */
#include "escape.h"

#include <stdbool.h>
#include <string.h>

#include "io.h"

/* The escape of the character of k bytes at s, in e (at most 4 * 4 bytes), its length. */
static size_t esc_char(const unsigned char *s, size_t k, char *e)
{
	static const char hex[] = "0123456789abcdef";
	unsigned c = s[0];
	size_t o = 0;

	if (k == 1 && c >= 0x20 && c < 0x7f) {
		e[0] = (char)c;
		return 1;
	}
	if (k > 1 && !(k == 2 && c == 0xc2 && s[1] < 0xa0)) {
		memcpy(e, s, k);        /* valid UTF-8, not a C1 control */
		return k;
	}
	if (k == 1 && (c == '\t' || c == '\n' || c == '\r')) {
		e[0] = '\\';
		e[1] = c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
		return 2;
	}
	for (size_t i = 0; i < k; i++) {
		e[o++] = '\\';
		e[o++] = 'x';
		e[o++] = hex[s[i] >> 4];
		e[o++] = hex[s[i] & 15];
	}
	return o;
}

size_t tn_escape(char *dst, size_t size, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, total = 0;
	int room = size > 0;

	for (size_t i = 0; i < n;) {
		size_t k = tn_utf8_char_len(p + i, n - i);
		char e[16];
		size_t m;

		if (k == 0)
			k = 1;  /* not UTF-8: this byte alone, as \xHH */
		m = esc_char(p + i, k, e);
		if (room && o + m < size) {
			memcpy(dst + o, e, m);
			o += m;
		} else {
			room = 0;
		}
		total += m;
		i += k;
	}
	if (size > 0)
		dst[o] = '\0';
	return total;
}

int tn_escape_needed(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		size_t k = tn_utf8_char_len(p + i, n - i);
		char e[16];

		if (k == 0 || esc_char(p + i, k, e) != k || e[0] != (char)p[i])
			return 1;
		i += k;
	}
	return 0;
}
