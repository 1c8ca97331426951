/* The logic of tn-dispatch(1): jobs as JSON lines in, result and error records out. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "io.h"
#include "jsonw.h"
#include "tn/tn.h"

/* Bounds on what one job may ask for; tn-dispatch(1) documents them. */
#define TN_DISPATCH_MAX_ELEMS (UINT64_C(1) << 26)  /* a generated array, elements */
#define TN_DISPATCH_MAX_MACS (UINT64_C(1) << 36)   /* multiply-adds of one product */
#define TN_DISPATCH_MAX_RESULT 50000u              /* elements of an inline result */
#define TN_DISPATCH_MAX_REPEAT 100000u
/* Work (multiply-adds, or elements) of every run of one job together, the
 * untimed one included: the largest product run twice (issue 8: 2^36
 * multiply-adds repeated 100000 times would run for a day). */
#define TN_DISPATCH_MAX_WORK (UINT64_C(1) << 37)

struct tn_dispatch_opts {
	int out_fd;             /* where result and error records go */
	enum tn_backend backend;        /* the command line's choice (AUTO: none) */
	bool times;             /* timing members in results of generated jobs */
};

struct tn_dispatch {
	struct tn_dispatch_opts o;
	struct tn_jw w;
	unsigned long jobs;
	unsigned long failed;
	int out_err;            /* first error writing the output (negative errno) */
};

void tn_dispatch_init(struct tn_dispatch *d, const struct tn_dispatch_opts *o);
void tn_dispatch_finish(struct tn_dispatch *d);        /* NULL-safe */

/*
 * Run the job on one input line (text, len bytes, no newline; file and line
 * name it in the records).  Writes its result record, or its error record,
 * to the output.  Blank lines and lines starting with '#' are no jobs: 0,
 * nothing written.  Returns 0, or a negative errno with e filled (the job
 * failed; its error record is written, and the caller reports e).
 */
int tn_dispatch_job(struct tn_dispatch *d, const char *file, unsigned long line,
		    const char *text, size_t len, struct tn_error *e);

/* Write the error record of e (an input that could not be read as a job) and
 * count it as a failed job. */
void tn_dispatch_error(struct tn_dispatch *d, const struct tn_error *e);

/*
 * The generator of generated inputs: splitmix64 from seed, each value the top
 * 24 bits of one output, u in [0, 1), mapped to 2u - 1 in [-1, 1) (or to
 * 2 - 2u in (0, 2] for inputs that must be positive).
 */
struct tn_dispatch_rng {
	uint64_t s;
};
uint64_t tn_dispatch_rng_next(struct tn_dispatch_rng *r);
void tn_dispatch_fill(struct tn_dispatch_rng *r, size_t n, float *x, bool positive);

/* The checksum of results of generated jobs: FNV-1a, 64 bits (io.h). */
static inline uint64_t tn_dispatch_fnv1a(uint64_t h, const void *p, size_t n)
{
	return tn_fnv1a64(h, p, n);
}
#define TN_DISPATCH_FNV_BASIS TN_FNV1A64_INIT

/* Whether tn-dispatch can run op (every operation of tn.h: tests check it). */
bool tn_dispatch_has_op(enum tn_op op);

/*
 * --list-backends: what the CPU offers and the backend each operation runs
 * on now, as a table or (json) as one JSON object.  Returns 0 or -errno.
 */
int tn_dispatch_list_backends(int fd, bool json);

struct tn_device_calibration;
/* The calibration in words, a line each, into buf (size bytes, always terminated). */
void tn_dispatch_calibration_text(char *buf, size_t size, const struct tn_device_calibration *c);

/*
 * The backend names, from tn_backend_name() in enum order ("auto" first),
 * for messages and --help, so that no list of names is typed out: joined by
 * ", ", the last two by last (" or " gives "auto, scalar, ... avx512 or
 * neon"; ", " a plain list).  With width > 0 the text is wrapped for --help:
 * it starts at column col and breaks at spaces into lines of at most width
 * columns (a longer word stays whole), each continued after indent spaces.
 * Returns the length written to buf (size bytes, NUL-terminated), or -ENOBUFS.
 */
int tn_dispatch_backend_names(char *buf, size_t size, const char *last,
			      unsigned col, unsigned width, unsigned indent);

/*
 * Lines of at most TN_EV_LINE_MAX bytes from a file descriptor (tn_lines,
 * io.h).  A longer line is skipped (to its newline) and reported as an error
 * at its line, column 1; the lines after it are read as usual.  A last line
 * without a newline is a line.
 */
struct tn_dispatch_reader {
	struct tn_lines lines;
	unsigned long line;     /* of the line last returned or reported */
};

int tn_dispatch_reader_init(struct tn_dispatch_reader *r, int fd, const char *name);
void tn_dispatch_reader_finish(struct tn_dispatch_reader *r);  /* NULL-safe */
/*
 * 1 and the line (valid until the next call) in *ret_text and *ret_len; 0 at the
 * end; -E2BIG for an over-long line (e filled; call again for the next
 * line); another negative errno for a read error (e filled; stop).
 */
int tn_dispatch_reader_next(struct tn_dispatch_reader *r, const char **ret_text,
			    size_t *ret_len, struct tn_error *e);
