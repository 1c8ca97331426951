/* What the tn programs share: exit codes, messages, options, I/O, lockdown. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <sys/stat.h>

#include "error.h"

/*
 * The one exit-code scheme of every tn program (tn-trace returns the traced
 * command's status instead of TN_EXIT_OK/TN_EXIT_FAIL).  An output that
 * could not be opened or written (a failed or short write, a failed close)
 * is TN_EXIT_USAGE, 2, in every program: the output is incomplete, so
 * whatever it says is not a verdict.  A closed pipe is the exception when
 * SIGPIPE has its default action: the program dies of it, as cat does.
 */
enum {
	TN_EXIT_OK = 0,         /* success; the verdict passed; inputs equal */
	TN_EXIT_FAIL = 1,       /* a verdict failed, the inputs differ, a job failed */
	TN_EXIT_USAGE = 2,      /* bad usage, an input or output error; nothing was judged */
};

/* The names of standard input and output in messages and records. */
#define TN_TOOL_STDIN_NAME "<stdin>"
#define TN_TOOL_STDOUT_NAME "<stdout>"

/* Long-only options are numbered from here (systemd's habit). */
#define TN_OPT_LONG_BASE 0x100

/* Set the name used in every message ("tn-summarize"); turns getopt's own
 * messages off (opterr = 0), since they would name argv[0]. */
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
 * TN_TOOL_STDIN_NAME in messages.  Refuses a directory.  Fills *ret_name and, when
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

/*
 * The options every program shares, as libinput's tools_parse_option():
 * -o/--output=FILE, --format=table|json, -h/--help, -V/--version.  A main
 * puts TN_TOOL_COMMON_SHORTOPTS at the end of its optstring (which starts
 * with ':') and TN_TOOL_COMMON_LONGOPTS at the end of its option table, and
 * passes every option it does not handle itself to tn_tool_common_opt().
 */
enum {
	TN_OPT_FORMAT = TN_OPT_LONG_BASE,
	TN_OPT_OWN_BASE,        /* a main numbers its own long-only options from here */
};
#define TN_TOOL_COMMON_SHORTOPTS "o:hV"
#define TN_TOOL_COMMON_LONGOPTS \
	{ "output", required_argument, NULL, 'o' }, \
	{ "format", required_argument, NULL, TN_OPT_FORMAT }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, 'V' }

struct tn_tool_common {
	void (*usage)(void);    /* prints --help's text on stdout; set by the main */
	const char *output;     /* -o FILE; NULL: standard output */
	bool json;              /* --format=json */
};

/*
 * Handle getopt_long()'s c (optarg as getopt left it): the common options,
 * and ':'/'?' (tn_tool_bad_option()).  Returns -1 to go on parsing, or the
 * exit status the program returns now (after --help, --version, a bad
 * option or a bad --format).
 */
int tn_tool_common_opt(int c, char *const *argv, struct tn_tool_common *co);

/* An input named on the command line, open. */
struct tn_tool_input {
	const char *name;       /* the argument, or TN_TOOL_STDIN_NAME */
	int fd;
	struct stat st;
};

/* What a filter program reads and writes: its inputs, then its output. */
struct tn_tool_io {
	struct tn_tool_input *in;
	size_t nin;
	const char *outname;    /* the -o FILE, or TN_TOOL_STDOUT_NAME */
	int outfd;
};

/*
 * Open everything a filter needs before it reads a byte, then lock down:
 *
 *  - the inputs: args[0..nargs) (tn_tool_open_input()), or standard input
 *    when nargs is 0; none at all when args is NULL;
 *  - the output: FILE (created or truncated) when outpath is not NULL,
 *    standard output otherwise.  An output that is a regular file and the
 *    same file (device and inode) as an input is refused before anything
 *    is truncated: "NAME: the output is also an input", where NAME is FILE
 *    or TN_TOOL_STDOUT_NAME (tn-dispatch F >> F).  When the output is a
 *    regular file, SIGXFSZ is ignored, so that a file-size limit fails the
 *    write (EFBIG) like a full disk instead of killing the program with a
 *    partial record at the end of the file;
 *  - tn_tool_lockdown().
 *
 * Returns 0, or -1 after one message on stderr, with everything closed.
 */
int tn_tool_io_open(struct tn_tool_io *io, char *const *args, int nargs,
		    const char *outpath);

/*
 * Close what tn_tool_io_open() opened and return the exit status: status,
 * or TN_EXIT_USAGE when write_err (the first error writing the output, 0
 * when none) is set or closing the output fails, reported once as
 * "tn-NAME: OUTPUT: write error: REASON".
 */
int tn_tool_io_close(struct tn_tool_io *io, int write_err, int status);
