/* SPDX-License-Identifier: MIT */
/*
 * libtn's OpenCL runtime (internal): the ICD loader opened at run time, one
 * context, queue and program per process, pooled buffers, and the runs of
 * operations that time their upload, kernel and download by profiling events.
 */
#pragma once

#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <pthread.h>

#include "internal.h"

#pragma GCC visibility push(hidden)

/* The kernels of kernels.cl, by the name after "tn_". */
#define TN__CL_KERNELS(X) \
	X(add) X(sub) X(mul) X(div) X(minimum) X(maximum) \
	X(abs) X(neg) X(sqrt) X(recip) X(floor) X(ceil) X(round) X(trunc) \
	X(relu) X(leaky_relu) X(scale) X(axpy) X(fma) X(clamp) \
	X(sum) X(dot) X(norm_l1) X(maxmin) X(argmaxmin) X(norm_inf) \
	X(matmul) X(matvec) X(vecmat) X(transpose) \
	X(m_exp) X(m_log) X(m_log2) X(m_log10) X(m_selu) X(m_sigmoid) X(m_tanh) \
	X(m_gelu) X(m_gelu_tanh) X(m_swish) X(m_hardswish) X(m_mish) X(m_elu) X(m_pow) \
	X(sm_scan) X(sm_exp) X(m_lanes) X(sm_out) X(ln_out)
#define TN__CL_KERNELS_FP64(X) X(cosine_batch) X(euclidean_batch) X(manhattan_batch) \
	X(dsum) X(dsumsq) X(sim_pair)

enum tn__clk {
#define X(name) TN__CLK_##name,
	TN__CL_KERNELS(X) TN__CL_KERNELS_FP64(X)
#undef X
	TN__CLK_COUNT_
};

/* The entry points of the ICD loader, found by dlsym. */
#define TN__CL_FUNCS(X) \
	X(clGetPlatformIDs) X(clGetPlatformInfo) X(clGetDeviceIDs) X(clGetDeviceInfo) \
	X(clCreateContext) X(clReleaseContext) X(clCreateCommandQueue) \
	X(clReleaseCommandQueue) X(clCreateProgramWithSource) \
	X(clCreateProgramWithBinary) X(clBuildProgram) X(clGetProgramInfo) \
	X(clGetProgramBuildInfo) X(clReleaseProgram) X(clCreateKernel) \
	X(clReleaseKernel) X(clSetKernelArg) X(clCreateBuffer) X(clReleaseMemObject) \
	X(clEnqueueWriteBuffer) X(clEnqueueWriteBufferRect) X(clEnqueueReadBuffer) \
	X(clEnqueueReadBufferRect) X(clEnqueueNDRangeKernel) X(clFinish) \
	X(clGetEventProfilingInfo) X(clReleaseEvent) X(clEnqueueCopyBuffer)

struct tn__cl_api {
#define X(f) __typeof__(f) *f;
	TN__CL_FUNCS(X)
#undef X
};

#define TN__CL_POOL 16

struct tn__cl {
	struct tn__cl_api f;
	cl_platform_id platform;
	cl_device_id dev;
	cl_context ctx;
	cl_command_queue q;
	cl_program prog;
	cl_kernel k[TN__CLK_COUNT_];
	bool fp64;              /* the similarity kernels exist */
	bool cr_divsqrt;        /* div, sqrt and recip are correctly rounded */
	bool from_cache;        /* the program was loaded from the disk cache */
	/* One operation at a time: the queue, the kernels' arguments, the pool. */
	pthread_mutex_t lock;
	struct {
		cl_mem m;
		size_t size;
		bool busy;
	} pool[TN__CL_POOL];
};

/*
 * The process's OpenCL state, created on the first call (pthread_once), or
 * NULL when there is none: no loader, platform or device, or the program
 * did not build.  tn__cl_why() says which, or describes the device.
 */
struct tn__cl *tn__cl_get(void);
const char *tn__cl_why(void);
/* The on-disk cache file of the program, "" before the first tn__cl_get(). */
const char *tn__cl_cache_path(void);

/* $XDG_CACHE_HOME/tn/opencl or ~/.cache/tn/opencl, made 0700 when make; -1 without either. */
int tn__cl_cache_dir(char *dir, size_t size, bool make);
/* The whole of a regular file of at most max bytes, malloc'd, or NULL. */
unsigned char *tn__read_file(const char *path, size_t max, size_t *ret_len);

