/* SPDX-License-Identifier: MIT */
/* The kernel registry: every operation has a scalar kernel, names match the enum,
 * and the preference table chooses as enum order did on every simulated CPU. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tn-check.h"
#include "tn/tn-device.h"
#include "internal.h"

/* Written out by hand, independently of TN_OPS, to catch an order mismatch. */
static const struct {
	enum tn_op op;
	const char *name;
} op_table[] = {
	{ TN_OP_ADD, "add" }, { TN_OP_SUB, "sub" }, { TN_OP_MUL, "mul" },
	{ TN_OP_DIV, "div" }, { TN_OP_SCALE, "scale" }, { TN_OP_AXPY, "axpy" },
	{ TN_OP_FMA, "fma" }, { TN_OP_ABS, "abs" }, { TN_OP_NEG, "neg" },
	{ TN_OP_SQRT, "sqrt" }, { TN_OP_RECIP, "recip" },
	{ TN_OP_MINIMUM, "minimum" }, { TN_OP_MAXIMUM, "maximum" },
	{ TN_OP_CLAMP, "clamp" }, { TN_OP_EXP, "exp" }, { TN_OP_LOG, "log" },
	{ TN_OP_LOG2, "log2" }, { TN_OP_LOG10, "log10" }, { TN_OP_POW, "pow" },
	{ TN_OP_FLOOR, "floor" }, { TN_OP_CEIL, "ceil" }, { TN_OP_ROUND, "round" },
	{ TN_OP_TRUNC, "trunc" }, { TN_OP_SUM, "sum" }, { TN_OP_DOT, "dot" },
	{ TN_OP_MAX, "max" }, { TN_OP_MIN, "min" }, { TN_OP_ARGMAX, "argmax" },
	{ TN_OP_ARGMIN, "argmin" }, { TN_OP_NORM_L1, "norm_l1" },
	{ TN_OP_NORM_L2, "norm_l2" }, { TN_OP_NORM_INF, "norm_inf" },
	{ TN_OP_MEAN, "mean" }, { TN_OP_VARIANCE, "variance" },
	{ TN_OP_STDDEV, "stddev" }, { TN_OP_RELU, "relu" },
	{ TN_OP_LEAKY_RELU, "leaky_relu" }, { TN_OP_ELU, "elu" },
	{ TN_OP_SELU, "selu" }, { TN_OP_SIGMOID, "sigmoid" }, { TN_OP_TANH, "tanh" },
	{ TN_OP_GELU, "gelu" }, { TN_OP_GELU_TANH, "gelu_tanh" },
	{ TN_OP_SWISH, "swish" }, { TN_OP_HARDSWISH, "hardswish" },
	{ TN_OP_MISH, "mish" }, { TN_OP_SOFTMAX, "softmax" },
	{ TN_OP_LOG_SOFTMAX, "log_softmax" }, { TN_OP_LAYER_NORM, "layer_norm" },
	{ TN_OP_COSINE, "cosine" }, { TN_OP_EUCLIDEAN, "euclidean" },
	{ TN_OP_MANHATTAN, "manhattan" }, { TN_OP_COSINE_BATCH, "cosine_batch" },
	{ TN_OP_EUCLIDEAN_BATCH, "euclidean_batch" },
	{ TN_OP_MANHATTAN_BATCH, "manhattan_batch" }, { TN_OP_MATMUL, "matmul" },
	{ TN_OP_TRANSPOSE, "transpose" }, { TN_OP_MATVEC, "matvec" },
	{ TN_OP_VECMAT, "vecmat" }, { TN_OP_MATMUL_BATCHED, "matmul_batched" },
};

