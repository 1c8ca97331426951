/* tn-dispatch jobs: parse one JSON line, check it against its operation, run it, write the record. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "dispatch.h"
#include "events.h"
#include "io.h"
#include "jsonpos.h"
#include "ops.h"
#include "tn/tn-device.h"

#define BIT(id) (1u << (id))

static const char *const in_names[IN_COUNT_] = { "a", "b", "c", "x", "y", "gamma", "beta" };
static const char *const sc_names[SC_COUNT_] = { "alpha", "lo", "hi", "eps" };
static const char *const dim_names[DIM_COUNT_] = { "n", "m", "k", "batch" };

enum result_kind { R_ARRAY, R_FLOAT, R_INDEX };

/* What each call shape takes: inputs (required, optional), scalars, sizes. */
static const struct {
	unsigned in, in_opt, sc, sc_opt, dims;
	enum result_kind res;
} kinds[] = {
	[K_UNARY] = { BIT(IN_X), 0, 0, 0, BIT(DIM_N), R_ARRAY },
	[K_BINARY] = { BIT(IN_A) | BIT(IN_B), 0, 0, 0, BIT(DIM_N), R_ARRAY },
	[K_FMA] = { BIT(IN_A) | BIT(IN_B) | BIT(IN_C), 0, 0, 0, BIT(DIM_N), R_ARRAY },
	[K_SCALAR_X] = { BIT(IN_X), 0, BIT(SC_ALPHA), 0, BIT(DIM_N), R_ARRAY },
	[K_AXPY] = { BIT(IN_X) | BIT(IN_Y), 0, BIT(SC_ALPHA), 0, BIT(DIM_N), R_ARRAY },
	[K_CLAMP] = { BIT(IN_X), 0, BIT(SC_LO) | BIT(SC_HI), 0, BIT(DIM_N), R_ARRAY },
	[K_LAYER_NORM] = { BIT(IN_X), BIT(IN_GAMMA) | BIT(IN_BETA), 0, BIT(SC_EPS),
			   BIT(DIM_N), R_ARRAY },
	[K_REDUCE] = { BIT(IN_X), 0, 0, 0, BIT(DIM_N), R_FLOAT },
	[K_INDEX] = { BIT(IN_X), 0, 0, 0, BIT(DIM_N), R_INDEX },
	[K_PAIR] = { BIT(IN_A) | BIT(IN_B), 0, 0, 0, BIT(DIM_N), R_FLOAT },
	[K_BATCH] = { BIT(IN_A) | BIT(IN_B), 0, 0, 0, BIT(DIM_N) | BIT(DIM_M), R_ARRAY },
	[K_MATMUL] = { BIT(IN_A) | BIT(IN_B), 0, 0, 0,
		       BIT(DIM_M) | BIT(DIM_K) | BIT(DIM_N), R_ARRAY },
	[K_BATCHED] = { BIT(IN_A) | BIT(IN_B), 0, 0, 0,
			BIT(DIM_BATCH) | BIT(DIM_M) | BIT(DIM_K) | BIT(DIM_N), R_ARRAY },
	[K_TRANSPOSE] = { BIT(IN_A), 0, 0, 0, BIT(DIM_M) | BIT(DIM_N), R_ARRAY },
	[K_MATVEC] = { BIT(IN_A) | BIT(IN_X), 0, 0, 0, BIT(DIM_M) | BIT(DIM_N), R_ARRAY },
	[K_VECMAT] = { BIT(IN_A) | BIT(IN_X), 0, 0, 0, BIT(DIM_M) | BIT(DIM_N), R_ARRAY },
};

/* Layer norm's epsilon when a job gives none. */
#define DEFAULT_EPS 1e-5f

struct job {
	const char *text;
	size_t text_len;
	const char *file;
	unsigned long line;
	struct tn_error *e;

