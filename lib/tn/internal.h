/* SPDX-License-Identifier: MIT */
/* libtn internals: the dispatch registry, spans and helpers shared by the kernel files. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tn/tn.h"
#include "tn-config.h"

/*
 * Everything declared from here on is internal to libtn: hidden, so that
 * the entry points reach the registry and flags without a GOT load (the
 * version script keeps them unexported anyway).
 */
#pragma GCC visibility push(hidden)

#define tn__likely(x)   __builtin_expect(!!(x), 1)
#define tn__unlikely(x) __builtin_expect(!!(x), 0)

/*
 * Every operation, in the order of enum tn_op.  X(name) where name is the
 * public name without "tn_".  Adding an operation means: a line here, an
 * enum value in tn.h, and a definition of tn__impl_<name> in its owner file.
 */
#define TN_OPS(X) \
	X(add) X(sub) X(mul) X(div) X(scale) X(axpy) X(fma) X(abs) X(neg) \
	X(sqrt) X(recip) X(minimum) X(maximum) X(clamp) X(exp) X(log) X(log2) \
	X(log10) X(pow) X(floor) X(ceil) X(round) X(trunc) \
	X(sum) X(dot) X(max) X(min) X(argmax) X(argmin) X(norm_l1) X(norm_l2) \
	X(norm_inf) X(mean) X(variance) X(stddev) \
	X(relu) X(leaky_relu) X(elu) X(selu) X(sigmoid) X(tanh) X(gelu) \
	X(gelu_tanh) X(swish) X(hardswish) X(mish) X(softmax) X(log_softmax) \
	X(layer_norm) \
	X(cosine) X(euclidean) X(manhattan) X(cosine_batch) X(euclidean_batch) \
	X(manhattan_batch) \
	X(matmul) X(transpose) X(matvec) X(vecmat) X(matmul_batched)

/* A kernel of any signature; cast back to its exact type before calling. */
typedef void (*tn__fn)(void);

/*
 * What one operation offers: a kernel per backend (NULL: none for that
 * backend), and the backends (bit 1 << b) the automatic choice passes over
 * for it, for operations where measurement showed a wider unit is not
 * faster (memory-bound work on some AVX-512 parts).  A forced backend
 * ignores auto_skip.
 */
struct tn__op_impl {
	tn__fn fn[TN_BACKEND_COUNT_];
	unsigned auto_skip;
};

/* Each owner file defines, for each of its operations:
 *   const struct tn__op_impl tn__impl_<name> = { .fn = { [TN_BACKEND_SCALAR] = ... } };
 */
#define X(name) extern const struct tn__op_impl tn__impl_##name;
TN_OPS(X)
#undef X

/* The backend chosen for each op; 0 (AUTO) until first asked. */
extern uint8_t tn__choice[TN_OP_COUNT_];
enum tn_backend tn__choose_slow(enum tn_op op);

/*
 * The backend op runs on, by tn__pick() over tn__backend_table: the forced
 * one's rule, else the first row the machine and op allow.  Chosen once per
 * op; tn_backend_force() clears the cache.
 */
static inline enum tn_backend tn__choose(enum tn_op op)
{
	/* Relaxed: a plain load, but no data race with tn_backend_force(). */
	uint8_t b = __atomic_load_n(&tn__choice[op], __ATOMIC_RELAXED);

	if (tn__likely(b != 0))
		return (enum tn_backend)b;
	return tn__choose_slow(op);
}

/* The kernel for op on backend b, cast to type T. */
#define TN__KERNEL(T, name, b) ((T)tn__impl_##name.fn[(b)])

/*
 * The registry entry of op: NULL while no part defines tn__impl_<name> (the
 * registry refers to them weakly, so libtn links while parts are missing;
 * tests/tn/test-registry.c fails until every op has a scalar kernel).
 */
const struct tn__op_impl *tn__op_impl(enum tn_op op);