static void test_op_names(void **state)
{
	(void)state;
	assert_int_equal(sizeof(op_table) / sizeof(op_table[0]), TN_OP_COUNT_);
	for (size_t i = 0; i < TN_OP_COUNT_; i++) {
		enum tn_op op;

		assert_string_equal(tn_op_name(op_table[i].op), op_table[i].name);
		assert_int_equal(tn_op_from_name(op_table[i].name, &op), 0);
		assert_int_equal(op, op_table[i].op);
	}
	assert_null(tn_op_name(TN_OP_COUNT_));
	assert_int_equal(tn_op_from_name("dott", NULL), -EINVAL);
	assert_int_equal(tn_op_from_name("", NULL), -EINVAL);
	assert_int_equal(tn_op_from_name(NULL, NULL), -EINVAL);
}

/* Fails, naming them, while any operation lacks a definition or a scalar kernel. */
static void test_registry_complete(void **state)
{
	char missing[2048] = "";
	size_t len = 0;

	(void)state;
	for (int op = 0; op < TN_OP_COUNT_; op++) {
		const struct tn__op_impl *impl = tn__op_impl((enum tn_op)op);

		if (impl && impl->fn[TN_BACKEND_SCALAR])
			continue;
		len += (size_t)snprintf(missing + len, sizeof(missing) - len, " %s%s",
					tn_op_name((enum tn_op)op), impl ? "(no scalar)" : "");
		if (len >= sizeof(missing))
			break;
	}
	if (missing[0])
		fail_msg("operations without a scalar kernel:%s", missing);
}

/* No table names a kernel for the AUTO slot; auto_skip names only real backends, never scalar. */
static void test_registry_sane(void **state)
{
	(void)state;
	for (int op = 0; op < TN_OP_COUNT_; op++) {
		const struct tn__op_impl *impl = tn__op_impl((enum tn_op)op);

		if (!impl)
			continue;
		assert_null(impl->fn[TN_BACKEND_AUTO]);
		assert_int_equal(impl->auto_skip & ~((1u << TN_BACKEND_COUNT_) - 1), 0);
		assert_int_equal(impl->auto_skip & (1u << TN_BACKEND_AUTO | 1u << TN_BACKEND_SCALAR), 0);
	}
}

/*
 * The choice on this CPU: never a backend the CPU lacks, never one without a
 * kernel, and what the enum-order walk that preceded the table chose (the
 * highest-numbered available backend with a kernel, up to the forced one).
 */
static void test_choice(void **state)
{
	(void)state;
	for (int f = TN_BACKEND_AUTO; f < TN_BACKEND_COUNT_; f++) {
		if (!tn_backend_available((enum tn_backend)f))
			continue;
		assert_int_equal(tn_backend_force((enum tn_backend)f), 0);
		for (int op = 0; op < TN_OP_COUNT_; op++) {
			const struct tn__op_impl *impl = tn__op_impl((enum tn_op)op);
			enum tn_backend b = tn_op_backend((enum tn_op)op);

			if (!impl || !impl->fn[TN_BACKEND_SCALAR])
				continue;
			assert_true(tn_backend_available(b));
			assert_non_null(impl->fn[b]);
			if (f == TN_BACKEND_OPENCL) {
				/* A forced device: its kernel, else scalar. */
				assert_int_equal(b, impl->fn[f] ? f : TN_BACKEND_SCALAR);
			} else if (f != TN_BACKEND_AUTO) {
				assert_true((int)b <= f);
				/* The highest below the forced one that has a kernel. */
				for (int h = b + 1; h <= f; h++)
					assert_true(impl->fn[h] == NULL || !tn_backend_available((enum tn_backend)h));
			} else if (b == TN_BACKEND_OPENCL) {
				/* Only under a calibration where the device can win (tn-device.h). */
				assert_int_equal(tn_device_calibration_load(NULL), 0);
			} else {
				/* The CPU rows in enum order (the device row is not auto_ok). */
				for (int h = b + 1; h < TN_BACKEND_OPENCL; h++)
					assert_true(impl->fn[h] == NULL || (impl->auto_skip >> h & 1u) ||
						    !tn_backend_available((enum tn_backend)h));
			}
		}
	}
	assert_int_equal(tn_backend_force(TN_BACKEND_AUTO), 0);
}