	enum tn_op op;
	const struct op_desc *desc;
	enum op_kind kind;
	bool generated;
	uint64_t seed;
	uint64_t repeat;
	enum tn_backend backend;
	bool has_backend;
	enum tn_backend ran_on;
	uint64_t dim[DIM_COUNT_];
	bool has_dim[DIM_COUNT_];
	float sc[SC_COUNT_];
	bool has_sc[SC_COUNT_];
	float *in[IN_COUNT_];
	size_t len[IN_COUNT_];
	bool has_in[IN_COUNT_];
	size_t want[IN_COUNT_]; /* the lengths the sizes ask for */
	float *out;
	size_t out_len;
	float fres;
	size_t ires;
	uint64_t *times;
};

/* ---- Positions: where a member (or an element of it) starts in the line --- */

/*
 * 1-based column of the value of the top-level member key, or of element idx
 * of it (idx >= 0, an array), or 1 when there is none.
 */
static unsigned long member_col(const struct job *j, const char *key, long idx)
{
	size_t at = tn_json_member_at(j->text, j->text_len, key, idx);

	return at == SIZE_MAX ? 1 : (unsigned long)at + 1;
}

#define job_fail(j, col, ...) \
	tn_error_set_at((j)->e, -EINVAL, (j)->file, (j)->line, (col), __VA_ARGS__)

/* ---- Members ----------------------------------------------------------------- */

/* A float from a JSON number or one of "nan", "inf", "-inf". */
static int get_float(const json_t *v, float *ret)
{
	double d;

	if (json_is_string(v)) {
		const char *s = json_string_value(v);

		if (strcmp(s, "nan") == 0)
			*ret = NAN;
		else if (strcmp(s, "inf") == 0)
			*ret = INFINITY;
		else if (strcmp(s, "-inf") == 0)
			*ret = -INFINITY;
		else
			return -EINVAL;
		return 0;
	}
	if (!json_is_number(v))
		return -EINVAL;
	d = json_number_value(v);
	*ret = (float)d;
	return isinf(*ret) ? -ERANGE : 0;
}

static int get_array(struct job *j, enum in_id id, const json_t *v)
{
	const char *name = in_names[id];
	size_t n;

	if (!json_is_array(v))
		return job_fail(j, member_col(j, name, -1), "'%s' must be an array of numbers", name);
	n = json_array_size(v);
	j->in[id] = malloc((n ? n : 1) * sizeof(float));
	if (!j->in[id])
		return tn_error_set_at(j->e, -ENOMEM, j->file, j->line, 1, "out of memory");
	j->len[id] = n;
	for (size_t i = 0; i < n; i++) {
		int r = get_float(json_array_get(v, i), &j->in[id][i]);

		if (r == -ERANGE)
			return job_fail(j, member_col(j, name, (long)i),
					"%s[%zu]: out of the range of float", name, i);
		if (r < 0)
			return job_fail(j, member_col(j, name, (long)i),
					"%s[%zu]: not a number (nor \"nan\", \"inf\", \"-inf\")",
					name, i);
	}
	return 0;
}

static int get_uint(struct job *j, const char *key, const json_t *v, uint64_t max,
		    uint64_t *ret)
{
	json_int_t i;

	if (!json_is_integer(v) || (i = json_integer_value(v)) < 0 || (uint64_t)i > max)
		return job_fail(j, member_col(j, key, -1),
				"'%s' must be an integer in 0..%" PRIu64, key, max);
	*ret = (uint64_t)i;
	return 0;
}

static int find_name(const char *const *names, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], key) == 0)
			return (int)i;
	return -1;
}

