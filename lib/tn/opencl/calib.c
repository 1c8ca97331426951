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
	float *a = NULL, *b = NULL, *c = NULL, one[1] = { 1 };
	enum tn_backend add_b = tn__cl_cpu_backend(TN_OP_ADD), mm_b = tn__cl_cpu_backend(TN_OP_MATMUL);
	tn__bin_fn cpu_add = (tn__bin_fn)tn__op_impl(TN_OP_ADD)->fn[add_b];
	tn__matmul_fn *cpu_mm = (tn__matmul_fn *)tn__op_impl(TN_OP_MATMUL)->fn[mm_b];
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
	    (r = tn_dev_add(big, da, db, dc)) < 0 || (r = tn_dev_matmul(mm, mm, mm, da, db, dc)) < 0)
		goto out;
	cpu_add(big, a, b, c);
	cpu_mm(mm, mm, mm, a, mm, b, mm, c, mm);

	/* What a 1-element tn_add on opencl costs: upload, kernel, download, wait. */
	measuring = true;
	BEST(ret->launch_ns, 20, tn__add_opencl(1, one, one, one));
	measuring = false;
	BEST(t, 5, r |= tn_dev_upload(da, 0, big, a));
	ret->upload_bps = bytes * 1e9 / t;
	BEST(t, 5, r |= tn_dev_download(dc, 0, big, c));
	ret->download_bps = bytes * 1e9 / t;
	BEST(t, 5, r |= tn_dev_add(big, da, db, dc));
	ret->device_stream_bps = 3 * bytes * 1e9 / t;
	BEST(t, 5, cpu_add(big, a, b, c));
	ret->cpu_stream_bps = 3 * bytes * 1e9 / t;
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

#define FIELDS(X) X(launch_ns) X(upload_bps) X(download_bps) X(device_stream_bps) \
	X(cpu_stream_bps) X(device_flops) X(cpu_flops)

int tn_device_calibration_save(const struct tn_device_calibration *c)
{
	const char *p = calib_path(true);
	char text[2048];
	int n;

	if (!c)
		return -EINVAL;
	if (!(tn__device_caps() & TN__CAP_OPENCL))
		return -ENODEV;
	if (!p)
		return -ENOENT;
	n = snprintf(text, sizeof(text),
		     "# libtn's calibration of this machine (tn-dispatch --calibrate).\n"
		     "# auto sends an operation to the device only when this says it finishes\n"
		     "# first (libtn(3), OPENCL).  Delete this file to keep auto on the CPU.\n"
		     "device %s\n", tn__cl_why());
#define X(f) n += snprintf(text + n, sizeof(text) - (size_t)n, #f " %.6g\n", c->f);
	FIELDS(X)
#undef X
	if (n < 0 || (size_t)n >= sizeof(text))
		return -ENAMETOOLONG;
	return tn_replace_file(p, text, (size_t)n);
}

/*
 * Reads the file: its numbers into *ret and its device line into dev (size
 * bytes).  Loads no driver: whether the device is this one is for the caller.
 */
static int read_calibration(struct tn_device_calibration *ret, char *dev, size_t size)
{
	const char *p = tn_device_calibration_path();
	struct tn_device_calibration c = { 0 };
	unsigned seen = 0, all = 0;
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

		if (line[0] == '#' || !v)
			continue;
		*v++ = '\0';
		if (strcmp(line, "device") == 0) {
			snprintf(dev, size, "%s", v);
			continue;
		}
#define X(f) \
		if (strcmp(line, #f) == 0) { \
			char *end; \
			c.f = strtod(v, &end); \
			if (*end || !(c.f > 0) || c.f > 1e300) \
				break; \
			seen |= bit; \
		} \
		bit <<= 1;
		FIELDS(X)
#undef X
	}
#define X(f) all = all << 1 | 1;
	FIELDS(X)
#undef X
	free(text);
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

/* The estimate of tn-device.h, in ns: device minus CPU. */
static double margin(const struct tn_device_calibration *c, double in, double out, double flops)
{
	double dev = c->launch_ns + in * 1e9 / c->upload_bps + out * 1e9 / c->download_bps;
	double cpu;

	if (flops > 0) {
		dev += flops * 1e9 / c->device_flops;
		cpu = flops * 1e9 / c->cpu_flops;
	} else {
		dev += (in + out) * 1e9 / c->device_stream_bps;
		cpu = (in + out) * 1e9 / c->cpu_stream_bps;
	}
	return dev - cpu;
}

static void load(void)
{
	/* The operations with a device kernel, as products or as streams. */
	static const enum tn_op products[] = { TN_OP_MATMUL };
	static const enum tn_op streams[] = {
		TN_OP_ADD, TN_OP_SUB, TN_OP_MUL, TN_OP_DIV, TN_OP_SCALE, TN_OP_AXPY, TN_OP_FMA,
		TN_OP_ABS, TN_OP_NEG, TN_OP_SQRT, TN_OP_RECIP, TN_OP_MINIMUM, TN_OP_MAXIMUM,
		TN_OP_CLAMP, TN_OP_FLOOR, TN_OP_CEIL, TN_OP_ROUND, TN_OP_TRUNC, TN_OP_SUM,
		TN_OP_DOT, TN_OP_MAX, TN_OP_MIN, TN_OP_ARGMAX, TN_OP_ARGMIN, TN_OP_NORM_L1,
		TN_OP_NORM_INF, TN_OP_NORM_L2, TN_OP_MEAN, TN_OP_VARIANCE, TN_OP_STDDEV, TN_OP_RELU,
		TN_OP_LEAKY_RELU, TN_OP_COSINE_BATCH, TN_OP_EUCLIDEAN_BATCH,
		TN_OP_MANHATTAN_BATCH, TN_OP_MATVEC, TN_OP_VECMAT, TN_OP_TRANSPOSE,
		TN_OP_EXP, TN_OP_LOG, TN_OP_LOG2, TN_OP_LOG10, TN_OP_SELU, TN_OP_SIGMOID,
		TN_OP_TANH, TN_OP_GELU, TN_OP_GELU_TANH, TN_OP_SWISH, TN_OP_HARDSWISH,
		TN_OP_MISH, TN_OP_ELU, TN_OP_POW, TN_OP_SOFTMAX, TN_OP_LOG_SOFTMAX,
		TN_OP_LAYER_NORM, TN_OP_COSINE, TN_OP_EUCLIDEAN, TN_OP_MANHATTAN,
	};
	double big = 1e12;

	if ((cal_status = read_calibration(&cal, cal_device, sizeof(cal_device))) < 0)
		return;
	/* Can the device ever win?  Streams: at any size, every byte uploaded
	 * once (the best case); products: a large one, whose flops grow faster
	 * than its bytes. */
	if (margin(&cal, big, 0, 0) < 0)
		for (size_t i = 0; i < sizeof(streams) / sizeof(streams[0]); i++)
			auto_ops |= 1ull << streams[i];
	if (margin(&cal, 3 * 4 * 4096.0 * 4096, 4 * 4096.0 * 4096, 2 * 4096.0 * 4096 * 4096) < 0)
		for (size_t i = 0; i < sizeof(products) / sizeof(products[0]); i++)
			auto_ops |= 1ull << products[i];
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

bool tn__cl_cpu_wins(size_t in, size_t out, double flops)
{
	if (tn_backend_forced() != TN_BACKEND_AUTO || measuring)
		return false;
	if (!tn__cl_auto_ops())
		return true;
	return margin(&cal, (double)in, (double)out, flops) >= 0;
}