/* ---- The preference table on simulated machines ---------------------------- */

#define BIT(b) (1u << (b))

static const struct tn__backend_row *row(enum tn_backend b)
{
	for (unsigned i = 0; i < TN__BACKEND_ROWS; i++)
		if (tn__backend_table[i].backend == b)
			return &tn__backend_table[i];
	return NULL;
}

/* One row per backend but AUTO; scalar last, requiring nothing; wider sets include narrower ones. */
static void test_table_shape(void **state)
{
	(void)state;
	for (int b = TN_BACKEND_AUTO; b < TN_BACKEND_COUNT_; b++) {
		int rows = 0;

		for (unsigned i = 0; i < TN__BACKEND_ROWS; i++)
			rows += tn__backend_table[i].backend == (enum tn_backend)b;
		assert_int_equal(rows, b == TN_BACKEND_AUTO ? 0 : 1);
	}
	assert_int_equal(tn__backend_table[TN__BACKEND_ROWS - 1].backend, TN_BACKEND_SCALAR);
	assert_int_equal(tn__backend_table[TN__BACKEND_ROWS - 1].requires, 0);
	assert_int_equal(row(TN_BACKEND_SSE2)->requires & ~row(TN_BACKEND_AVX2)->requires, 0);
	assert_int_equal(row(TN_BACKEND_AVX2)->requires & ~row(TN_BACKEND_AVX512)->requires, 0);
	/* CPU rows are all automatic (device rows, from TN__CAP_DEVICE_FIRST up, need not be). */
	for (unsigned i = 0; i < TN__BACKEND_ROWS; i++)
		if (tn__backend_table[i].requires < TN__CAP_DEVICE_FIRST)
			assert_true(tn__backend_table[i].auto_ok);
}

/* Machines by capability: no SIMD, SSE2 only, AVX2 without FMA, FMA without AVX2, AVX2+FMA, AVX-512, AArch64. */
static const unsigned machines[] = {
	0,
	TN__CAP_SSE2,
	TN__CAP_SSE2 | TN__CAP_AVX2,
	TN__CAP_SSE2 | TN__CAP_FMA,
	TN__CAP_SSE2 | TN__CAP_AVX2 | TN__CAP_FMA,
	TN__CAP_SSE2 | TN__CAP_AVX2 | TN__CAP_FMA | TN__CAP_AVX512,
	TN__CAP_NEON,
};

/* The backends the detection before the table reported for caps (cpu.c then). */
static unsigned old_available(unsigned caps)
{
	unsigned m = BIT(TN_BACKEND_SCALAR);

	if (caps & TN__CAP_SSE2)
		m |= BIT(TN_BACKEND_SSE2);
	if ((caps & TN__CAP_AVX2) && (caps & TN__CAP_FMA)) {
		m |= BIT(TN_BACKEND_AVX2);
		if (caps & TN__CAP_AVX512)
			m |= BIT(TN_BACKEND_AVX512);
	}
	if (caps & TN__CAP_NEON)
		m |= BIT(TN_BACKEND_NEON);
	return m;
}

/* The choice before the table: walk down the enum from the forced backend (or the top). */
static enum tn_backend old_choice(unsigned kernels, unsigned skip, unsigned avail, int f)
{
	int top = f != TN_BACKEND_AUTO ? f : TN_BACKEND_COUNT_ - 1;

	for (int b = top; b > TN_BACKEND_SCALAR; b--)
		if ((kernels & avail & BIT(b)) && (f != TN_BACKEND_AUTO || !(skip & BIT(b))))
			return (enum tn_backend)b;
	return TN_BACKEND_SCALAR;
}