static int get_member(struct job *j, const char *key, const json_t *v)
{
	unsigned allowed_in = kinds[j->kind].in | kinds[j->kind].in_opt;
	unsigned allowed_sc = kinds[j->kind].sc | kinds[j->kind].sc_opt;
	int id;

	if (strcmp(key, "op") == 0)
		return 0;
	if (strcmp(key, "backend") == 0) {
		if (!json_is_string(v) || tn_backend_from_name(json_string_value(v), &j->backend) < 0) {
			char names[256];

			tn_dispatch_backend_names(names, sizeof(names), " or ", 0, 0, 0);
			return job_fail(j, member_col(j, key, -1), "'backend' must be %s", names);
		}
		j->has_backend = true;
		return 0;
	}
	if (strcmp(key, "seed") == 0) {
		j->generated = true;
		return get_uint(j, key, v, INT64_MAX, &j->seed);
	}
	if (strcmp(key, "repeat") == 0) {
		if (get_uint(j, key, v, TN_DISPATCH_MAX_REPEAT, &j->repeat) < 0)
			return -EINVAL;
		if (j->repeat == 0)
			return job_fail(j, member_col(j, key, -1), "'repeat' must be at least 1");
		return 0;
	}
	if ((id = find_name(dim_names, DIM_COUNT_, key)) >= 0) {
		if (!(kinds[j->kind].dims & BIT(id)))
			return job_fail(j, member_col(j, key, -1), "'%s' is not a size of %s",
					key, tn_op_name(j->op));
		j->has_dim[id] = true;
		return get_uint(j, key, v, TN_DISPATCH_MAX_ELEMS, &j->dim[id]);
	}
	if ((id = find_name(in_names, IN_COUNT_, key)) >= 0) {
		if (!(allowed_in & BIT(id)))
			return job_fail(j, member_col(j, key, -1), "'%s' is not an input of %s",
					key, tn_op_name(j->op));
		j->has_in[id] = true;
		return get_array(j, (enum in_id)id, v);
	}
	if ((id = find_name(sc_names, SC_COUNT_, key)) >= 0) {
		int r;

		if (!(allowed_sc & BIT(id)))
			return job_fail(j, member_col(j, key, -1), "'%s' is not an input of %s",
					key, tn_op_name(j->op));
		r = get_float(v, &j->sc[id]);
		if (r < 0)
			return job_fail(j, member_col(j, key, -1), "'%s': %s", key,
					r == -ERANGE ? "out of the range of float" :
					"not a number (nor \"nan\", \"inf\", \"-inf\")");
		j->has_sc[id] = true;
		return 0;
	}
	return job_fail(j, member_col(j, key, -1), "unknown member '%s'", key);
}

/* ---- Shapes ---------------------------------------------------------------- */

static uint64_t mul_sat(uint64_t x, uint64_t y)
{
	uint64_t r;

	return __builtin_mul_overflow(x, y, &r) ? UINT64_MAX : r;
}

/* In inline jobs the vectors' sizes come from the arrays themselves. */
static void infer_dims(struct job *j)
{
	unsigned in = kinds[j->kind].in;

	if (j->generated)
		return;
	if (kinds[j->kind].dims == BIT(DIM_N) && !j->has_dim[DIM_N]) {
		for (int id = 0; id < IN_COUNT_; id++)
			if (in & BIT(id)) {
				j->dim[DIM_N] = j->len[id];
				j->has_dim[DIM_N] = true;
				break;
			}
	}
	if (j->kind == K_BATCH) {
		if (!j->has_dim[DIM_N])
			j->dim[DIM_N] = j->len[IN_A];
		if (!j->has_dim[DIM_M])
			j->dim[DIM_M] = j->dim[DIM_N] ? j->len[IN_B] / j->dim[DIM_N] : 0;
		j->has_dim[DIM_N] = j->has_dim[DIM_M] = true;
	}
}

