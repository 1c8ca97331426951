/* SPDX-License-Identifier: MIT */
/*
 * CPU against the OpenCL device, per operation and size: the best CPU
 * backend's time, the device's time by phase (upload, kernel, download, from
 * libtn's spans) and in all (wall time of the call, transfers included), and
 * what backend auto chose and its time, with the calibration auto follows
 * and each operation's class in its cost model.  auto must never be more than 10%
 * slower than the better of the two by running on the other: exit 1 if it
 * is (slower on the better side itself is noise, marked so).  Exit 77 without a
 * device.  Each time is the least of 3 rounds of REPS calls (after a
 * warm-up call), the rounds alternating auto, CPU and GPU.
 *
 *   meson test -C BUILD --benchmark -v tn-opencl    or    BUILD/bench/tn/bench-tn-opencl
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "tn-config.h"
#include "tn/tn.h"
#include "tn/tn-device.h"

#if TN_HAVE_OPENCL
#include "opencl/cl.h"          /* tn__cl_cpu_backend() */
#endif

#define REPS 7

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

struct job {
	const char *name;
	enum tn_op op;
	size_t m, n, k;
	void (*un)(size_t n, const float *x, float *y);   /* y = f(a), or NULL */
};

static float *a, *b, *c;
static volatile float sink;

static void call(const struct job *j)
{
	if (j->un) {
		j->un(j->n, a, c);
		return;
	}
	switch (j->op) {
	case TN_OP_MATMUL:
		tn_matmul(j->m, j->n, j->k, a, j->k, b, j->n, c, j->n);
		break;
	case TN_OP_MATMUL_BATCHED:     /* 16 products */
		tn_matmul_batched(16, j->m, j->n, j->k, a, j->k, j->m * j->k, b, j->n, j->k * j->n,
				  c, j->n, j->m * j->n);
		break;
	case TN_OP_MATVEC:
		tn_matvec(j->m, j->n, a, j->n, b, c);
		break;
	case TN_OP_ADD:
		tn_add(j->n, a, b, c);
		break;
	case TN_OP_RELU:
		tn_relu(j->n, a, c);
		break;
	case TN_OP_SUM:
		sink = tn_sum(j->n, a);
		break;
	case TN_OP_DOT:
		sink = tn_dot(j->n, a, b);
		break;
	case TN_OP_COSINE_BATCH:
		tn_cosine_batch(j->n, b, j->m, a, j->n, c);
		break;
	case TN_OP_COSINE:
		sink = tn_cosine(j->n, a, b);
		break;
	case TN_OP_EUCLIDEAN:
		sink = tn_euclidean(j->n, a, b);
		break;
	case TN_OP_LOG:
		tn_log(j->n, b, c);
		break;
	case TN_OP_POW:
		tn_pow(j->n, b, a, c);
		break;
	case TN_OP_LAYER_NORM:
		tn_layer_norm(j->n, a, b, NULL, 1e-5f, c);
		break;
	default:
		abort();
	}
}

/* The least wall time of one call, in us, over REPS (after one warm-up). */
static double best(const struct job *j)
{
	double m = 1e30;

	call(j);
	for (int r = 0; r < REPS; r++) {
		double t0 = now();

		call(j);
		t0 = now() - t0;
		m = t0 < m ? t0 : m;
	}
	return m;
}

/* Sum of the "dur" of the spans of phase ph in the text s, in us. */
static double phase_us(const char *s, const char *ph)
{
	char key[64];
	double sum = 0;

	snprintf(key, sizeof(key), "\"phase\":\"%s\"", ph);
	for (const char *p = strstr(s, key); p; p = strstr(p + 1, key)) {
		const char *line = p;
		unsigned long long dur;

		while (line > s && line[-1] != '\n')
			line--;
		const char *d = strstr(line, "\"dur\":");
		if (d && d < p && sscanf(d, "\"dur\":%llu", &dur) == 1)
			sum += (double)dur / 1e3;
	}
	return sum;
}