/* Every kernel set, auto_skip set, machine and force: the table chooses as the enum walk did. */
static void test_table_as_before(void **state)
{
	const unsigned cpu = BIT(TN_BACKEND_SSE2) | BIT(TN_BACKEND_AVX2) |
			     BIT(TN_BACKEND_AVX512) | BIT(TN_BACKEND_NEON);

	(void)state;
	for (unsigned m = 0; m < sizeof(machines) / sizeof(machines[0]); m++) {
		unsigned avail = old_available(machines[m]);

		for (unsigned k = 0; k <= cpu; k++) {
			unsigned kernels = (k & cpu) | BIT(TN_BACKEND_SCALAR);

			if (k & ~cpu)
				continue;
			for (unsigned skip = 0; skip <= cpu; skip++) {
				if (skip & ~cpu)
					continue;
				for (int f = TN_BACKEND_AUTO; f < TN_BACKEND_COUNT_; f++) {
					enum tn_backend got;

					if (f != TN_BACKEND_AUTO && !(avail & BIT(f)))
						continue;
					got = tn__pick(tn__backend_table, TN__BACKEND_ROWS, kernels,
						       skip, machines[m], (enum tn_backend)f);
					if (got != old_choice(kernels, skip, avail, f))
						fail_msg("machine %#x kernels %#x skip %#x forced %s: %s, was %s",
							 machines[m], kernels, skip,
							 tn_backend_name((enum tn_backend)f),
							 tn_backend_name(got),
							 tn_backend_name(old_choice(kernels, skip, avail, f)));
				}
			}
		}
	}
}

/* The registry's own kernels on a few machines, stated outright. */
static void test_table_registry(void **state)
{
	unsigned add = tn__kernels(tn__op_impl(TN_OP_ADD));
	unsigned fma = tn__kernels(tn__op_impl(TN_OP_FMA));
	unsigned tr = tn__kernels(tn__op_impl(TN_OP_TRANSPOSE));
	const unsigned sse2 = TN__CAP_SSE2, avx2_nofma = sse2 | TN__CAP_AVX2;
	const unsigned avx2 = avx2_nofma | TN__CAP_FMA, avx512 = avx2 | TN__CAP_AVX512;
	const struct tn__backend_row *t = tn__backend_table;
	const unsigned n = TN__BACKEND_ROWS;

	(void)state;
#if defined(__x86_64__)
	assert_int_equal(tn__pick(t, n, add, 0, 0, TN_BACKEND_AUTO), TN_BACKEND_SCALAR);
	assert_int_equal(tn__pick(t, n, add, 0, sse2, TN_BACKEND_AUTO), TN_BACKEND_SSE2);
	assert_int_equal(tn__pick(t, n, add, 0, avx2_nofma, TN_BACKEND_AUTO), TN_BACKEND_SSE2);
	assert_int_equal(tn__pick(t, n, add, 0, avx2, TN_BACKEND_AUTO), TN_BACKEND_AVX2);
	assert_int_equal(tn__pick(t, n, add, 0, avx512, TN_BACKEND_AUTO), TN_BACKEND_AVX512);
	assert_int_equal(tn__pick(t, n, add, BIT(TN_BACKEND_AVX512), avx512, TN_BACKEND_AUTO),
			 TN_BACKEND_AVX2);
	/* fma and axpy have no sse2 kernel; transpose none for AVX-512. */
	assert_int_equal(tn__pick(t, n, fma, 0, sse2, TN_BACKEND_AUTO), TN_BACKEND_SCALAR);
	assert_int_equal(tn__pick(t, n, fma, 0, avx2_nofma, TN_BACKEND_AUTO), TN_BACKEND_SCALAR);
	assert_int_equal(tn__pick(t, n, tr, 0, avx512, TN_BACKEND_AUTO), TN_BACKEND_AVX2);
	/* Forcing: never wider than the forced backend, auto_skip ignored. */
	assert_int_equal(tn__pick(t, n, add, 0, avx512, TN_BACKEND_AVX2), TN_BACKEND_AVX2);
	assert_int_equal(tn__pick(t, n, add, 0, avx512, TN_BACKEND_SCALAR), TN_BACKEND_SCALAR);
	assert_int_equal(tn__pick(t, n, fma, 0, avx512, TN_BACKEND_SSE2), TN_BACKEND_SCALAR);
	assert_int_equal(tn__pick(t, n, tr, 0, avx512, TN_BACKEND_AVX512), TN_BACKEND_AVX2);
	assert_int_equal(tn__pick(t, n, add, BIT(TN_BACKEND_AVX512), avx512, TN_BACKEND_AVX512),
			 TN_BACKEND_AVX512);
#else
	(void)add; (void)fma; (void)tr; (void)avx512; (void)t; (void)n;
	skip();
#endif
}

