/* What the tn programs share: exit codes, messages, options, I/O, lockdown. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>

#include "error.h"

/* The one exit-code scheme of every tn program (tn-trace returns the traced
 * command's status instead of TN_EXIT_OK/TN_EXIT_FAIL). */
enum {
	TN_EXIT_OK = 0,         /* success; the verdict passed; inputs equal */
	TN_EXIT_FAIL = 1,       /* a verdict failed, the inputs differ, a job failed */
	TN_EXIT_USAGE = 2,      /* bad usage or bad input; nothing was judged */
};

/* Long-only options are numbered from here (systemd's habit). */
#define TN_OPT_LONG_BASE 0x100

/* Set the name used in every message ("tn-summarize"). */
void tn_tool_init(const char *name);
const char *tn_tool_name(void);

/* "tn-NAME: message\n" on stderr. */
void tn_tool_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "tn-NAME: message: strerror(-code)\n" on stderr. */
void tn_tool_warn_errno(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "tn-NAME: FILE:LINE:COL: message\n": the one way a library error is shown. */
void tn_tool_report(const struct tn_error *e);

/* "tn-NAME (tn) VERSION" and the licence line on stdout. */
void tn_tool_version(void);

/* "Try 'tn-NAME --help'." on stderr, returns TN_EXIT_USAGE. */
int tn_tool_usage_hint(void);

/*
 * For getopt_long() run with opterr = 0 and an optstring starting with ':':
 * report what getopt returned in c (':' for a missing argument, '?' for an
 * unknown option) as one line naming the option, then the usage hint.
 * Returns TN_EXIT_USAGE.
 */
int tn_tool_bad_option(int c, char *const *argv);

/*
 * Open an input named on the command line: "-" is standard input, named
 * "<stdin>" in messages.  Refuses a directory.  Fills *ret_name and, when
 * not NULL, *ret_st; on failure says "tn-NAME: PATH: reason" on stderr and
 * returns -1.
 */
struct stat;
int tn_tool_open_input(const char *arg, const char **ret_name, struct stat *ret_st);

/*
 * Open (create or truncate) an output file named on the command line; on
 * failure say "tn-NAME: PATH: reason" on stderr and return -1.
 */
int tn_tool_open_output(const char *path);

/*
 * The --format=table|json option every tool that prints tables shares: sets
 * *ret_json; for anything else says so on stderr and returns TN_EXIT_USAGE
 * (0 when the value was good).
 */
int tn_tool_format(const char *arg, bool *ret_json);

/*
 * Parse a decimal integer in [min, max] (OpenBSD's strtonum): returns 0, or
 * -EINVAL / -ERANGE with *errstr set to "invalid", "too small" or "too large".
 */
int tn_tool_strtonum(const char *s, long long min, long long max,
		     long long *ret, const char **errstr);

/*
 * Lock the process down once its inputs and outputs are open: a seccomp
 * filter (libseccomp) that allows only what a filter reading and writing
 * open descriptors needs; anything else (open, exec, socket, ptrace, ...)
 * fails with EPERM.  TN_SANDBOX=0 in the environment skips it, for
 * debugging.  Returns 0 or -errno (e->msg says why).
 */
int tn_tool_lockdown(struct tn_error *e);