/* The device's phases of one call (the spans of the last of REPS calls; least kernel time). */
static void phases(const struct job *j, int fd, double ret[3])
{
	static char buf[1 << 16];
	const char *names[3] = { "upload", "kernel", "download" };

	for (int i = 0; i < 3; i++)
		ret[i] = 1e30;
	for (int r = 0; r < REPS; r++) {
		ssize_t got;

		if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) < 0)
			abort();
		tn_span_set_fd(fd);
		call(j);
		tn_span_set_fd(-1);
		got = pread(fd, buf, sizeof(buf) - 1, 0);
		buf[got > 0 ? got : 0] = '\0';
		for (int i = 0; i < 3; i++) {
			double t = phase_us(buf, names[i]);

			ret[i] = t < ret[i] ? t : ret[i];
		}
	}
}

/* Where one call under auto ran: the backend of its spans (it may differ by size). */
static void auto_ran(const struct job *j, int fd, char *ret, size_t size)
{
	char buf[4096];
	ssize_t got;
	const char *p;

	if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) < 0)
		abort();
	tn_backend_force(TN_BACKEND_AUTO);
	tn_span_set_fd(fd);
	call(j);
	tn_span_set_fd(-1);
	got = pread(fd, buf, sizeof(buf) - 1, 0);
	buf[got > 0 ? got : 0] = '\0';
	p = strstr(buf, "\"backend\":\"");
	if (!p) {
		snprintf(ret, size, "?");
		return;
	}
	p += strlen("\"backend\":\"");
	snprintf(ret, size, "%.*s", (int)strcspn(p, "\""), p);
}