/*
 * A device backend (a number past the enum, a capability bit from
 * TN__CAP_DEVICE_FIRST) in the most preferred row: auto never takes it unless
 * its row says auto_ok; forcing it runs its kernel, or scalar, never AVX-512.
 */
static void test_table_device(void **state)
{
	const enum tn_backend dev = (enum tn_backend)TN_BACKEND_COUNT_;
	const unsigned cpu = TN__CAP_SSE2 | TN__CAP_AVX2 | TN__CAP_FMA | TN__CAP_AVX512;
	const unsigned all = BIT(TN_BACKEND_SCALAR) | BIT(TN_BACKEND_SSE2) |
			     BIT(TN_BACKEND_AVX2) | BIT(TN_BACKEND_AVX512);
	struct tn__backend_row rows[TN__BACKEND_ROWS + 1];
	unsigned n = 1;

	(void)state;
	/* The simulated device, then the real table's CPU rows (not its own devices'). */
	rows[0] = (struct tn__backend_row){ dev, TN__CAP_DEVICE_FIRST, false };
	for (unsigned i = 0; i < TN__BACKEND_ROWS; i++)
		if (tn__backend_table[i].requires < TN__CAP_DEVICE_FIRST)
			rows[n++] = tn__backend_table[i];

	/* Automatic: present, with a kernel, first in the table, and still not taken. */
	assert_int_equal(tn__pick(rows, n, all | BIT(dev), 0, cpu | TN__CAP_DEVICE_FIRST,
				  TN_BACKEND_AUTO), TN_BACKEND_AVX512);
	assert_int_equal(tn__pick(rows, n, BIT(TN_BACKEND_SCALAR) | BIT(dev), 0,
				  TN__CAP_DEVICE_FIRST, TN_BACKEND_AUTO), TN_BACKEND_SCALAR);
	/* Forced: its kernel; without one, scalar (the only row needing nothing of the CPU). */
	assert_int_equal(tn__pick(rows, n, all | BIT(dev), 0, cpu | TN__CAP_DEVICE_FIRST, dev), dev);
	assert_int_equal(tn__pick(rows, n, all, 0, cpu | TN__CAP_DEVICE_FIRST, dev),
			 TN_BACKEND_SCALAR);
	/* Forcing a CPU backend never runs the device. */
	assert_int_equal(tn__pick(rows, n, all | BIT(dev), 0, cpu | TN__CAP_DEVICE_FIRST,
				  TN_BACKEND_AVX2), TN_BACKEND_AVX2);
	assert_int_equal(tn__pick(rows, n, BIT(TN_BACKEND_SCALAR) | BIT(dev), 0,
				  cpu | TN__CAP_DEVICE_FIRST, TN_BACKEND_AVX512), TN_BACKEND_SCALAR);

	/* A row that says auto_ok is taken, but only where the device is present. */
	rows[0].auto_ok = true;
	assert_int_equal(tn__pick(rows, n, all | BIT(dev), 0, cpu | TN__CAP_DEVICE_FIRST,
				  TN_BACKEND_AUTO), dev);
	assert_int_equal(tn__pick(rows, n, all | BIT(dev), 0, cpu, TN_BACKEND_AUTO),
			 TN_BACKEND_AVX512);
	assert_int_equal(tn__pick(rows, n, all | BIT(dev), BIT(dev), cpu | TN__CAP_DEVICE_FIRST,
				  TN_BACKEND_AUTO), TN_BACKEND_AVX512);
	/* A device row below the CPU rows, auto_ok: the CPU rows come first. */
	rows[0] = rows[1];
	rows[1] = rows[2];
	rows[2] = rows[3];
	rows[3] = (struct tn__backend_row){ dev, TN__CAP_DEVICE_FIRST, true };
	assert_int_equal(tn__pick(rows, n, all | BIT(dev), 0, cpu | TN__CAP_DEVICE_FIRST,
				  TN_BACKEND_AUTO), TN_BACKEND_AVX512);
	assert_int_equal(tn__pick(rows, n, BIT(TN_BACKEND_SCALAR) | BIT(TN_BACKEND_SSE2) | BIT(dev),
				  0, TN__CAP_SSE2 | TN__CAP_DEVICE_FIRST, TN_BACKEND_AUTO),
			 TN_BACKEND_SSE2);
	assert_int_equal(tn__pick(rows, n, BIT(TN_BACKEND_SCALAR) | BIT(dev), 0,
				  TN__CAP_SSE2 | TN__CAP_DEVICE_FIRST, TN_BACKEND_AUTO), dev);
}