/*
 * Kernel table entries for the instruction sets built on this host (the core
 * files get TN_HAVE_SSE2/AVX2/AVX512 = 0 or 1 from lib/tn/meson.build):
 *   const struct tn__op_impl tn__impl_add = { .fn = {
 *	TN__SCALAR(tn__add_scalar) TN__SSE2(tn__add_sse2)
 *	TN__AVX2(tn__add_avx2) TN__AVX512(tn__add_avx512) } };
 * Kernel files are compiled with -DTN_ISA_SCALAR, -DTN_ISA_SSE2, ...
 */
#define TN__SCALAR(f) [TN_BACKEND_SCALAR] = (tn__fn)(f),
#if defined(TN_HAVE_SSE2) && TN_HAVE_SSE2
#define TN__SSE2(f) [TN_BACKEND_SSE2] = (tn__fn)(f),
#else
#define TN__SSE2(f)
#endif
#if defined(TN_HAVE_AVX2) && TN_HAVE_AVX2
#define TN__AVX2(f) [TN_BACKEND_AVX2] = (tn__fn)(f),
#else
#define TN__AVX2(f)
#endif
#if defined(TN_HAVE_AVX512) && TN_HAVE_AVX512
#define TN__AVX512(f) [TN_BACKEND_AVX512] = (tn__fn)(f),
#else
#define TN__AVX512(f)
#endif
/* The OpenCL backend (opencl/ops.h), where libtn is built with it. */
#if defined(TN_HAVE_OPENCL) && TN_HAVE_OPENCL
#define TN__OPENCL(f) [TN_BACKEND_OPENCL] = (tn__fn)(f),
#else
#define TN__OPENCL(f)
#endif

/* A baseline file must never be built with wide flags by mistake. */
#if defined(TN_ISA_SCALAR) && (defined(__AVX__) || defined(__AVX2__) || defined(__AVX512F__))
#error "scalar kernels compiled with AVX flags"
#endif
#if defined(TN_ISA_SSE2) && (defined(__AVX__) || defined(__AVX512F__))
#error "SSE2 kernels compiled with AVX flags"
#endif
#if defined(TN_ISA_AVX2) && defined(__AVX512F__)
#error "AVX2 kernels compiled with AVX-512 flags"
#endif

/* ---- Capabilities and the backend preference table ---------------------- */

/*
 * What the machine offers, one bit each: CPU features (each only when the
 * OS also saves the registers it uses), and devices, probed on first use,
 * from bit 16 up.  A backend's row names the bits its code needs.
 */
enum {
	TN__CAP_SSE2 = 1u << 0,
	TN__CAP_AVX2 = 1u << 1,         /* AVX2 (and AVX), YMM state saved */
	TN__CAP_FMA = 1u << 2,          /* FMA3, YMM state saved */
	TN__CAP_AVX512 = 1u << 3,       /* AVX-512 F, VL, DQ and BW, ZMM and mask state saved */
	TN__CAP_NEON = 1u << 4,         /* AArch64 Advanced SIMD */
	TN__CAP_DEVICE_FIRST = 1u << 16,
	TN__CAP_OPENCL = TN__CAP_DEVICE_FIRST,  /* an OpenCL device (opencl/cl.c), probed when asked */
};

/*
 * One row of the preference table: backend runs where the machine has every
 * bit of requires (everything its code may execute: an ISA row names the
 * sets its compiler flags enable, wider sets including the narrower ones),
 * and the automatic choice takes it only when auto_ok (a device row, whose
 * transfers cost more than small work gains, says false until a cost model
 * can say when it pays).
 */
struct tn__backend_row {
	enum tn_backend backend;
	unsigned requires;              /* TN__CAP_* */
	bool auto_ok;
};

/* Best first, one row per backend but AUTO, scalar (requires nothing) last. */
extern const struct tn__backend_row tn__backend_table[];
#define TN__BACKEND_ROWS (TN_BACKEND_COUNT_ - 1)

