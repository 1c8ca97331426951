/* Filling and formatting struct tn_error. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * s was cut to len bytes: when the cut split a UTF-8 character (a lead byte
 * followed by fewer continuation bytes than it announces), drop the part
 * that is left, so that the message ends on a character boundary.
 */
static void cut_on_char(char *s, size_t len)
{
	size_t lead = len, k = 0, need;
	unsigned char c;

	while (lead > 0 && k < 3 && ((unsigned char)s[lead - 1] & 0xc0) == 0x80) {
		lead--;
		k++;
	}
	if (lead == 0)
		return;
	c = (unsigned char)s[--lead];
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (len - lead < need)
		s[lead] = '\0';
}

__attribute__((format(printf, 6, 0)))
static void vset(struct tn_error *e, int code, const char *file, unsigned long line,
		 unsigned long col, const char *fmt, va_list ap)
{
	int n;

	e->code = code;
	e->file = file;
	e->line = line;
	e->col = col;
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	if (n >= (int)sizeof(e->msg))
		cut_on_char(e->msg, sizeof(e->msg) - 1);
}

int tn_error_set(struct tn_error *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	va_start(ap, fmt);
	vset(e, code, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return code;
}

int tn_error_set_at(struct tn_error *e, int code, const char *file,
		    unsigned long line, unsigned long col, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	va_start(ap, fmt);
	vset(e, code, file, line, col, fmt, ap);
	va_end(ap);
	return code;
}

size_t tn_error_format(const struct tn_error *e, char *buf, size_t size)
{
	int n;

	if (e->file && e->line && e->col)
		n = snprintf(buf, size, "%s:%lu:%lu: %s", e->file, e->line, e->col, e->msg);
	else if (e->file && e->line)
		n = snprintf(buf, size, "%s:%lu: %s", e->file, e->line, e->msg);
	else if (e->file)
		n = snprintf(buf, size, "%s: %s", e->file, e->msg);
	else
		n = snprintf(buf, size, "%s", e->msg);
	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}