/* The lengths the sizes ask for, and the multiply-adds (or elements) of the call. */
static uint64_t shape(struct job *j)
{
	uint64_t n = j->dim[DIM_N], m = j->dim[DIM_M], k = j->dim[DIM_K];
	uint64_t bt = j->dim[DIM_BATCH], w[IN_COUNT_] = { 0 }, out = n, work = n;

	switch (j->kind) {
	case K_BATCH:
		w[IN_A] = n, w[IN_B] = mul_sat(m, n), out = m, work = w[IN_B];
		break;
	case K_MATMUL:
		w[IN_A] = mul_sat(m, k), w[IN_B] = mul_sat(k, n), out = mul_sat(m, n);
		work = mul_sat(out, k);
		break;
	case K_BATCHED:
		w[IN_A] = mul_sat(bt, mul_sat(m, k)), w[IN_B] = mul_sat(bt, mul_sat(k, n));
		out = mul_sat(bt, mul_sat(m, n)), work = mul_sat(out, k);
		break;
	case K_TRANSPOSE:
		w[IN_A] = out = work = mul_sat(m, n);
		break;
	case K_MATVEC:
		w[IN_A] = work = mul_sat(m, n), w[IN_X] = n, out = m;
		break;
	case K_VECMAT:
		w[IN_A] = work = mul_sat(m, n), w[IN_X] = m;
		break;
	default:
		for (int id = 0; id < IN_COUNT_; id++)
			w[id] = n;
		if (kinds[j->kind].res != R_ARRAY)
			out = 1;
		break;
	}
	for (int id = 0; id < IN_COUNT_; id++)
		j->want[id] = w[id] > TN_DISPATCH_MAX_ELEMS ? SIZE_MAX : (size_t)w[id];
	j->out_len = out > TN_DISPATCH_MAX_ELEMS ? SIZE_MAX : (size_t)out;
	return work;
}

static const char *dims_text(const struct job *j, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int d = 0; d < DIM_COUNT_ && o < size; d++)
		if (kinds[j->kind].dims & BIT(d))
			o += (size_t)snprintf(buf + o, size - o, "%s%s=%" PRIu64, o ? ", " : "",
					      dim_names[d], j->dim[d]);
	return buf;
}

static int check_shape(struct job *j, uint64_t work)
{
	unsigned need = kinds[j->kind].in | kinds[j->kind].in_opt;
	char dims[128];

	for (int d = 0; d < DIM_COUNT_; d++)
		if ((kinds[j->kind].dims & BIT(d)) && !j->has_dim[d])
			return job_fail(j, 1, "missing size '%s'", dim_names[d]);
	if (work > TN_DISPATCH_MAX_MACS)
		return job_fail(j, 1, "%s: %" PRIu64 " multiply-adds (%s) exceed the bound of %"
				PRIu64, tn_op_name(j->op), work, dims_text(j, dims, sizeof(dims)),
				TN_DISPATCH_MAX_MACS);
	for (int id = 0; id < IN_COUNT_; id++) {
		if (!(need & BIT(id)) || j->want[id] != SIZE_MAX)
			continue;
		return job_fail(j, 1, "'%s' would have more than %" PRIu64 " elements (%s)",
				in_names[id], TN_DISPATCH_MAX_ELEMS, dims_text(j, dims, sizeof(dims)));
	}
	if (j->out_len == SIZE_MAX ||
	    (!j->generated && j->out_len > TN_DISPATCH_MAX_RESULT && kinds[j->kind].res == R_ARRAY))
		return job_fail(j, 1, "the result would have more than %u elements (%s): "
				"use generated inputs", TN_DISPATCH_MAX_RESULT,
				dims_text(j, dims, sizeof(dims)));
	if (j->generated)
		return 0;
	for (int id = 0; id < IN_COUNT_; id++) {
		if (!j->has_in[id] || j->len[id] == j->want[id])
			continue;
		return job_fail(j, member_col(j, in_names[id], -1),
				"'%s' has %zu element%s where %s needs %zu (%s)", in_names[id],
				j->len[id], j->len[id] == 1 ? "" : "s", tn_op_name(j->op), j->want[id],
				dims_text(j, dims, sizeof(dims)));
	}
	return 0;
}

/*
 * Every run together: a job of 64 bytes must not ask for a day of work
 * (2^36 multiply-adds, repeated 100000 times).  The error points at
 * "repeat" when there is one, the count the user can lower.
 */
