/* SPDX-License-Identifier: MIT */
/*
 * When auto sends work to the device: with TN_OPENCL=auto, a calibration of
 * this machine (tn_device_calibrate, saved by tn-dispatch --calibrate) and
 * the estimate of tn-device.h, device time with transfers against CPU time.
 * Without either, auto stays on the CPU.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cl.h"
#include "io.h"
#include "ops.h"
#include "tn/tn-device.h"

_Static_assert(TN_OP_COUNT_ <= 64, "tn__cl_auto_ops() holds one bit per operation");

static char path[4200];
/* Set while tn_device_calibrate() runs: tn__cl_cpu_wins() then says no. */
static _Thread_local bool measuring;

/* The path; its directories made when make (to save). */
static const char *calib_path(bool make)
{
	char dir[4096];

	if (tn__cl_cache_dir(dir, sizeof(dir), make) < 0)
		return NULL;
	snprintf(path, sizeof(path), "%s/calibration", dir);
	return path;
}

const char *tn_device_calibration_path(void)
{
	return calib_path(false);
}

/* ---- Measuring -------------------------------------------------------------- */

static double now_ns(void)
{
	return (double)tn__now_ns();
}

/* var = the least time in ns of reps runs of stmt. */
#define BEST(var, reps, stmt) \
	do { \
		(var) = 1e300; \
		for (int i_ = 0; i_ < (reps); i_++) { \
			double t_ = now_ns(); \
			stmt; \
			t_ = now_ns() - t_; \
			(var) = t_ < (var) ? t_ : (var); \
		} \
	} while (0)

int tn_device_calibrate(struct tn_device_calibration *ret)
{
	const size_t big = 4u << 20, mm = 256;         /* 16 MiB of floats; 256^3 matmul */
	struct tn_dev_buf *da = NULL, *db = NULL, *dc = NULL;
	float *a = NULL, *b = NULL, *c = NULL, one[1] = { 1 }, s;
	tn__bin_fn cpu_add = (tn__bin_fn)tn__op_impl(TN_OP_ADD)->fn[tn__cl_cpu_backend(TN_OP_ADD)];
	tn__un_fn cpu_tanh = (tn__un_fn)tn__op_impl(TN_OP_TANH)->fn[tn__cl_cpu_backend(TN_OP_TANH)];
	tn__red_fn cpu_sum = (tn__red_fn)tn__op_impl(TN_OP_SUM)->fn[tn__cl_cpu_backend(TN_OP_SUM)];
	tn__matmul_fn *cpu_mm =
		(tn__matmul_fn *)tn__op_impl(TN_OP_MATMUL)->fn[tn__cl_cpu_backend(TN_OP_MATMUL)];
	const double bytes = (double)(big * sizeof(float));
	double t;
	int r;

	if (!ret)
		return -EINVAL;
	if (!(tn__device_caps() & TN__CAP_OPENCL))
		return -ENODEV;
	a = malloc(big * sizeof(float));
	b = malloc(big * sizeof(float));
	c = malloc(big * sizeof(float));
	r = !a || !b || !c ? -ENOMEM : 0;
	if (!r && (r = tn_dev_new(big, &da)) == 0 && (r = tn_dev_new(big, &db)) == 0)
		r = tn_dev_new(big, &dc);
	if (r < 0)
		goto out;
	for (size_t i = 0; i < big; i++) {
		a[i] = (float)(i % 1000) * 0.001f;
		b[i] = (float)(i % 997) * 0.002f;
	}
	/* Each once first: kernels built, buffers touched, pages mapped. */
	measuring = true;
	tn__add_opencl(1, a, b, c);
	measuring = false;
	if ((r = tn_dev_upload(da, 0, big, a)) < 0 || (r = tn_dev_upload(db, 0, big, b)) < 0 ||
	    (r = tn_dev_add(big, da, db, dc)) < 0 || (r = tn_dev_unary(TN_OP_TANH, big, da, dc)) < 0 ||
	    (r = tn_dev_sum(big, da, &s)) < 0 || (r = tn_dev_matmul(mm, mm, mm, da, db, dc)) < 0)
		goto out;
	cpu_add(big, a, b, c);
	cpu_tanh(big, a, c);
	(void)cpu_sum(big, a);
	cpu_mm(mm, mm, mm, a, mm, b, mm, c, mm);

	/* What a 1-element tn_add on opencl costs: upload, kernel, download, wait. */
	measuring = true;
	BEST(ret->launch_ns, 20, tn__add_opencl(1, one, one, one));
	measuring = false;
	BEST(t, 5, r |= tn_dev_upload(da, 0, big, a));
	ret->upload_bps = bytes * 1e9 / t;
	BEST(t, 5, r |= tn_dev_download(dc, 0, big, c));
	ret->download_bps = bytes * 1e9 / t;
	/* Each class by its operation on data in place, in + out bytes per second. */
	BEST(t, 5, r |= tn_dev_add(big, da, db, dc));
	ret->device_bps[TN_DEVICE_STREAM] = 3 * bytes * 1e9 / t;
	BEST(t, 5, cpu_add(big, a, b, c));
	ret->cpu_bps[TN_DEVICE_STREAM] = 3 * bytes * 1e9 / t;
	BEST(t, 3, r |= tn_dev_unary(TN_OP_TANH, big, da, dc));
	ret->device_bps[TN_DEVICE_MATH] = 2 * bytes * 1e9 / t;
	BEST(t, 3, cpu_tanh(big, a, c));
	ret->cpu_bps[TN_DEVICE_MATH] = 2 * bytes * 1e9 / t;
	BEST(t, 5, r |= tn_dev_sum(big, da, &s));
	ret->device_bps[TN_DEVICE_REDUCE] = bytes * 1e9 / t;
	BEST(t, 5, s = cpu_sum(big, a));
	ret->cpu_bps[TN_DEVICE_REDUCE] = bytes * 1e9 / t;
	BEST(t, 3, r |= tn_dev_matmul(mm, mm, mm, da, db, dc));
	ret->device_flops = 2.0 * mm * mm * mm * 1e9 / t;
	BEST(t, 3, cpu_mm(mm, mm, mm, a, mm, b, mm, c, mm));
	ret->cpu_flops = 2.0 * mm * mm * mm * 1e9 / t;
	r = r < 0 ? -EIO : 0;
out:
	tn_dev_free(da);
	tn_dev_free(db);
	tn_dev_free(dc);
	free(a);
	free(b);
	free(c);
	return r;
}

