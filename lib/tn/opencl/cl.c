/* SPDX-License-Identifier: MIT */
/*
 * The OpenCL runtime of libtn: the ICD loader (libOpenCL.so.1) opened at run
 * time, so that libtn neither links nor needs it; the first device (a GPU
 * when there is one); one context, in-order profiling queue and program per
 * process, made on first use; the program cached on disk; pooled buffers.
 */
#include "cl.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"

extern const char tn__cl_source[];
extern const size_t tn__cl_source_len;

static struct tn__cl state;
static struct tn__cl *ready;            /* &state once usable */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char why[512] = "OpenCL not probed yet";
static char cache_path[4096 + 32];

static const char *const kernel_names[] = {
#define X(name) "tn_" #name,
	TN__CL_KERNELS(X) TN__CL_KERNELS_FP64(X)
#undef X
};

#define SAY(...) snprintf(why, sizeof(why), __VA_ARGS__)

static int load_api(struct tn__cl_api *f)
{
	void *h = dlopen("libOpenCL.so.1", RTLD_NOW | RTLD_LOCAL);

	if (!h)
		h = dlopen("libOpenCL.so", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		SAY("no OpenCL ICD loader (libOpenCL.so.1 not found)");
		return -1;
	}
#define X(fn) \
	if (!(*(void **)&f->fn = dlsym(h, #fn))) { \
		SAY("the OpenCL ICD loader lacks %s", #fn); \
		return -1; \
	}
	TN__CL_FUNCS(X)
#undef X
	/* Kept open for the life of the process: the queue lives that long. */
	return 0;
}

/* The first GPU of any platform, else the first device of any type. */
static int pick_device(struct tn__cl *cl)
{
	cl_platform_id p[16];
	cl_uint np = 0, nd;
	cl_int e;

	e = cl->f.clGetPlatformIDs(16, p, &np);
	if (e != CL_SUCCESS || np == 0) {
		SAY("no OpenCL platform (clGetPlatformIDs: %d); install one, e.g. pocl-opencl-icd", (int)e);
		return -1;
	}
	if (np > 16)
		np = 16;
	for (int pass = 0; pass < 2; pass++)
		for (cl_uint i = 0; i < np; i++) {
			cl_device_type t = pass == 0 ? CL_DEVICE_TYPE_GPU : CL_DEVICE_TYPE_ALL;

			if (cl->f.clGetDeviceIDs(p[i], t, 1, &cl->dev, &nd) == CL_SUCCESS && nd > 0) {
				cl->platform = p[i];
				return 0;
			}
		}
	SAY("no OpenCL device on %u platform(s)", (unsigned)np);
	return -1;
}

static void dev_str(struct tn__cl *cl, cl_device_info what, char *buf, size_t size)
{
	buf[0] = '\0';
	if (cl->f.clGetDeviceInfo(cl->dev, what, size - 1, buf, NULL) != CL_SUCCESS)
		buf[0] = '\0';
	buf[size - 1] = '\0';
}

/* $XDG_CACHE_HOME/tn/opencl, else ~/.cache/tn/opencl, made 0700 when make; -1 without either. */
int tn__cl_cache_dir(char *dir, size_t size, bool make)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	bool xdg = x && x[0] == '/';
	int n;

	if (xdg)
		n = snprintf(dir, size, "%s/tn", x);
	else if (home && home[0] == '/')
		n = snprintf(dir, size, "%s/.cache/tn", home);
	else
		return -1;
	if (n < 0 || (size_t)n + sizeof("/opencl") > size)
		return -1;
	if (make && !xdg) {
		char up[4096];

		snprintf(up, sizeof(up), "%s/.cache", home);
		(void)mkdir(up, 0700);
	}
	/* Each level may exist already; only the last error matters. */
	if (make)
		(void)mkdir(dir, 0700);
	strcat(dir, "/opencl");
	if (make && mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* The whole of a regular file up to max bytes, malloc'd, or NULL. */
unsigned char *tn__read_file(const char *path, size_t max, size_t *ret_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	unsigned char *buf = NULL;
	size_t got = 0;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (size_t)st.st_size > max || !(buf = malloc((size_t)st.st_size)))
		goto out;
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);

		if (k <= 0)
			break;
		got += (size_t)k;
	}
	if (got != (size_t)st.st_size) {
		free(buf);
		buf = NULL;
	}
out:
	close(fd);
	*ret_len = got;
	return buf;
}

/*
 * Writes the program's binary to path: to a temporary file in the same
 * directory, then rename(2), so that a reader sees a whole file or none and
 * two processes writing at once leave one whole file.
 */
static void cache_store(struct tn__cl *cl, const char *path)
{
	size_t len = 0;
	unsigned char *bin;
	cl_uint ndev = 0;

	if (cl->f.clGetProgramInfo(cl->prog, CL_PROGRAM_NUM_DEVICES, sizeof(ndev), &ndev, NULL) != CL_SUCCESS ||
	    ndev != 1 ||
	    cl->f.clGetProgramInfo(cl->prog, CL_PROGRAM_BINARY_SIZES, sizeof(len), &len, NULL) != CL_SUCCESS ||
	    len == 0 || !(bin = malloc(len)))
		return;
	if (cl->f.clGetProgramInfo(cl->prog, CL_PROGRAM_BINARIES, sizeof(bin), &bin, NULL) != CL_SUCCESS)
		goto out;
	(void)tn_replace_file(path, bin, len);  /* a cache: losing a write costs a rebuild */
out:
	free(bin);
}

static int build(struct tn__cl *cl, const char *opts)
{
	return cl->f.clBuildProgram(cl->prog, 1, &cl->dev, opts, NULL, NULL) == CL_SUCCESS ? 0 : -1;
}

/* The program: from the cache when its file loads and builds, else from source (then cached). */
static int make_program(struct tn__cl *cl, const char *opts, const char *desc)
{
	char dir[4096];
	cl_int e;
	uint64_t h = 0xcbf29ce484222325ull;
	bool cache = tn__cl_cache_dir(dir, sizeof(dir), true) == 0;

	/* The key: device, driver, build options and source. */
	h = tn_fnv1a64(h, desc, strlen(desc) + 1);
	h = tn_fnv1a64(h, opts, strlen(opts) + 1);
	h = tn_fnv1a64(h, tn__cl_source, tn__cl_source_len);
	if (cache) {
		size_t len;
		unsigned char *bin;

		snprintf(cache_path, sizeof(cache_path), "%s/%016llx.bin", dir, (unsigned long long)h);
		bin = tn__read_file(cache_path, 64u << 20, &len);
		if (bin) {
			const unsigned char *b = bin;
			cl_int st;

			cl->prog = cl->f.clCreateProgramWithBinary(cl->ctx, 1, &cl->dev, &len, &b, &st, &e);
			free(bin);
			if (cl->prog && e == CL_SUCCESS && st == CL_SUCCESS && build(cl, opts) == 0) {
				cl->from_cache = true;
				return 0;
			}
			/* A stale or damaged file: build from source and replace it. */
			if (cl->prog)
				cl->f.clReleaseProgram(cl->prog);
			cl->prog = NULL;
		}
	}
	{
		const char *src = tn__cl_source;
		size_t len = tn__cl_source_len;

		cl->prog = cl->f.clCreateProgramWithSource(cl->ctx, 1, &src, &len, &e);
	}
	if (!cl->prog || e != CL_SUCCESS) {
		SAY("clCreateProgramWithSource failed (%d)", (int)e);
		return -1;
	}
	if (build(cl, opts) < 0) {
		char log[256] = "";

		cl->f.clGetProgramBuildInfo(cl->prog, cl->dev, CL_PROGRAM_BUILD_LOG,
					    sizeof(log) - 1, log, NULL);
		log[sizeof(log) - 1] = '\0';
		log[strcspn(log, "\n")] = '\0';
		SAY("libtn's OpenCL program does not build on this device: %s", log);
		return -1;
	}
	if (cache)
		cache_store(cl, cache_path);
	return 0;
}

static void teardown(struct tn__cl *cl)
{
	for (int i = 0; i < TN__CLK_COUNT_; i++)
		if (cl->k[i])
			cl->f.clReleaseKernel(cl->k[i]);
	if (cl->prog)
		cl->f.clReleaseProgram(cl->prog);
	if (cl->q)
		cl->f.clReleaseCommandQueue(cl->q);
	if (cl->ctx)
		cl->f.clReleaseContext(cl->ctx);
}

static void init(void)
{
	struct tn__cl *cl = &state;
	char name[128], dver[128], drv[128], pname[128], desc[600], opts[128];
	cl_device_fp_config fp = 0;
	cl_int e;

	const char *off = getenv("TN_OPENCL");

	if (off && strcmp(off, "0") == 0) {
		SAY("turned off by TN_OPENCL=0");
		return;
	}
	if (load_api(&cl->f) < 0 || pick_device(cl) < 0)
		return;
	dev_str(cl, CL_DEVICE_NAME, name, sizeof(name));
	dev_str(cl, CL_DEVICE_VERSION, dver, sizeof(dver));
	dev_str(cl, CL_DRIVER_VERSION, drv, sizeof(drv));
	if (cl->f.clGetPlatformInfo(cl->platform, CL_PLATFORM_NAME, sizeof(pname) - 1, pname, NULL) != CL_SUCCESS)
		pname[0] = '\0';
	pname[sizeof(pname) - 1] = '\0';
	snprintf(desc, sizeof(desc), "%s: %s (%s, driver %s)", pname, name, dver, drv);
	cl->f.clGetDeviceInfo(cl->dev, CL_DEVICE_SINGLE_FP_CONFIG, sizeof(fp), &fp, NULL);
	cl->cr_divsqrt = (fp & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0;
	fp = 0;
	cl->f.clGetDeviceInfo(cl->dev, CL_DEVICE_DOUBLE_FP_CONFIG, sizeof(fp), &fp, NULL);
	cl->fp64 = fp != 0;
	snprintf(opts, sizeof(opts), "-DTN_FP64=%d%s", cl->fp64,
		 cl->cr_divsqrt ? " -cl-fp32-correctly-rounded-divide-sqrt" : "");

	cl->ctx = cl->f.clCreateContext(NULL, 1, &cl->dev, NULL, NULL, &e);
	if (!cl->ctx || e != CL_SUCCESS) {
		SAY("%s: clCreateContext failed (%d)", desc, (int)e);
		goto fail;
	}
	cl->q = cl->f.clCreateCommandQueue(cl->ctx, cl->dev, CL_QUEUE_PROFILING_ENABLE, &e);
	if (!cl->q || e != CL_SUCCESS) {
		SAY("%s: clCreateCommandQueue failed (%d)", desc, (int)e);
		goto fail;
	}
	if (make_program(cl, opts, desc) < 0)
		goto fail;
	for (int i = 0; i < TN__CLK_COUNT_; i++) {
		if (i >= TN__CLK_cosine_batch && !cl->fp64)
			continue;
		cl->k[i] = cl->f.clCreateKernel(cl->prog, kernel_names[i], &e);
		if (!cl->k[i] || e != CL_SUCCESS) {
			SAY("%s: no kernel %s (%d)", desc, kernel_names[i], (int)e);
			goto fail;
		}
	}
	pthread_mutex_init(&cl->lock, NULL);
	SAY("%s", desc);
	__atomic_store_n(&ready, cl, __ATOMIC_RELEASE);
	return;
fail:
	teardown(cl);
}

struct tn__cl *tn__cl_get(void)
{
	pthread_once(&once, init);
	return __atomic_load_n(&ready, __ATOMIC_ACQUIRE);
}

const char *tn__cl_why(void)
{
	(void)tn__cl_get();
	return why;
}

const char *tn__cl_cache_path(void)
{
	return cache_path;
}

/* ---- Buffer pool ---------------------------------------------------------- */

cl_mem tn__cl_buf_get(struct tn__cl *cl, size_t size)
{
	int best = -1, spare = -1;
	cl_int e;
	cl_mem m;

	if (size < 256)
		size = 256;
	for (int i = 0; i < TN__CL_POOL; i++) {
		if (cl->pool[i].busy)
			continue;
		if (cl->pool[i].m && cl->pool[i].size >= size &&
		    (best < 0 || cl->pool[i].size < cl->pool[best].size))
			best = i;
		else if (spare < 0 || !cl->pool[i].m)
			spare = i;
	}
	if (best >= 0) {
		cl->pool[best].busy = true;
		return cl->pool[best].m;
	}
	/* Rounded up to a power of two, so that sizes that vary a little reuse one buffer. */
	size_t sz = 4096;

	while (sz < size && sz <= SIZE_MAX / 2)
		sz *= 2;
	if (sz < size)
		sz = size;
	m = cl->f.clCreateBuffer(cl->ctx, CL_MEM_READ_WRITE, sz, NULL, &e);
	if (!m || e != CL_SUCCESS)
		return NULL;
	if (spare >= 0) {
		if (cl->pool[spare].m)
			cl->f.clReleaseMemObject(cl->pool[spare].m);
		cl->pool[spare].m = m;
		cl->pool[spare].size = sz;
		cl->pool[spare].busy = true;
	}
	return m;
}

void tn__cl_buf_put(struct tn__cl *cl, cl_mem m)
{
	for (int i = 0; i < TN__CL_POOL; i++)
		if (cl->pool[i].m == m) {
			cl->pool[i].busy = false;
			return;
		}
	/* Not pooled (every slot was busy). */
	cl->f.clReleaseMemObject(m);
}

/* ---- Runs ----------------------------------------------------------------- */

int tn__cl_run_begin(struct tn__cl_run *r, enum tn_op op, size_t n)
{
	memset(r, 0, sizeof(*r));
	r->cl = tn__cl_get();
	if (!r->cl)
		return -ENODEV;
	r->op = op;
	r->n = n;
	pthread_mutex_lock(&r->cl->lock);
	r->host_t0 = tn__now_ns();
	return 0;
}

static cl_mem new_buf(struct tn__cl_run *r, size_t bytes)
{
	cl_mem m;

	if (r->err || r->nbufs == TN__CL_RUN_BUFS) {
		r->err = r->err ? r->err : -E2BIG;
		return NULL;
	}
	m = tn__cl_buf_get(r->cl, bytes);
	if (!m) {
		r->err = -ENOMEM;
		return NULL;
	}
	r->bufs[r->nbufs++] = m;
	return m;
}

static cl_event *up_event(struct tn__cl_run *r)
{
	if (r->nup == TN__CL_RUN_EVENTS) {
		r->err = -E2BIG;
		return NULL;
	}
	return &r->up[r->nup];
}

cl_mem tn__cl_in(struct tn__cl_run *r, const void *p, size_t bytes)
{
	cl_mem m = new_buf(r, bytes);
	cl_event *ev;

	if (!m || bytes == 0)
		return m;
	if (!(ev = up_event(r)))
		return NULL;
	if (r->cl->f.clEnqueueWriteBuffer(r->cl->q, m, CL_FALSE, 0, bytes, p, 0, NULL, ev) != CL_SUCCESS) {
		r->err = -EIO;
		return NULL;
	}
	r->nup++;
	r->up_bytes += bytes;
	return m;
}

cl_mem tn__cl_in_rect(struct tn__cl_run *r, const float *p, size_t rows, size_t cols, size_t ld)
{
	return tn__cl_in_batch(r, p, 1, rows, cols, ld, 0);
}

/* The rectangle of tn__cl_in_batch and tn__cl_read_batch: its region and pitches (bytes). */
struct rect {
	size_t region[3], dev_row, dev_slice, host_row, host_slice;
};

static struct rect rect_of(size_t batch, size_t rows, size_t cols, size_t ld, size_t stride)
{
	struct rect t = {
		{ cols * sizeof(float), rows, batch }, cols * sizeof(float),
		rows * cols * sizeof(float), ld * sizeof(float),
		batch > 1 ? stride * sizeof(float) : 0,
	};

	return t;
}

/* Whether the batch lies packed in host memory already. */
static bool packed(size_t batch, size_t rows, size_t cols, size_t ld, size_t stride)
{
	return (ld == cols || rows <= 1) && (batch <= 1 || stride == rows * cols);
}

cl_mem tn__cl_in_batch(struct tn__cl_run *r, const float *p, size_t batch, size_t rows,
		       size_t cols, size_t ld, size_t stride)
{
	size_t bytes = batch * rows * cols * sizeof(float);
	const size_t zero[3] = { 0, 0, 0 };
	struct rect t = rect_of(batch, rows, cols, ld, stride);
	cl_mem m;
	cl_event *ev;

	if (packed(batch, rows, cols, ld, stride))
		return tn__cl_in(r, p, bytes);
	if (!(m = new_buf(r, bytes)) || bytes == 0)
		return m;
	if (!(ev = up_event(r)))
		return NULL;
	if (r->cl->f.clEnqueueWriteBufferRect(r->cl->q, m, CL_FALSE, zero, zero, t.region,
					      t.dev_row, t.dev_slice, t.host_row, t.host_slice,
					      p, 0, NULL, ev) != CL_SUCCESS) {
		r->err = -EIO;
		return NULL;
	}
	r->nup++;
	r->up_bytes += bytes;
	return m;
}

cl_mem tn__cl_out(struct tn__cl_run *r, size_t bytes)
{
	return new_buf(r, bytes);
}

void tn__cl_arg(struct tn__cl_run *r, enum tn__clk k, unsigned i, size_t size, const void *v)
{
	if (!r->err && r->cl->f.clSetKernelArg(r->cl->k[k], i, size, v) != CL_SUCCESS)
		r->err = -EINVAL;
}

void tn__cl_launch(struct tn__cl_run *r, enum tn__clk k, unsigned dims,
		   const size_t *global, const size_t *local)
{
	/* Without a work-group size of its own, a launch takes a fixed one and
	 * a global size rounded up to it (every kernel checks its bounds):
	 * left to the driver, the size follows n, and PoCL compiles a kernel
	 * anew for each work-group size it meets (982 builds, 4.5 minutes, for
	 * the math tests against 55 and 15 s). */
	static const size_t fixed[3][3] = { {64, 1, 1}, {8, 8, 1}, {4, 4, 4} };
	size_t g[3];

	if (r->err)
		return;
	if (!local)
		local = fixed[dims - 1];
	if (!r->cl->k[k] || r->nkern == TN__CL_RUN_EVENTS) {
		r->err = r->cl->k[k] ? -E2BIG : -ENOTSUP;
		return;
	}
	for (unsigned d = 0; d < dims; d++) {
		g[d] = global[d];
		if (local && g[d] % local[d])
			g[d] += local[d] - g[d] % local[d];
	}
	if (r->cl->f.clEnqueueNDRangeKernel(r->cl->q, r->cl->k[k], dims, NULL, g, local,
					    0, NULL, &r->kern[r->nkern]) != CL_SUCCESS) {
		r->err = -EIO;
		return;
	}
	r->nkern++;
}

void tn__cl_write_at(struct tn__cl_run *r, cl_mem m, size_t off, const void *p, size_t bytes)
{
	cl_event *ev;

	if (r->err || bytes == 0 || !(ev = up_event(r)))
		return;
	if (r->cl->f.clEnqueueWriteBuffer(r->cl->q, m, CL_FALSE, off, bytes, p, 0, NULL, ev) != CL_SUCCESS) {
		r->err = -EIO;
		return;
	}
	r->nup++;
	r->up_bytes += bytes;
}

void tn__cl_read(struct tn__cl_run *r, cl_mem m, void *p, size_t bytes)
{
	tn__cl_read_at(r, m, 0, p, bytes);
}

void tn__cl_read_at(struct tn__cl_run *r, cl_mem m, size_t off, void *p, size_t bytes)
{
	if (r->err || bytes == 0)
		return;
	if (r->ndown == TN__CL_RUN_EVENTS) {
		r->err = -E2BIG;
		return;
	}
	if (r->cl->f.clEnqueueReadBuffer(r->cl->q, m, CL_FALSE, off, bytes, p, 0, NULL,
					 &r->down[r->ndown]) != CL_SUCCESS) {
		r->err = -EIO;
		return;
	}
	r->ndown++;
	r->down_bytes += bytes;
}

void tn__cl_read_rect(struct tn__cl_run *r, cl_mem m, float *p, size_t rows, size_t cols,
		      size_t ld)
{
	tn__cl_read_batch(r, m, p, 1, rows, cols, ld, 0);
}

void tn__cl_read_batch(struct tn__cl_run *r, cl_mem m, float *p, size_t batch, size_t rows,
		       size_t cols, size_t ld, size_t stride)
{
	const size_t zero[3] = { 0, 0, 0 };
	struct rect t = rect_of(batch, rows, cols, ld, stride);

	if (packed(batch, rows, cols, ld, stride)) {
		tn__cl_read(r, m, p, batch * rows * cols * sizeof(float));
		return;
	}
	if (r->err || batch * rows * cols == 0)
		return;
	if (r->ndown == TN__CL_RUN_EVENTS) {
		r->err = -E2BIG;
		return;
	}
	if (r->cl->f.clEnqueueReadBufferRect(r->cl->q, m, CL_FALSE, zero, zero, t.region,
					     t.dev_row, t.dev_slice, t.host_row, t.host_slice,
					     p, 0, NULL, &r->down[r->ndown]) != CL_SUCCESS) {
		r->err = -EIO;
		return;
	}
	r->ndown++;
	r->down_bytes += batch * rows * cols * sizeof(float);
}

/* Start and end (device ns) of events ev[count]: the first start and the last end. */
static bool times(struct tn__cl *cl, const cl_event *ev, int count, cl_ulong *ret_s, cl_ulong *ret_e)
{
	cl_ulong s = ~(cl_ulong)0, e = 0;

	for (int i = 0; i < count; i++) {
		cl_ulong a, b;

		if (cl->f.clGetEventProfilingInfo(ev[i], CL_PROFILING_COMMAND_START, sizeof(a), &a, NULL) != CL_SUCCESS ||
		    cl->f.clGetEventProfilingInfo(ev[i], CL_PROFILING_COMMAND_END, sizeof(b), &b, NULL) != CL_SUCCESS)
			return false;
		s = a < s ? a : s;
		e = b > e ? b : e;
	}
	*ret_s = s;
	*ret_e = e > s ? e : s;
	return count > 0;
}

/*
 * The spans: each phase from its events' profiling times, placed on the
 * host clock by the run's first device timestamp, which is taken to be the
 * host time the run began (device and host clocks are not the same clock).
 */
static void spans(struct tn__cl_run *r)
{
	struct tn__cl *cl = r->cl;
	cl_ulong s[3], e[3], base = ~(cl_ulong)0;
	bool have[3];

	have[0] = times(cl, r->up, r->nup, &s[0], &e[0]);
	have[1] = times(cl, r->kern, r->nkern, &s[1], &e[1]);
	have[2] = times(cl, r->down, r->ndown, &s[2], &e[2]);
	for (int i = 0; i < 3; i++)
		if (have[i] && s[i] < base)
			base = s[i];
	if (have[0])
		tn__span_record(r->op, TN_BACKEND_OPENCL, TN__PHASE_UPLOAD, r->n, r->up_bytes,
				r->host_t0 + (s[0] - base), e[0] - s[0]);
	if (have[1])
		tn__span_record(r->op, TN_BACKEND_OPENCL, TN__PHASE_KERNEL, r->n, 0,
				r->host_t0 + (s[1] - base), e[1] - s[1]);
	if (have[2])
		tn__span_record(r->op, TN_BACKEND_OPENCL, TN__PHASE_DOWNLOAD, r->n, r->down_bytes,
				r->host_t0 + (s[2] - base), e[2] - s[2]);
}

int tn__cl_run_end(struct tn__cl_run *r)
{
	struct tn__cl *cl = r->cl;

	if (cl->f.clFinish(cl->q) != CL_SUCCESS && !r->err)
		r->err = -EIO;
	if (!r->err && tn__tracing())
		spans(r);
	for (int i = 0; i < r->nup; i++)
		cl->f.clReleaseEvent(r->up[i]);
	for (int i = 0; i < r->ndown; i++)
		cl->f.clReleaseEvent(r->down[i]);
	for (int i = 0; i < r->nkern; i++)
		cl->f.clReleaseEvent(r->kern[i]);
	for (int i = 0; i < r->nbufs; i++)
		tn__cl_buf_put(cl, r->bufs[i]);
	pthread_mutex_unlock(&cl->lock);
	return r->err;
}

enum tn_backend tn__cl_cpu_backend(enum tn_op op)
{
	const struct tn__op_impl *impl = tn__op_impl(op);

	if (!impl)
		return TN_BACKEND_SCALAR;
	return tn__pick(tn__backend_table, TN__BACKEND_ROWS, tn__kernels(impl) & ~(1u << TN_BACKEND_OPENCL),
			impl->auto_skip, tn__cpu_caps(), TN_BACKEND_AUTO);
}
