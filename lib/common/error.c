/* Filling and formatting struct tn_error. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 2, 0)))
static void vset(struct tn_error *e, const char *fmt, va_list ap)
{
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
}

int tn_error_set(struct tn_error *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->code = code;
	e->file = NULL;
	e->line = e->col = 0;
	va_start(ap, fmt);
	vset(e, fmt, ap);
	va_end(ap);
	return code;
}

int tn_error_set_at(struct tn_error *e, int code, const char *file,
		    unsigned long line, unsigned long col, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->code = code;
	e->file = file;
	e->line = line;
	e->col = col;
	va_start(ap, fmt);
	vset(e, fmt, ap);
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