/* ---- The file ------------------------------------------------------------------ */

/* The file's keys: name, field (of struct tn_device_calibration c). */
#define FIELDS(X) X(launch_ns, c.launch_ns) X(upload_bps, c.upload_bps) \
	X(download_bps, c.download_bps) \
	X(stream_device_bps, c.device_bps[TN_DEVICE_STREAM]) \
	X(stream_cpu_bps, c.cpu_bps[TN_DEVICE_STREAM]) \
	X(math_device_bps, c.device_bps[TN_DEVICE_MATH]) \
	X(math_cpu_bps, c.cpu_bps[TN_DEVICE_MATH]) \
	X(reduce_device_bps, c.device_bps[TN_DEVICE_REDUCE]) \
	X(reduce_cpu_bps, c.cpu_bps[TN_DEVICE_REDUCE]) \
	X(matmul_device_flops, c.device_flops) X(matmul_cpu_flops, c.cpu_flops)

int tn_device_calibration_save(const struct tn_device_calibration *cp)
{
	const char *p = calib_path(true);
	char text[2048];
	int n;

	if (!cp)
		return -EINVAL;
	if (!(tn__device_caps() & TN__CAP_OPENCL))
		return -ENODEV;
	if (!p)
		return -ENOENT;
	const struct tn_device_calibration c = *cp;

	n = snprintf(text, sizeof(text),
		     "# libtn's calibration of this machine (tn-dispatch --calibrate).\n"
		     "# auto sends an operation to the device only when this says it finishes\n"
		     "# first (libtn(3), OPENCL).  Delete this file to keep auto on the CPU.\n"
		     "format %d\ndevice %s\n", TN_DEVICE_CALIBRATION_FORMAT, tn__cl_why());
#define X(key, f) n += snprintf(text + n, sizeof(text) - (size_t)n, #key " %.6g\n", f);
	FIELDS(X)
#undef X
	if (n < 0 || (size_t)n >= sizeof(text))
		return -ENAMETOOLONG;
	return tn_replace_file(p, text, (size_t)n);
}

/*
 * Reads the file: its numbers into *ret and its device line into dev (size
 * bytes).  Loads no driver: whether the device is this one is for the caller.
 * A file without "format 2" before its numbers (format 1 had no such line)
 * is -EPROTO, whatever else it holds: its keys may mean something else.
 */