/* This machine: tn__backends() is the rows that tn__caps() satisfies, and AVX2 implies FMA. */
static void test_table_here(void **state)
{
	unsigned backends = tn__backends(), caps = tn__caps();
	unsigned dev = tn__device_caps();

	(void)state;
	/* tn__backends() probed the devices; tn__caps() has their bits from then on. */
	assert_int_equal(caps, tn__cpu_caps() | dev);
	assert_int_equal(dev & ~TN__CAP_OPENCL, 0);
	assert_int_equal(backends, old_available(tn__cpu_caps()) |
			 (dev & TN__CAP_OPENCL ? BIT(TN_BACKEND_OPENCL) : 0));
	for (int b = TN_BACKEND_SCALAR; b < TN_BACKEND_COUNT_; b++)
		assert_int_equal(tn_backend_available((enum tn_backend)b), (backends >> b) & 1u);
}

/* ---- Spans by phase --------------------------------------------------------- */

/* tn__span_write names the phase it is given; tn__span_end writes "kernel". */
static void test_span_phase(void **state)
{
	static const struct {
		enum tn__phase phase;
		const char *want;
	} cases[] = {
		{ TN__PHASE_KERNEL, "\"phase\":\"kernel\"}" },
		{ TN__PHASE_UPLOAD, "\"phase\":\"upload\"}" },
		{ TN__PHASE_DOWNLOAD, "\"phase\":\"download\"}" },
	};
	char buf[1024];
	int p[2];
	ssize_t got;

	(void)state;
	assert_int_equal(pipe(p), 0);
	tn_span_set_fd(p[1]);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tn__span_write(TN_OP_MATMUL, TN_BACKEND_SCALAR, cases[i].phase, 4, 64,
			       tn__now_ns());
		got = read(p[0], buf, sizeof(buf) - 1);
		assert_true(got > 0);
		buf[got] = '\0';
		assert_non_null(strstr(buf, "\"name\":\"matmul\""));
		assert_non_null(strstr(buf, cases[i].want));
	}
	tn__span_end(TN_OP_ADD, TN_BACKEND_SCALAR, 4, 48, tn__span_begin());
	got = read(p[0], buf, sizeof(buf) - 1);
	assert_true(got > 0);
	buf[got] = '\0';
	assert_non_null(strstr(buf, "\"phase\":\"kernel\"}"));
	tn_span_set_fd(-1);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_op_names),
		cmocka_unit_test(test_registry_sane),
		cmocka_unit_test(test_choice),
		cmocka_unit_test(test_registry_complete),
		cmocka_unit_test(test_table_shape),
		cmocka_unit_test(test_table_as_before),
		cmocka_unit_test(test_table_registry),
		cmocka_unit_test(test_table_device),
		cmocka_unit_test(test_table_here),
		cmocka_unit_test(test_span_phase),
	};

	return tn_check_run("tn-registry", tests);
}