static int check_work(struct job *j, uint64_t work)
{
	uint64_t runs = j->generated ? j->repeat + 1 : 1, total = mul_sat(work, runs);
	char dims[128];

	if (total <= TN_DISPATCH_MAX_WORK)
		return 0;
	return job_fail(j, j->repeat > 1 ? member_col(j, "repeat", -1) : 1,
			"%s: %" PRIu64 " runs of %" PRIu64 " multiply-adds or elements each (%s)"
			" exceed the bound of %" PRIu64 " for one job: lower 'repeat' or the sizes",
			tn_op_name(j->op), runs, work, dims_text(j, dims, sizeof(dims)),
			TN_DISPATCH_MAX_WORK);
}

/* ---- Generated inputs ------------------------------------------------------ */

uint64_t tn_dispatch_rng_next(struct tn_dispatch_rng *r)
{
	uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void tn_dispatch_fill(struct tn_dispatch_rng *r, size_t n, float *x, bool positive)
{
	for (size_t i = 0; i < n; i++) {
		float u = (float)(tn_dispatch_rng_next(r) >> 40) * 0x1p-24f;

		x[i] = positive ? 2.0f - 2.0f * u : 2.0f * u - 1.0f;
	}
}

static int alloc_inputs(struct job *j)
{
	struct tn_dispatch_rng rng = { j->seed };

	for (int id = 0; id < IN_COUNT_; id++) {
		if (!(kinds[j->kind].in & BIT(id)))
			continue;
		j->len[id] = j->want[id];
		j->in[id] = malloc((j->len[id] ? j->len[id] : 1) * sizeof(float));
		if (!j->in[id])
			return tn_error_set_at(j->e, -ENOMEM, j->file, j->line, 1, "out of memory");
		tn_dispatch_fill(&rng, j->len[id], j->in[id], j->desc->positive & BIT(id));
	}
	return 0;
}

/* ---- Running ------------------------------------------------------------------ */

/* What must be redone before each run: axpy updates y in place. */
static void prepare(struct job *j)
{
	if (j->kind == K_AXPY && j->out_len)
		memcpy(j->out, j->in[IN_Y], j->out_len * sizeof(float));
}

static int run_once(struct job *j)
{
	const struct op_desc *o = j->desc;
	size_t n = (size_t)j->dim[DIM_N], m = (size_t)j->dim[DIM_M], k = (size_t)j->dim[DIM_K];
	float *const *in = j->in, *out = j->out;

	switch (j->kind) {
	case K_UNARY: o->f.unary(n, in[IN_X], out); return 0;
	case K_BINARY: o->f.binary(n, in[IN_A], in[IN_B], out); return 0;
	case K_FMA: o->f.fma(n, in[IN_A], in[IN_B], in[IN_C], out); return 0;
	case K_SCALAR_X: o->f.scalar_x(n, j->sc[SC_ALPHA], in[IN_X], out); return 0;
	case K_AXPY: o->f.scalar_x(n, j->sc[SC_ALPHA], in[IN_X], out); return 0;
	case K_CLAMP: o->f.clamp(n, in[IN_X], j->sc[SC_LO], j->sc[SC_HI], out); return 0;
	case K_LAYER_NORM:
		o->f.layer_norm(n, in[IN_X], in[IN_GAMMA], in[IN_BETA], j->sc[SC_EPS], out);
		return 0;
	case K_REDUCE: j->fres = o->f.reduce(n, in[IN_X]); return 0;
	case K_INDEX: j->ires = o->f.index(n, in[IN_X]); return 0;
	case K_PAIR: j->fres = o->f.pair(n, in[IN_A], in[IN_B]); return 0;
	case K_BATCH: return o->f.batch(n, in[IN_A], m, in[IN_B], n, out);
	case K_MATMUL: return tn_matmul(m, n, k, in[IN_A], k, in[IN_B], n, out, n);
	case K_BATCHED:
		return tn_matmul_batched((size_t)j->dim[DIM_BATCH], m, n, k, in[IN_A], k, m * k,
					 in[IN_B], n, k * n, out, n, m * n);
	case K_TRANSPOSE: return tn_transpose(m, n, in[IN_A], n, out, m);
	case K_MATVEC: return tn_matvec(m, n, in[IN_A], n, in[IN_X], out);
	case K_VECMAT: return tn_vecmat(m, n, in[IN_X], in[IN_A], n, out);
	case K_NONE: break;
	}
	return -EINVAL;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* ---- Records ------------------------------------------------------------------ */

static void record_start(struct tn_dispatch *d, const char *type, const char *file,
			 unsigned long line)
{
	tn_jw_reset(&d->w);
	tn_jw_obj_begin(&d->w);
	tn_jw_kstr(&d->w, "type", type);
	tn_jw_kstr(&d->w, "file", file);
	tn_jw_kuint(&d->w, "line", line);
}

static void record_write(struct tn_dispatch *d)
{
	int r;

	tn_jw_obj_end(&d->w);
	r = tn_jw_write_line(&d->w, d->o.out_fd);
	if (r < 0 && d->out_err == 0)
		d->out_err = r;
}

void tn_dispatch_error(struct tn_dispatch *d, const struct tn_error *e)
{
	record_start(d, TN_EV_ERROR, e->file ? e->file : "", e->line);
	tn_jw_kuint(&d->w, "col", e->col);
	tn_jw_kstr(&d->w, "message", e->msg);
	record_write(d);
	d->failed++;
}

/* The result's bytes (little-endian) folded into FNV-1a, and their sum. */
static void checksum(const struct job *j, uint64_t *ret_h, double *ret_sum)
{
	uint64_t h = TN_FNV1A64_INIT;
	double s = 0.0;

	if (kinds[j->kind].res == R_INDEX) {
		uint64_t v = j->ires == SIZE_MAX ? UINT64_MAX : (uint64_t)j->ires;
		unsigned char b[8];

		for (int i = 0; i < 8; i++)
			b[i] = (unsigned char)(v >> (8 * i));
		*ret_h = tn_fnv1a64(h, b, 8);
		*ret_sum = j->ires == SIZE_MAX ? NAN : (double)j->ires;
		return;
	}
	for (size_t i = 0; i < j->out_len; i++) {
		float f = kinds[j->kind].res == R_FLOAT ? j->fres : j->out[i];
		uint32_t u;
		unsigned char b[4];

		memcpy(&u, &f, 4);
		for (int k = 0; k < 4; k++)
			b[k] = (unsigned char)(u >> (8 * k));
		h = tn_fnv1a64(h, b, 4);
		s += f;
	}
	*ret_h = h;
	*ret_sum = s;
}

static void write_value(struct tn_dispatch *d, const struct job *j)
{
	tn_jw_key(&d->w, "result");
	switch (kinds[j->kind].res) {
	case R_FLOAT:
		tn_jw_float(&d->w, j->fres);
		break;
	case R_INDEX:
		if (j->ires == SIZE_MAX)
			tn_jw_null(&d->w);
		else
			tn_jw_uint(&d->w, j->ires);
		break;
	case R_ARRAY:
		tn_jw_arr_begin(&d->w);
		for (size_t i = 0; i < j->out_len; i++)
			tn_jw_float(&d->w, j->out[i]);
		tn_jw_arr_end(&d->w);
		break;
	}
}

static void write_timing(struct tn_dispatch *d, struct job *j, uint64_t work)
{
	uint64_t bytes = j->out_len, med;
	double per_s;

	qsort(j->times, j->repeat, sizeof(*j->times), cmp_u64);
	med = j->repeat % 2 ? j->times[j->repeat / 2] :
		(j->times[j->repeat / 2 - 1] + j->times[j->repeat / 2]) / 2;
	for (int id = 0; id < IN_COUNT_; id++)
		bytes += j->len[id];
	bytes *= sizeof(float);
	per_s = med ? 1e9 / (double)med : 0.0;
	tn_jw_kuint(&d->w, "min_ns", j->times[0]);
	tn_jw_kuint(&d->w, "median_ns", med);
	tn_jw_kdouble(&d->w, "elements_per_s", round((double)work * per_s));
	tn_jw_kdouble(&d->w, "bytes_per_s", round((double)bytes * per_s));
	if (j->kind == K_MATMUL || j->kind == K_BATCHED)
		tn_jw_kdouble(&d->w, "flop_per_s", round(2.0 * (double)work * per_s));
}

static void write_result(struct tn_dispatch *d, struct job *j, uint64_t work)
{
	record_start(d, TN_EV_RESULT, j->file, j->line);
	tn_jw_kstr(&d->w, "op", tn_op_name(j->op));
	tn_jw_kstr(&d->w, "backend", tn_backend_name(j->ran_on));
	if (!j->generated) {
		write_value(d, j);
	} else {
		uint64_t h;
		double sum;
		char hex[17];

		for (int k = 0; k < DIM_COUNT_; k++)
			if (kinds[j->kind].dims & BIT(k))
				tn_jw_kuint(&d->w, dim_names[k], j->dim[k]);
		tn_jw_kuint(&d->w, "seed", j->seed);
		tn_jw_kuint(&d->w, "repeat", j->repeat);
		if (kinds[j->kind].res != R_ARRAY)
			write_value(d, j);
		checksum(j, &h, &sum);
		snprintf(hex, sizeof(hex), "%016" PRIx64, h);
		tn_jw_kstr(&d->w, "checksum", hex);
		tn_jw_kdouble(&d->w, "sum", sum);
		if (d->o.times)
			write_timing(d, j, work);
	}
	record_write(d);
}

/* ---- A job --------------------------------------------------------------------- */

/* Parse and check everything; allocate inputs and output.  Returns the work. */
static int parse(struct job *j, json_t **ret_root, uint64_t *ret_work)
{
	json_error_t jerr;
	json_t *root, *v;
	const char *key, *nul = memchr(j->text, '\0', j->text_len);

	if (nul)
		return job_fail(j, (unsigned long)(nul - j->text) + 1, "NUL byte in the line");
	root = *ret_root = json_loadb(j->text, j->text_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return job_fail(j, jerr.column > 0 ? (unsigned long)jerr.column : 1, "%s", jerr.text);
	if (!json_is_object(root))
		return job_fail(j, 1, "a job must be a JSON object");
	v = json_object_get(root, "op");
	if (!v)
		return job_fail(j, 1, "missing member 'op'");
	if (!json_is_string(v))
		return job_fail(j, member_col(j, "op", -1), "'op' must be a string");
	if (tn_op_from_name(json_string_value(v), &j->op) < 0 || !tn_dispatch_has_op(j->op))
		return job_fail(j, member_col(j, "op", -1), "unknown operation '%s'",
				json_string_value(v));
	j->desc = &tn_dispatch_ops[j->op];
	j->kind = j->desc->kind;
	j->sc[SC_EPS] = DEFAULT_EPS;
	j->repeat = 1;
	json_object_foreach(root, key, v) {
		if (get_member(j, key, v) < 0)
			return -EINVAL;
	}
	if (json_object_get(root, "repeat") && !j->generated)
		return job_fail(j, member_col(j, "repeat", -1),
				"'repeat' needs generated inputs ('seed')");
	for (int id = 0; id < IN_COUNT_; id++) {
		if (j->generated && j->has_in[id])
			return job_fail(j, member_col(j, in_names[id], -1),
					"'%s' and 'seed': inputs are inline or generated, not both",
					in_names[id]);
		if (!j->generated && (kinds[j->kind].in & BIT(id)) && !j->has_in[id])
			return job_fail(j, 1, "missing input '%s' of %s", in_names[id],
					tn_op_name(j->op));
	}
	for (int id = 0; id < SC_COUNT_; id++)
		if ((kinds[j->kind].sc & BIT(id)) && !j->has_sc[id])
			return job_fail(j, 1, "missing input '%s' of %s", sc_names[id],
					tn_op_name(j->op));
	infer_dims(j);
	*ret_work = shape(j);
	if (check_shape(j, *ret_work) < 0 || check_work(j, *ret_work) < 0)
		return -EINVAL;
	if (j->generated && alloc_inputs(j) < 0)
		return -ENOMEM;
	j->out = malloc((j->out_len ? j->out_len : 1) * sizeof(float));
	j->times = malloc(j->repeat * sizeof(*j->times));
	if (!j->out || !j->times)
		return tn_error_set_at(j->e, -ENOMEM, j->file, j->line, 1, "out of memory");
	return 0;
}

/* Once untimed (its span is written when spans are on); then, for generated
 * inputs, repeat timed runs with spans off, so that writing them is not timed. */
static int run(struct tn_dispatch *d, struct job *j)
{
	int fd = tn_span_fd(), r;

	prepare(j);
	r = run_once(j);
	if (r < 0 || !j->generated)
		return r;
	tn_span_set_fd(-1);
	for (uint64_t i = 0; i < j->repeat && r == 0; i++) {
		uint64_t t0;

		prepare(j);
		t0 = tn_now_ns();
		r = run_once(j);
		j->times[i] = tn_now_ns() - t0;
	}
	tn_span_set_fd(fd);
	(void)d;
	return r;
}

static bool blank(const char *t, size_t len)
{
	size_t i = tn_json_skip_ws(t, len, 0);

	return i == len || t[i] == '#';
}

int tn_dispatch_job(struct tn_dispatch *d, const char *file, unsigned long line,
		    const char *text, size_t len, struct tn_error *e)
{
	struct job j = { .text = text, .text_len = len, .file = file, .line = line, .e = e };
	json_t *root = NULL;
	uint64_t work = 0;
	int r;

	if (blank(text, len))
		return 0;
	d->jobs++;
	r = parse(&j, &root, &work);
	if (r == 0 && j.has_backend) {
		r = tn_backend_force(j.backend);
		if (r < 0 && j.backend == TN_BACKEND_OPENCL) {
			const char *why = NULL, *cl = getenv("TN_OPENCL");
			bool off = cl && strcmp(cl, "0") == 0;

			/* The device's status says why; a driver first asked
			 * for after the lockdown cannot load. */
			(void)tn_device_status(&why);
			job_fail(&j, member_col(&j, "backend", -1), "no opencl backend: %s%s",
				 why ? why : "no device",
				 d->o.backend == TN_BACKEND_OPENCL || off ? "" :
				 " (a job's \"backend\":\"opencl\" needs -b opencl, TN_BACKEND=opencl"
				 " or TN_OPENCL=1, which load the driver before the lockdown)");
		} else if (r < 0) {
			job_fail(&j, member_col(&j, "backend", -1), "this CPU has no %s backend",
				 tn_backend_name(j.backend));
		}
	}
	if (r == 0) {
		j.ran_on = tn_op_backend(j.op);
		r = run(d, &j);
		if (r < 0)
			job_fail(&j, 1, "%s: libtn refused the call: %s", tn_op_name(j.op),
				 strerror(-r));
	}
	if (j.has_backend)
		tn_backend_force(d->o.backend);
	if (r == 0)
		write_result(d, &j, work);
	else
		tn_dispatch_error(d, e);
	for (int id = 0; id < IN_COUNT_; id++)
		free(j.in[id]);
	free(j.out);
	free(j.times);
	json_decref(root);
	return r;
}

void tn_dispatch_init(struct tn_dispatch *d, const struct tn_dispatch_opts *o)
{
	*d = (struct tn_dispatch){ .o = *o };
	tn_jw_init(&d->w);
}

void tn_dispatch_finish(struct tn_dispatch *d)
{
	if (!d)
		return;
	tn_jw_finish(&d->w);
}