static int read_calibration(struct tn_device_calibration *ret, char *dev, size_t size)
{
	const char *p = tn_device_calibration_path();
	struct tn_device_calibration c = { 0 };
	unsigned seen = 0, all = 0;
	bool format = false;
	char *text, *save = NULL;
	size_t len;

	dev[0] = '\0';
	if (!p || !(text = (char *)tn__read_file(p, 1u << 16, &len)))
		return -ENOENT;
	char *grown = realloc(text, len + 1);

	if (!grown) {
		free(text);
		return -ENOMEM;
	}
	text = grown;
	text[len] = '\0';
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *v = strchr(line, ' ');
		unsigned bit = 1;

		if (line[0] == '#')
			continue;
		if (!v || (!format && strncmp(line, "format ", 7) != 0))
			break;          /* a line before the format's: not this format */
		*v++ = '\0';
		if (strcmp(line, "format") == 0) {
			char want[16];

			snprintf(want, sizeof(want), "%d", TN_DEVICE_CALIBRATION_FORMAT);
			if (format || strcmp(v, want) != 0)
				break;
			format = true;
			continue;
		}
		if (strcmp(line, "device") == 0) {
			snprintf(dev, size, "%s", v);
			continue;
		}
#define X(key, f) \
		if (strcmp(line, #key) == 0) { \
			char *end; \
			f = strtod(v, &end); \
			if (*end || !(f > 0) || f > 1e300) \
				break; \
			seen |= bit; \
		} \
		bit <<= 1;
		FIELDS(X)
#undef X
	}
#define X(key, f) all = all << 1 | 1;
	FIELDS(X)
#undef X
	free(text);
	if (!format)
		return -EPROTO;
	if (seen != all || !dev[0])
		return -EINVAL;
	*ret = c;
	return 0;
}

/* ---- The rule -------------------------------------------------------------------- */

static struct tn_device_calibration cal;
static char cal_device[600];
static int cal_status;
static uint64_t auto_ops;
static pthread_once_t once = PTHREAD_ONCE_INIT, checked = PTHREAD_ONCE_INIT;

/* Whether the calibration is this device's (loads the driver): 0, -ENODEV or -ESTALE. */
static int device_check(void)
{
	if (!(tn__device_caps() & TN__CAP_OPENCL))
		return -ENODEV;
	return strcmp(cal_device, tn__cl_why()) == 0 ? 0 : -ESTALE;
}

/* The estimate of tn-device.h, in ns: device minus CPU, for a call of class cls
 * (-1: a product of flops). */
static double margin(const struct tn_device_calibration *c, int cls, double in, double out,
		     double flops)
{
	double dev = c->launch_ns + in * 1e9 / c->upload_bps + out * 1e9 / c->download_bps;
	double cpu;

	if (cls < 0) {
		dev += flops * 1e9 / c->device_flops;
		cpu = flops * 1e9 / c->cpu_flops;
	} else {
		dev += (in + out) * 1e9 / c->device_bps[cls];
		cpu = (in + out) * 1e9 / c->cpu_bps[cls];
	}
	return dev - cpu;
}

static void load(void)
{
	double big = 1e12;
	bool wins[TN_DEVICE_CLASS_COUNT_];

	if ((cal_status = read_calibration(&cal, cal_device, sizeof(cal_device))) < 0)
		return;
	/* Can the device ever win?  A class: at any size, every byte uploaded
	 * once (the best case); matmul: a large one, whose flops grow faster
	 * than its bytes. */
	for (int k = 0; k < TN_DEVICE_CLASS_COUNT_; k++)
		wins[k] = margin(&cal, k, big, 0, 0) < 0;
	for (int op = 0; op < TN_OP_COUNT_; op++) {
		int k = tn_device_op_class((enum tn_op)op);

		if (k >= 0 && wins[k])
			auto_ops |= 1ull << op;
	}
	if (margin(&cal, -1, 3 * 4 * 4096.0 * 4096, 4 * 4096.0 * 4096, 2 * 4096.0 * 4096 * 4096) < 0)
		auto_ops |= 1ull << TN_OP_MATMUL;
	/* Only a calibration under which the device can win loads the driver
	 * now, to check that it was made on this device. */
	if (auto_ops && (cal_status = device_check()) < 0)
		auto_ops = 0;
}

static void check(void)
{
	if (cal_status == 0)
		cal_status = device_check();
}

int tn_device_calibration_load(struct tn_device_calibration *ret)
{
	pthread_once(&once, load);
	pthread_once(&checked, check);
	if (cal_status == 0 && ret)
		*ret = cal;
	return cal_status;
}

/*
 * Only where TN_OPENCL=auto asks for it: otherwise auto reads no file and
 * loads no driver, so that a program's system calls do not depend on a
 * calibration it did not ask for (and forcing a CPU backend changes none).
 */
uint64_t tn__cl_auto_ops(void)
{
	const char *e = getenv("TN_OPENCL");

	if (!e || strcmp(e, "auto") != 0)
		return 0;
	pthread_once(&once, load);
	return auto_ops;
}

bool tn__cl_cpu_wins(enum tn_op op, size_t in, size_t out, double flops)
{
	uint64_t ops;

	if (tn_backend_forced() != TN_BACKEND_AUTO || measuring)
		return false;
	ops = tn__cl_auto_ops();
	if (!(ops >> op & 1))
		return true;
	return margin(&cal, flops > 0 ? -1 : tn_device_op_class(op), (double)in,
		      (double)out, flops) >= 0;
}
