/* SPDX-License-Identifier: MIT */
/* The kernel registry: the kernels of each operation, the per-operation choice, TN_BACKEND. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tn-config.h"
#if TN_HAVE_OPENCL
#include "opencl/cl.h"
#endif

/*
 * Weak references: libtn links while a part has not defined all of its
 * operations yet; such an entry reads as NULL (tests/tn/test-registry.c
 * fails then).
 */
#define X(name) extern const struct tn__op_impl tn__impl_##name __attribute__((weak));
TN_OPS(X)
#undef X

static const struct tn__op_impl *const registry[] = {
#define X(name) &tn__impl_##name,
	TN_OPS(X)
#undef X
};

static const char *const op_names[] = {
#define X(name) #name,
	TN_OPS(X)
#undef X
};

_Static_assert(sizeof(registry) / sizeof(registry[0]) == TN_OP_COUNT_,
	       "TN_OPS and enum tn_op differ in length");

static const char *const backend_names[TN_BACKEND_COUNT_] = {
	[TN_BACKEND_AUTO] = "auto",
	[TN_BACKEND_SCALAR] = "scalar",
	[TN_BACKEND_SSE2] = "sse2",
	[TN_BACKEND_AVX2] = "avx2",
	[TN_BACKEND_AVX512] = "avx512",
	[TN_BACKEND_NEON] = "neon",
	[TN_BACKEND_OPENCL] = "opencl",
};

uint8_t tn__choice[TN_OP_COUNT_];
static uint8_t forced;                  /* enum tn_backend; AUTO when none */
static int env_status;
static const char *env_value;

const struct tn__op_impl *tn__op_impl(enum tn_op op)
{
	if ((unsigned)op >= TN_OP_COUNT_)
		return NULL;
	return registry[op];
}

/*
 * The backends, best first: PipeWire's find_conv_info, the first row whose
 * requirements the machine meets.  An ISA row requires what its compiler
 * flags (lib/tn/meson.build) let the compiler emit, so that wider rows
 * include narrower ones and forcing one never runs a wider one.  A device
 * backend gets a row requiring its own bit (TN__CAP_DEVICE_FIRST and up),
 * with auto_ok false: it runs when forced (tn_backend_force, TN_BACKEND, a
 * tn-dispatch job's backend), never unasked.
 */
const struct tn__backend_row tn__backend_table[] = {
	{ TN_BACKEND_OPENCL, TN__CAP_OPENCL, false },
	{ TN_BACKEND_AVX512,
	  TN__CAP_SSE2 | TN__CAP_AVX2 | TN__CAP_FMA | TN__CAP_AVX512, true },
	{ TN_BACKEND_AVX2, TN__CAP_SSE2 | TN__CAP_AVX2 | TN__CAP_FMA, true },
	{ TN_BACKEND_SSE2, TN__CAP_SSE2, true },
	{ TN_BACKEND_NEON, TN__CAP_NEON, true },
	{ TN_BACKEND_SCALAR, 0, true },
};
_Static_assert(sizeof(tn__backend_table) / sizeof(tn__backend_table[0]) == TN__BACKEND_ROWS,
	       "a backend without a row in tn__backend_table (or one too many)");

static const struct tn__backend_row *row_of(const struct tn__backend_row *rows,
					    unsigned nrows, enum tn_backend b)
{
	for (unsigned i = 0; i < nrows; i++)
		if (rows[i].backend == b)
			return &rows[i];
	return NULL;
}

static bool subset(unsigned a, unsigned b)
{
	return (a & ~b) == 0;
}

enum tn_backend tn__pick(const struct tn__backend_row *rows, unsigned nrows,
			 unsigned kernels, unsigned auto_skip, unsigned have,
			 enum tn_backend force)
{
	unsigned limit = have;
	bool automatic = force == TN_BACKEND_AUTO;

	if (!automatic) {
		const struct tn__backend_row *f = row_of(rows, nrows, force);

		/* A forced backend the table lacks runs what requires nothing. */
		limit = f ? f->requires & have : 0;
	}
	for (unsigned i = 0; i < nrows; i++) {
		const struct tn__backend_row *r = &rows[i];
		unsigned bit = 1u << r->backend;

		if (!(kernels & bit) || !subset(r->requires, limit))
			continue;
		if (automatic && (!r->auto_ok || (auto_skip & bit)))
			continue;
		return r->backend;
	}
	return TN_BACKEND_SCALAR;
}

unsigned tn__kernels(const struct tn__op_impl *impl)
{
	unsigned m = 0;

	for (int b = 0; b < TN_BACKEND_COUNT_; b++)
		if (impl->fn[b])
			m |= 1u << b;
	return m;
}

/* The devices' bits once probed (DEVICES_PROBED marks the probe done). */
#define DEVICES_PROBED (1u << 31)
static unsigned device_caps;

unsigned tn__device_caps(void)
{
	unsigned m = __atomic_load_n(&device_caps, __ATOMIC_ACQUIRE);

	if (tn__unlikely(m == 0)) {
		m = DEVICES_PROBED;
#if TN_HAVE_OPENCL
		if (tn__cl_get())
			m |= TN__CAP_OPENCL;
#endif
		__atomic_store_n(&device_caps, m, __ATOMIC_RELEASE);
	}
	return m & ~DEVICES_PROBED;
}