/*
 * The choice, on explicit inputs so that tests can simulate any machine:
 * rows[nrows] (best first), kernels and auto_skip (bit 1 << b per backend),
 * have (TN__CAP_*), force (TN_BACKEND_AUTO: none).
 *  - Automatic: the first row with auto_ok, a kernel, not in auto_skip, and
 *    its requirements in have.
 *  - Forced B: the first row with a kernel whose requirements are a subset
 *    of B's row's requirements (B itself if it has a kernel; never a backend
 *    needing more than B: forcing avx2 gives avx2, sse2 or scalar; forcing a
 *    device that lacks op gives scalar).
 * TN_BACKEND_SCALAR when no row fits.
 */
enum tn_backend tn__pick(const struct tn__backend_row *rows, unsigned nrows,
			 unsigned kernels, unsigned auto_skip, unsigned have,
			 enum tn_backend force);

/* Bit 1 << b for each backend op has a kernel for. */
unsigned tn__kernels(const struct tn__op_impl *impl);

/* The CPU's TN__CAP_* bits: cpuid and xgetbv, once. */
unsigned tn__cpu_caps(void);
/*
 * The machine's TN__CAP_* bits: the CPU's, ORed with the devices' once probed.
 * Devices are probed only when asked for (tn_backend_available(),
 * tn_backend_force(), tn_device_status()): a program that never asks for a
 * device never loads a driver.
 */
unsigned tn__caps(void);
/* Probes the devices (once) and returns their TN__CAP_* bits. */
unsigned tn__device_caps(void);
/* Bit 1 << b for each backend whose row tn__caps() satisfies. */
unsigned tn__backends(void);

/* ---- Spans -------------------------------------------------------------- */

/* -1 when off.  Read at start-up from TN_SPAN_FD or TN_TRACE_FD; set by tn_span_set_fd(). */
extern int tn__trace_fd;

/* Non-zero when the span ring of tn-trace (TN_SPAN_SHM) is mapped. */
extern int tn__span_shm_on;

uint64_t tn__now_ns(void);

/* Whether spans are being written (two relaxed loads). */
static inline bool tn__tracing(void)
{
	/* both loads, no branch between them: | of ints, not || of bools */
	int fd_on = __atomic_load_n(&tn__trace_fd, __ATOMIC_RELAXED) >= 0;
	int shm_on = __atomic_load_n(&tn__span_shm_on, __ATOMIC_RELAXED) != 0;

	return tn__unlikely(fd_on | shm_on);
}

/* Start of a span: 0 (and no clock read) when tracing is off. */
static inline uint64_t tn__span_begin(void)
{
	if (tn__tracing())
		return tn__now_ns();
	return 0;
}

/* What part of an operation a span times ("phase" in tn-events(5)). */
enum tn__phase {
	TN__PHASE_KERNEL,       /* the computation: the whole of a CPU operation */
	TN__PHASE_UPLOAD,       /* copying the inputs to a device */
	TN__PHASE_DOWNLOAD,     /* copying the outputs back */
};

/*
 * Writes the span record (from t0 to now) when tracing is on; nothing for a
 * device backend (TN_BACKEND_OPENCL), whose code writes a span per phase
 * itself with tn__span_record(), so that the entry points' one span per
 * call does not count the device's time twice.
 */
void tn__span_write(enum tn_op op, enum tn_backend b, enum tn__phase phase,
		    size_t n, size_t bytes, uint64_t t0);
/* The name of the spans of tn_dev_upload() and tn_dev_download(), which are no operation. */
#define TN__OP_TRANSFER ((enum tn_op)TN_OP_COUNT_)
/* A span record with its start (tn__now_ns() clock) and duration given. */
void tn__span_record(enum tn_op op, enum tn_backend b, enum tn__phase phase,
		     size_t n, size_t bytes, uint64_t ts, uint64_t dur);

/* The kernel span of a CPU operation: one branch when tracing is off. */
static inline void tn__span_end(enum tn_op op, enum tn_backend b, size_t n,
				size_t bytes, uint64_t t0)
{
	if (tn__tracing())
		tn__span_write(op, b, TN__PHASE_KERNEL, n, bytes, t0);
}

#pragma GCC visibility pop
