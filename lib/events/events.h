/* The tn event stream, tn-events(5): record kinds, field names and limits. */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "io.h"
#include "jsonw.h"
#include "kinds.h"

/*
 * man/tn-events.5.scd is the reference for every record and field; keep the
 * two in step.  A change that removes or renames a field, or changes a
 * field's meaning, bumps TN_EV_SCHEMA; adding a field or a record kind does
 * not (readers ignore unknown fields and pass unknown kinds through).
 */
#define TN_EV_SCHEMA 1

/* Longest line a reader accepts, newline excluded (documented in tn-events(5)). */
#define TN_EV_LINE_MAX (1024u * 1024u)

/* A syscall failed when it returned -TN_EV_ERRNO_MAX..-1 (the kernel's
 * -errno range, MAX_ERRNO): its record then has "err" (tn-events(5)). */
#define TN_EV_ERRNO_MAX 4095

/* Longest string a tracer copies out of a tracee (paths, argv items). */
#define TN_EV_STR_MAX 4096u

/* Values of the "type" member: TN_EV_HEADER ... TN_EV_ERROR, in kinds.h. */

/* What a producer says about itself in its header record. */
struct tn_ev_header {
	const char *producer;           /* "tn-trace", "tn-dispatch", ... */
	char *const *argv;              /* the traced or run command; may be NULL */
	int argc;
	uint64_t start_ts;              /* CLOCK_MONOTONIC, ns */
	const char *backend;            /* optional: the backend in force */
};

/* Now on the clock every record uses (CLOCK_MONOTONIC, tn_now_ns()), in ns. */
static inline uint64_t tn_ev_now(void)
{
	return tn_now_ns();
}

/*
 * Append a complete header record (run identity, schema, version, clock,
 * start time both monotonic and wall-clock, host, architecture) to w.
 * Returns 0 or -errno.
 */
int tn_ev_header_build(struct tn_jw *w, const struct tn_ev_header *h);
