/* What tn-trace records: -e trace=SET and -e status=SET. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "events.h"
#include "systab.h"

enum {
	TN_STATUS_SUCCESSFUL = 1u << 0,   /* returned, not in -TN_EV_ERRNO_MAX..-1 */
	TN_STATUS_FAILED     = 1u << 1,   /* returned -TN_EV_ERRNO_MAX..-1 */
	TN_STATUS_UNFINISHED = 1u << 2,   /* never returned (exit, killed, exec) */
	TN_STATUS_ALL        = 7u,
};

struct tn_trace_filter {
	/* bit nr of sel[arch]: the call is traced on that architecture */
	uint8_t sel[TN_ARCH_COUNT][TN_NR_MAX / 8];
	bool all;               /* no trace= given, or it selects everything */
	unsigned status;        /* TN_STATUS_* */
};

/* Everything traced, every status. */
void tn_trace_filter_init(struct tn_trace_filter *f);

/*
 * Apply one -e expression: "trace=SET", "t=SET", "SET" alone (trace is the
 * default qualifier), or "status=SET".  A trace SET is a comma-separated
 * list of syscall names, %CLASS, /REGEX (POSIX extended, matched against
 * names), "all" or "none", optionally preceded by '!' (negate the whole set);
 * a name may end in '?' to be ignored where unknown.  A status SET lists
 * "successful", "failed", "unfinished", "all", "none", optionally after '!'.
 * Like strace, the last -e trace= wins.  Returns 0 or -EINVAL with e->msg.
 */
int tn_trace_filter_parse(struct tn_trace_filter *f, const char *expr,
			  struct tn_error *e);

static inline bool tn_trace_filter_has(const struct tn_trace_filter *f,
				       enum tn_arch a, uint64_t nr)
{
	uint32_t i = tn_sys_index(a, nr);

	if (i >= TN_NR_MAX)
		return f->all;
	return (f->sel[a][i >> 3] >> (i & 7)) & 1;
}