unsigned tn__caps(void)
{
	return tn__cpu_caps() | (__atomic_load_n(&device_caps, __ATOMIC_ACQUIRE) & ~DEVICES_PROBED);
}

unsigned tn__backends(void)
{
	unsigned have = tn__cpu_caps() | tn__device_caps(), m = 0;

	for (unsigned i = 0; i < TN__BACKEND_ROWS; i++)
		if (subset(tn__backend_table[i].requires, have))
			m |= 1u << tn__backend_table[i].backend;
	return m;
}

bool tn_backend_available(enum tn_backend b)
{
	const struct tn__backend_row *r;
	unsigned have = tn__cpu_caps();

	if (b == TN_BACKEND_AUTO)
		return true;
	r = row_of(tn__backend_table, TN__BACKEND_ROWS, b);
	if (!r)
		return false;
	/* Only a device backend's own question loads its driver. */
	if (r->requires & ~(TN__CAP_DEVICE_FIRST - 1))
		have |= tn__device_caps();
	return subset(r->requires, have);
}

enum tn_backend tn__choose_slow(enum tn_op op)
{
	const struct tn__op_impl *impl = tn__op_impl(op);
	int f = __atomic_load_n(&forced, __ATOMIC_RELAXED);
	enum tn_backend b;

	/* The public entry of op lives in the file that defines its impl. */
	if (!impl)
		return TN_BACKEND_SCALAR;
#if TN_HAVE_OPENCL
	/*
	 * auto takes the device row for op when a calibration says the device
	 * can win op at some size; each call then goes to the device only when
	 * it is expected to finish first (opencl/calib.c).
	 */
	if (f == TN_BACKEND_AUTO && (tn__cl_auto_ops() >> op & 1u) &&
	    (tn__device_caps() & TN__CAP_OPENCL)) {
		struct tn__backend_row rows[TN__BACKEND_ROWS];

		memcpy(rows, tn__backend_table, sizeof(rows));
		for (unsigned i = 0; i < TN__BACKEND_ROWS; i++)
			if (rows[i].backend == TN_BACKEND_OPENCL)
				rows[i].auto_ok = true;
		b = tn__pick(rows, TN__BACKEND_ROWS, tn__kernels(impl), impl->auto_skip,
			     tn__caps(), TN_BACKEND_AUTO);
	} else
#endif
	b = tn__pick(tn__backend_table, TN__BACKEND_ROWS, tn__kernels(impl),
		     impl->auto_skip, tn__caps(), (enum tn_backend)f);
	/* Cached only while the force it was chosen under still holds. */
	if (__atomic_load_n(&forced, __ATOMIC_RELAXED) == f)
		__atomic_store_n(&tn__choice[op], (uint8_t)b, __ATOMIC_RELAXED);
	return b;
}

const char *tn_backend_name(enum tn_backend b)
{
	if ((unsigned)b >= TN_BACKEND_COUNT_)
		return NULL;
	return backend_names[b];
}

/* The index of name in names[count], or -EINVAL. */
static int find_name(const char *const *names, int count, const char *name)
{
	if (!name)
		return -EINVAL;
	for (int i = 0; i < count; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -EINVAL;
}

int tn_backend_from_name(const char *name, enum tn_backend *ret)
{
	int b = find_name(backend_names, TN_BACKEND_COUNT_, name);

	if (b < 0)
		return b;
	if (ret)
		*ret = (enum tn_backend)b;
	return 0;
}

int tn_backend_force(enum tn_backend b)
{
	if ((unsigned)b >= TN_BACKEND_COUNT_)
		return -EINVAL;
	if (!tn_backend_available(b))
		return -ENOTSUP;
	__atomic_store_n(&forced, (uint8_t)b, __ATOMIC_RELAXED);
	for (int op = 0; op < TN_OP_COUNT_; op++)
		__atomic_store_n(&tn__choice[op], 0, __ATOMIC_RELAXED);
	return 0;
}

enum tn_backend tn_backend_forced(void)
{
	return (enum tn_backend)__atomic_load_n(&forced, __ATOMIC_RELAXED);
}

int tn_backend_env_status(const char **ret_value)
{
	if (ret_value)
		*ret_value = env_value;
	return env_status;
}

__attribute__((constructor)) static void backend_env_init(void)
{
	const char *s = getenv("TN_BACKEND");
	enum tn_backend b;

	if (!s || !*s)
		return;
	env_value = s;
	env_status = tn_backend_from_name(s, &b);
	if (env_status == 0)
		env_status = tn_backend_force(b);
}

const char *tn_op_name(enum tn_op op)
{
	if ((unsigned)op >= TN_OP_COUNT_)
		return NULL;
	return op_names[op];
}

int tn_op_from_name(const char *name, enum tn_op *ret)
{
	int op = find_name(op_names, TN_OP_COUNT_, name);

	if (op < 0)
		return op;
	if (ret)
		*ret = (enum tn_op)op;
	return 0;
}

enum tn_backend tn_op_backend(enum tn_op op)
{
	if ((unsigned)op >= TN_OP_COUNT_)
		return TN_BACKEND_AUTO;
	return tn__choose(op);
}

const char *tn_version(void)
{
	return TN_VERSION;
}