/*
 * The automatic choice (calib.c).  tn__cl_auto_ops(): bit op of the
 * operations a calibration says the device can ever win (0 without one).
 * tn__cl_cpu_wins(): under auto, whether the CPU is expected to finish a call
 * of op first (in and out bytes moved, flops for matmul, 0 otherwise), by the
 * rates of op's class (tn_device_op_class); true for an op auto never sends.
 */
uint64_t tn__cl_auto_ops(void);
bool tn__cl_cpu_wins(enum tn_op op, size_t in, size_t out, double flops);

/* Buffers of at least size bytes from the pool (tn__cl lock held). */
cl_mem tn__cl_buf_get(struct tn__cl *cl, size_t size);
void tn__cl_buf_put(struct tn__cl *cl, cl_mem m);

/*
 * One operation on the device: tn__cl_run_begin() takes the lock; uploads,
 * a kernel and downloads are enqueued with events; tn__cl_run_end() waits,
 * writes the upload, kernel and download spans (tn-events(5) phase) from the
 * profiling events with the bytes each moved, gives the buffers back and
 * unlocks.  Any failure is remembered and tn__cl_run_end() returns it (a
 * negative errno): the caller then runs the operation on the CPU.
 */
#define TN__CL_RUN_BUFS 6
#define TN__CL_RUN_EVENTS 8
struct tn__cl_run {
	struct tn__cl *cl;
	enum tn_op op;
	size_t n;
	int err;
	uint64_t host_t0;
	cl_mem bufs[TN__CL_RUN_BUFS];
	int nbufs;
	cl_event up[TN__CL_RUN_EVENTS], down[TN__CL_RUN_EVENTS], kern[TN__CL_RUN_EVENTS];
	int nup, ndown, nkern;
	size_t up_bytes, down_bytes;
};

int tn__cl_run_begin(struct tn__cl_run *r, enum tn_op op, size_t n);
/* A device buffer holding bytes from p (packed rows of a strided matrix for _rect). */
cl_mem tn__cl_in(struct tn__cl_run *r, const void *p, size_t bytes);
cl_mem tn__cl_in_rect(struct tn__cl_run *r, const float *p, size_t rows, size_t cols, size_t ld);
/*
 * batch such matrices, matrix i at p + i * stride, packed one after another
 * on the device (one transfer): stride a multiple of ld, at least rows * ld,
 * where batch > 1 and the batch is not packed already.
 */
cl_mem tn__cl_in_batch(struct tn__cl_run *r, const float *p, size_t batch, size_t rows,
		       size_t cols, size_t ld, size_t stride);
/* A device buffer of bytes for a result. */
cl_mem tn__cl_out(struct tn__cl_run *r, size_t bytes);
/* Sets argument i of kernel k (a failure is remembered in r). */
void tn__cl_arg(struct tn__cl_run *r, enum tn__clk k, unsigned i, size_t size, const void *v);
/* Enqueues kernel k over global (rounded up to local where local is not NULL);
 * the kernels of one run go in order, and their phase spans from the first's
 * start to the last's end. */
void tn__cl_launch(struct tn__cl_run *r, enum tn__clk k, unsigned dims,
		   const size_t *global, const size_t *local);
void tn__cl_read(struct tn__cl_run *r, cl_mem m, void *p, size_t bytes);
/* Transfers to and from a buffer the caller owns (tn-device.h), at byte offset off. */
void tn__cl_write_at(struct tn__cl_run *r, cl_mem m, size_t off, const void *p, size_t bytes);
void tn__cl_read_at(struct tn__cl_run *r, cl_mem m, size_t off, void *p, size_t bytes);
void tn__cl_read_rect(struct tn__cl_run *r, cl_mem m, float *p, size_t rows, size_t cols,
		      size_t ld);
void tn__cl_read_batch(struct tn__cl_run *r, cl_mem m, float *p, size_t batch, size_t rows,
		       size_t cols, size_t ld, size_t stride);
int tn__cl_run_end(struct tn__cl_run *r);

/* The backend the CPU runs op on when the device cannot (the automatic CPU choice). */
enum tn_backend tn__cl_cpu_backend(enum tn_op op);

#pragma GCC visibility pop
