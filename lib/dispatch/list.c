/* tn-dispatch --list-backends: what this CPU offers and what each operation runs on. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dispatch.h"
#include "record-write.h"

static int list_json(int fd)
{
	struct tn_jw w;
	int r;

	tn_jw_init(&w);
	tn_jw_obj_begin(&w);
	tn_jw_kstr(&w, "forced", tn_backend_name(tn_backend_forced()));
	tn_jw_key(&w, "backends");
	tn_jw_obj_begin(&w);
	for (int b = TN_BACKEND_SCALAR; b < TN_BACKEND_COUNT_; b++) {
		tn_jw_key(&w, tn_backend_name((enum tn_backend)b));
		tn_jw_bool(&w, tn_backend_available((enum tn_backend)b));
	}
	tn_jw_obj_end(&w);
	tn_jw_key(&w, "ops");
	tn_jw_obj_begin(&w);
	for (int op = 0; op < TN_OP_COUNT_; op++)
		tn_jw_kstr(&w, tn_op_name((enum tn_op)op),
			   tn_backend_name(tn_op_backend((enum tn_op)op)));
	tn_jw_obj_end(&w);
	tn_jw_obj_end(&w);
	r = tn_jw_write_line(&w, fd);
	tn_jw_finish(&w);
	return r;
}

/* Appends printf-style text to buf (size bytes), tracking the length in *o. */
static void add(char *buf, size_t size, size_t *o, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(char *buf, size_t size, size_t *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (*o < size)
		*o += (size_t)vsnprintf(buf + *o, size - *o, fmt, ap);
	va_end(ap);
}

int tn_dispatch_list_backends(int fd, bool json)
{
	char buf[8192];
	size_t o = 0;

	if (json)
		return list_json(fd);
	add(buf, sizeof(buf), &o, "%-16s %s\n", "backend", "available");
	for (int b = TN_BACKEND_SCALAR; b < TN_BACKEND_COUNT_; b++)
		add(buf, sizeof(buf), &o, "%-16s %s\n", tn_backend_name((enum tn_backend)b),
		    tn_backend_available((enum tn_backend)b) ? "yes" : "no");
	add(buf, sizeof(buf), &o, "\n%-16s %s\n", "operation", tn_backend_forced() ?
	    "backend (forced)" : "backend");
	for (int op = 0; op < TN_OP_COUNT_; op++)
		add(buf, sizeof(buf), &o, "%-16s %s\n", tn_op_name((enum tn_op)op),
		    tn_backend_name(tn_op_backend((enum tn_op)op)));
	if (o >= sizeof(buf))
		return -ENOBUFS;
	return tn_write_records(fd, buf, o);
}