int main(int argc, char **argv)
{
	static const struct job jobs[] = {
		{ "matmul", TN_OP_MATMUL, 64, 64, 64, NULL },
		{ "matmul", TN_OP_MATMUL, 256, 256, 256, NULL },
		{ "matmul", TN_OP_MATMUL, 512, 512, 512, NULL },
		{ "matmul_batched", TN_OP_MATMUL_BATCHED, 64, 64, 64, NULL },
		{ "matvec", TN_OP_MATVEC, 1024, 1024, 0, NULL },
		{ "add", TN_OP_ADD, 0, 1 << 20, 0, NULL },
		{ "relu", TN_OP_RELU, 0, 1 << 20, 0, NULL },
		{ "sum", TN_OP_SUM, 0, 1 << 20, 0, NULL },
		{ "dot", TN_OP_DOT, 0, 1 << 20, 0, NULL },
		{ "cosine_batch", TN_OP_COSINE_BATCH, 4096, 256, 0, NULL },
		{ "cosine", TN_OP_COSINE, 0, 1 << 20, 0, NULL },
		{ "euclidean", TN_OP_EUCLIDEAN, 0, 1 << 20, 0, NULL },
		{ "exp", TN_OP_EXP, 0, 1 << 20, 0, tn_exp },
		{ "log", TN_OP_LOG, 0, 1 << 20, 0, NULL },
		{ "sigmoid", TN_OP_SIGMOID, 0, 1 << 20, 0, tn_sigmoid },
		{ "tanh", TN_OP_TANH, 0, 1 << 20, 0, tn_tanh },
		{ "gelu", TN_OP_GELU, 0, 1 << 20, 0, tn_gelu },
		{ "mish", TN_OP_MISH, 0, 1 << 20, 0, tn_mish },
		{ "pow", TN_OP_POW, 0, 1 << 20, 0, NULL },
		{ "softmax", TN_OP_SOFTMAX, 0, 1 << 12, 0, tn_softmax },
		{ "softmax", TN_OP_SOFTMAX, 0, 1 << 20, 0, tn_softmax },
		{ "log_softmax", TN_OP_LOG_SOFTMAX, 0, 1 << 20, 0, tn_log_softmax },
		{ "layer_norm", TN_OP_LAYER_NORM, 0, 1 << 12, 0, NULL },
		{ "layer_norm", TN_OP_LAYER_NORM, 0, 1 << 20, 0, NULL },
	};
	struct tn_device_calibration cal;
	const char *why;
	int fd, bad = 0;
	size_t big = 1 << 20;

	(void)argc;
	(void)argv;
	if (tn_device_status(&why) < 0) {
		printf("no OpenCL device (%s): skipped\n", why);
		return 77;
	}
	fd = memfd_create("spans", 0);
	a = malloc(big * sizeof(float));
	b = malloc(big * sizeof(float));
	c = malloc(big * sizeof(float));
	if (fd < 0 || !a || !b || !c)
		return 1;
	for (size_t i = 0; i < big; i++) {
		a[i] = (float)(i % 1000) / 1000.0f - 0.5f;
		b[i] = (float)(i % 777) / 777.0f;
	}
	printf("device: %s\n", why);
	if (tn_device_calibration_load(&cal) == 0) {
		printf("calibration: launch %.1f us, upload %.2f GB/s, download %.2f GB/s",
		       cal.launch_ns / 1e3, cal.upload_bps / 1e9, cal.download_bps / 1e9);
		for (int k = 0; k < TN_DEVICE_CLASS_COUNT_; k++)
			printf(", %s %.2f / %.2f GB/s", tn_device_class_name((enum tn_device_class)k),
			       cal.device_bps[k] / 1e9, cal.cpu_bps[k] / 1e9);
		printf(", matmul %.2f / %.2f GFLOP/s (device / CPU)\n\n", cal.device_flops / 1e9,
		       cal.cpu_flops / 1e9);
	} else {
		printf("no calibration: auto keeps every call on the CPU\n\n");
	}
	printf("| operation | class | size | CPU (%s) us | GPU upload us | GPU kernel us | GPU download us | GPU total us | auto chose | auto us | auto / best |\n",
	       "best");
	printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++) {
		const struct job *j = &jobs[i];
		char size[64];
		double cpu, gpu, autot, ph[3], ratio;
		bool wrong;
		enum tn_backend cpu_b;
		char ran[32];
		int cls;

		if (j->op == TN_OP_MATMUL)
			snprintf(size, sizeof(size), "%zux%zux%zu", j->m, j->n, j->k);
		else if (j->op == TN_OP_MATMUL_BATCHED)
			snprintf(size, sizeof(size), "16x%zux%zux%zu", j->m, j->n, j->k);
		else if (j->m)
			snprintf(size, sizeof(size), "%zux%zu", j->m, j->n);
		else
			snprintf(size, sizeof(size), "%zu", j->n);
		tn_backend_force(TN_BACKEND_AUTO);
		auto_ran(j, fd, ran, sizeof(ran));
		/* The best CPU backend (what auto runs when it keeps the call on the CPU). */
#if TN_HAVE_OPENCL
		cpu_b = tn__cl_cpu_backend(j->op);
#else
		cpu_b = tn_op_backend(j->op);
#endif
		/* Rounds that alternate auto, CPU and GPU, so that a busy moment
		 * of a shared machine does not land on one of them only. */
		autot = cpu = gpu = 1e30;
		for (int round = 0; round < 3; round++) {
			double t;

			tn_backend_force(TN_BACKEND_AUTO);
			t = best(j);
			autot = t < autot ? t : autot;
			tn_backend_force(cpu_b);
			t = best(j);
			cpu = t < cpu ? t : cpu;
			tn_backend_force(TN_BACKEND_OPENCL);
			t = best(j);
			gpu = t < gpu ? t : gpu;
		}
		phases(j, fd, ph);
		tn_backend_force(TN_BACKEND_AUTO);
		ratio = autot / (cpu < gpu ? cpu : gpu);
		/* auto on the better side is right, whatever the noise between
		 * the rounds says: only a call sent to the slower side counts. */
		wrong = ratio > 1.10 && strcmp(ran, cpu < gpu ? tn_backend_name(cpu_b) : "opencl") != 0;
		cls = tn_device_op_class(j->op);
		printf("| %s | %s | %s | %.1f (%s) | %.1f | %.1f | %.1f | %.1f | %s | %.1f | %.2f%s |\n",
		       j->name, cls >= 0 ? tn_device_class_name((enum tn_device_class)cls) :
		       j->op == TN_OP_MATMUL ? "matmul" : "-", size, cpu, tn_backend_name(cpu_b), ph[0], ph[1], ph[2], gpu,
		       ran, autot, ratio, wrong ? " SLOWER" : ratio > 1.10 ? " (noise: the better side)" : "");
		bad |= wrong;
	}
	printf("\nauto %s more than 10%% slower than the better of CPU and GPU\n",
	       bad ? "WAS" : "was never");
	return bad;
}
