/* tn-dispatch --list-backends: what this CPU offers and what each operation runs on;
 * the backend names for messages and --help. */
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

int tn_dispatch_backend_names(char *buf, size_t size, const char *last,
			      unsigned col, unsigned width, unsigned indent)
{
	char flat[512], *save = NULL;
	size_t f = 0, o = 0;
	int count = 0;

	while (tn_backend_name((enum tn_backend)count))
		count++;
	for (int b = 0; b < count; b++)
		add(flat, sizeof(flat), &f, "%s%s", b == 0 ? "" : b == count - 1 ? last : ", ",
		    tn_backend_name((enum tn_backend)b));
	if (f >= sizeof(flat))
		return -ENOBUFS;
	if (width == 0) {
		add(buf, size, &o, "%s", flat);
		return o < size ? (int)o : -ENOBUFS;
	}
	/* Greedy: a word goes on the next line when it would pass width. */
	for (char *w = strtok_r(flat, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		unsigned len = (unsigned)strlen(w);

		if (o > 0 && col + 1 + len > width) {
			add(buf, size, &o, "\n%*s", (int)indent, "");
			col = indent;
		} else if (o > 0) {
			add(buf, size, &o, " ");
			col++;
		}
		add(buf, size, &o, "%s", w);
		col += len;
	}
	if (size > 0 && o == 0)
		buf[0] = '\0';
	return o < size ? (int)o : -ENOBUFS;
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
