/* tn-dispatch --list-backends: what this CPU offers and what each operation runs on;
 * the backend names for messages and --help. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "tn/tn-device.h"
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
	/* The device: what it is, or why there is none. */
	{
		const char *text;
		int dev = tn_device_status(&text);

		tn_jw_key(&w, "device");
		tn_jw_obj_begin(&w);
		tn_jw_key(&w, "available");
		tn_jw_bool(&w, dev == 0);
		tn_jw_kstr(&w, dev == 0 ? "name" : "why", text);
		tn_jw_obj_end(&w);
	}
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

#define STR_(x) #x
#define STR(x) STR_(x)

void tn_dispatch_calibration_text(char *buf, size_t size, const struct tn_device_calibration *c)
{
	size_t o = 0;

	if (size)
		buf[0] = '\0';
	add(buf, size, &o, "  launch (1-element call, round trip)  %10.1f us\n", c->launch_ns / 1e3);
	add(buf, size, &o, "  upload, download                     %10.2f, %.2f GB/s\n",
	    c->upload_bps / 1e9, c->download_bps / 1e9);
	for (int k = 0; k < TN_DEVICE_CLASS_COUNT_; k++) {
		static const char *const by[TN_DEVICE_CLASS_COUNT_] = {
			[TN_DEVICE_STREAM] = "add", [TN_DEVICE_MATH] = "tanh", [TN_DEVICE_REDUCE] = "sum",
		};
		char what[64];

		snprintf(what, sizeof(what), "%s (%s): device, CPU",
			 tn_device_class_name((enum tn_device_class)k), by[k]);
		add(buf, size, &o, "  %-37s%10.2f, %.2f GB/s\n", what, c->device_bps[k] / 1e9,
		    c->cpu_bps[k] / 1e9);
	}
	add(buf, size, &o, "  matmul 256^3: device, CPU            %10.2f, %.2f GFLOP/s\n",
	    c->device_flops / 1e9, c->cpu_flops / 1e9);
	/* The math operations each ("math" on the device: the class's rate). */
	for (int op = 0; op < TN_OP_COUNT_; op++) {
		char what[64], dev[32];

		if (tn_device_op_class((enum tn_op)op) != TN_DEVICE_MATH)
			continue;
		snprintf(what, sizeof(what), "  %s: device, CPU", tn_op_name((enum tn_op)op));
		if (c->op_device_bps[op] > 0)
			snprintf(dev, sizeof(dev), "%.2f", c->op_device_bps[op] / 1e9);
		else
			snprintf(dev, sizeof(dev), "(math)");
		add(buf, size, &o, "  %-37s%10s, %.2f GB/s\n", what, dev, c->op_cpu_bps[op] / 1e9);
	}
}

int tn_dispatch_list_backends(int fd, bool json)
{
	char buf[8192];
	size_t o = 0;
	const char *text;
	int dev;

	if (json)
		return list_json(fd);
	add(buf, sizeof(buf), &o, "%-16s %s\n", "backend", "available");
	for (int b = TN_BACKEND_SCALAR; b < TN_BACKEND_COUNT_; b++)
		add(buf, sizeof(buf), &o, "%-16s %s\n", tn_backend_name((enum tn_backend)b),
		    tn_backend_available((enum tn_backend)b) ? "yes" : "no");
	dev = tn_device_status(&text);
	add(buf, sizeof(buf), &o, "\nopencl: %s%s\n", dev == 0 ? "" : "absent: ", text);
	if (dev == 0) {
		struct tn_device_calibration c;
		const char *path = tn_device_calibration_path();
		int cr = tn_device_calibration_load(&c);

		if (cr == 0) {
			char lines[4096];

			tn_dispatch_calibration_text(lines, sizeof(lines), &c);
			add(buf, sizeof(buf), &o, "calibration %s:\n%s", path, lines);
			add(buf, sizeof(buf), &o, "%s", getenv("TN_OPENCL") && !strcmp(getenv("TN_OPENCL"), "auto") ?
			    "TN_OPENCL=auto: an operation marked opencl below goes to the device\n"
			    "call by call, when the estimate says it finishes first (libtn(3))\n" :
			    "auto keeps every operation on the CPU unless TN_OPENCL=auto is set\n");
		} else {
			add(buf, sizeof(buf), &o, "no calibration (%s%s): auto keeps every operation on the CPU;\n"
			    "tn-dispatch --calibrate measures this machine and saves one to %s\n",
			    cr == -ESTALE ? "the saved one is for another device" :
			    cr == -EPROTO ? "the saved one is not of format "
					    STR(TN_DEVICE_CALIBRATION_FORMAT) ", an older libtn's: ignored" :
			    cr == -EINVAL ? "the saved one does not parse" : "none saved",
			    "", path ? path : "(no HOME)");
		}
	}
	add(buf, sizeof(buf), &o, "\n%-16s %s\n", "operation", tn_backend_forced() ?
	    "backend (forced)" : "backend");
	for (int op = 0; op < TN_OP_COUNT_; op++)
		add(buf, sizeof(buf), &o, "%-16s %s\n", tn_op_name((enum tn_op)op),
		    tn_backend_name(tn_op_backend((enum tn_op)op)));
	if (o >= sizeof(buf))
		return -ENOBUFS;
	return tn_write_records(fd, buf, o);
}
