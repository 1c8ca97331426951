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
#include "../math/math-kernels.h"
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

/* y = op(x) (pow: x to the power e; elu: alpha 1) on the CPU backend auto keeps op on. */
static void cpu_math(enum tn_op op, size_t n, const float *x, const float *e, float *y)
{
	tn__fn f = tn__op_impl(op)->fn[tn__cl_cpu_backend(op)];

	if (op == TN_OP_POW)
		((tn__m_pow_fn)f)(n, x, e, y);
	else if (op == TN_OP_ELU)
		((tn__m_param_fn)f)(n, 1.0f, x, y);
	else
		((tn__m_unary_fn)f)(n, x, y);
}

/* The same on the device, on its buffers. */
static int dev_math(enum tn_op op, size_t n, const struct tn_dev_buf *x,
		    const struct tn_dev_buf *e, struct tn_dev_buf *y)
{
	if (op == TN_OP_POW)
		return tn_dev_pow(n, x, e, y);
	if (op == TN_OP_ELU)
		return tn_dev_elu(n, 1.0f, x, y);
	return tn_dev_unary(op, n, x, y);
}

/*
 * Each math operation on both sides, on n floats in place: (in + out) bytes
 * per second.  A device call that fails leaves its rate 0 (the class's rate
 * stands in); it is not a failure of the calibration.
 */
static void calibrate_math(struct tn_device_calibration *c, size_t n, const float *a,
			   const float *b, float *y, const struct tn_dev_buf *da,
			   const struct tn_dev_buf *db, struct tn_dev_buf *dc)
{
	for (int op = 0; op < TN_OP_COUNT_; op++) {
		double bytes = (op == TN_OP_POW ? 3.0 : 2.0) * (double)(n * sizeof(float)), t;

		c->op_cpu_bps[op] = c->op_device_bps[op] = 0;
		if (tn_device_op_class((enum tn_op)op) != TN_DEVICE_MATH)
			continue;
		cpu_math((enum tn_op)op, n, a, b, y);
		BEST(t, 3, cpu_math((enum tn_op)op, n, a, b, y));
		c->op_cpu_bps[op] = bytes * 1e9 / t;
		if (dev_math((enum tn_op)op, n, da, db, dc) < 0)
			continue;
		int r = 0;

		BEST(t, 3, r |= dev_math((enum tn_op)op, n, da, db, dc));
		if (r == 0)
			c->op_device_bps[op] = bytes * 1e9 / t;
	}
}

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
	calibrate_math(ret, big / 4, a, b, c, da, db, dc);
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
/* And a math operation's: "exp_cpu_bps", always; "exp_device_bps", where measured. */
static const char *const side_key[2] = { "_cpu_bps", "_device_bps" };

/* The math operation and side (0 CPU, 1 device) of a per-operation key, or -1. */
static int op_key(const char *key, enum tn_op *ret)
{
	for (int side = 0; side < 2; side++) {
		size_t kl = strlen(key), sl = strlen(side_key[side]);
		char name[32];

		if (kl <= sl || kl - sl >= sizeof(name) || strcmp(key + kl - sl, side_key[side]) != 0)
			continue;
		memcpy(name, key, kl - sl);
		name[kl - sl] = '\0';
		if (tn_op_from_name(name, ret) == 0 && tn_device_op_class(*ret) == TN_DEVICE_MATH)
			return side;
	}
	return -1;
}

int tn_device_calibration_save(const struct tn_device_calibration *cp)
{
	const char *p = calib_path(true);
	char text[4096];
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
	for (int op = 0; op < TN_OP_COUNT_; op++) {
		const char *name = tn_op_name((enum tn_op)op);

		if (tn_device_op_class((enum tn_op)op) != TN_DEVICE_MATH || n < 0 ||
		    (size_t)n >= sizeof(text))
			continue;
		n += snprintf(text + n, sizeof(text) - (size_t)n, "%s%s %.6g\n", name, side_key[0],
			      c.op_cpu_bps[op]);
		if (c.op_device_bps[op] > 0 && n >= 0 && (size_t)n < sizeof(text))
			n += snprintf(text + n, sizeof(text) - (size_t)n, "%s%s %.6g\n", name,
				      side_key[1], c.op_device_bps[op]);
	}
	if (n < 0 || (size_t)n >= sizeof(text))
		return -ENAMETOOLONG;
	return tn_replace_file(p, text, (size_t)n);
}

/*
 * Reads the file: its numbers into *ret and its device line into dev (size
 * bytes).  Loads no driver: whether the device is this one is for the caller.
 * A file without "format 3" before its numbers (format 1 had no such line,
 * format 2 no math operation's own rates) is -EPROTO, whatever else it
 * holds: its keys may mean something else.
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
		enum tn_op op;
		int side = op_key(line, &op);

		if (side >= 0) {
			char *end;
			double f = strtod(v, &end);

			if (*end || !(f > 0) || f > 1e300)
				break;
			(side ? c.op_device_bps : c.op_cpu_bps)[op] = f;
		}
	}
#define X(key, f) all = all << 1 | 1;
	FIELDS(X)
#undef X
	free(text);
	if (!format)
		return -EPROTO;
	if (seen != all || !dev[0])
		return -EINVAL;
	for (int op = 0; op < TN_OP_COUNT_; op++)
		if (tn_device_op_class((enum tn_op)op) == TN_DEVICE_MATH && !(c.op_cpu_bps[op] > 0))
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
static double margin(const struct tn_device_calibration *c, enum tn_op op, double in,
		     double out, double flops)
{
	double dev = c->launch_ns + in * 1e9 / c->upload_bps + out * 1e9 / c->download_bps;
	double cpu, dev_bps, cpu_bps;
	int cls = tn_device_op_class(op);

	if (cls < 0 || flops > 0) {
		dev += flops * 1e9 / c->device_flops;
		cpu = flops * 1e9 / c->cpu_flops;
	} else {
		dev_bps = c->op_device_bps[op] > 0 ? c->op_device_bps[op] : c->device_bps[cls];
		cpu_bps = c->op_cpu_bps[op] > 0 ? c->op_cpu_bps[op] : c->cpu_bps[cls];
		dev += (in + out) * 1e9 / dev_bps;
		cpu = (in + out) * 1e9 / cpu_bps;
	}
	return dev - cpu;
}

static void load(void)
{
	double big = 1e12;

	if ((cal_status = read_calibration(&cal, cal_device, sizeof(cal_device))) < 0)
		return;
	/* Can the device ever win?  An operation of a class: at any size, every
	 * byte uploaded once (the best case); matmul: a large one, whose flops
	 * grow faster than its bytes. */
	for (int op = 0; op < TN_OP_COUNT_; op++)
		if (tn_device_op_class((enum tn_op)op) >= 0 && margin(&cal, (enum tn_op)op, big, 0, 0) < 0)
			auto_ops |= 1ull << op;
	if (margin(&cal, TN_OP_MATMUL, 3 * 4 * 4096.0 * 4096, 4 * 4096.0 * 4096,
		   2 * 4096.0 * 4096 * 4096) < 0)
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
	return margin(&cal, op, (double)in, (double)out, flops) >= 0;
}
