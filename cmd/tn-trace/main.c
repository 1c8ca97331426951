/* tn-trace: run or attach to programs under ptrace and write their syscalls
 * as tn-events(5).  The work is in lib/trace; this parses options. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "filter.h"
#include "systab.h"
#include "tool.h"
#include "trace.h"

enum {
	OPT_SECCOMP = TN_OPT_LONG_BASE,
	OPT_CMD_STDOUT,
};

/* What the command line asks for. */
struct args {
	struct tn_trace_opts o;
	struct tn_trace_filter filter;
	struct tn_tool_common co;       /* -o, -h, -V */
	const char *cmd_stdout;
	pid_t *pids;
	size_t npids;
	char exe[PATH_MAX];
};

static void usage(void)
{
	printf("Usage: tn-trace [OPTION]... [--] COMMAND [ARG]...\n"
	       "       tn-trace [OPTION]... -p PID[,PID]...\n"
	       "Run COMMAND (or attach to running processes) under ptrace and write\n"
	       "every syscall, process, exec, signal and exit as tn-events(5) lines.\n"
	       "\n"
	       "  -o, --output=FILE     write the events to FILE (default: standard output)\n"
	       "  -f, --follow-forks    follow fork, vfork and clone\n"
	       "  -e, --expr=EXPR       trace=SET or status=SET, as strace's -e\n"
	       "  -p, --attach=PID,...  attach to running processes and all their threads\n"
	       "      --seccomp-bpf     stop only at traced syscalls (needs -f)\n"
	       "      --cmd-stdout=FILE send the command's standard output to FILE\n"
	       "  -h, --help            show this help and exit\n"
	       "  -V, --version         show the version and exit\n"
	       "\n"
	       "When the events go to standard output, the command's standard output\n"
	       "goes to tn-trace's standard error, so the event stream stays clean.\n"
	       "Exit status: the command's, 128+N if signal N killed it; 2 on bad usage\n"
	       "or when writing the events fails.\n");
}

static int add_pids(const char *arg, pid_t **pids, size_t *n)
{
	char *copy = strdup(arg), *save = NULL;

	if (!copy)
		return -ENOMEM;
	for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		long long v;
		const char *err;
		pid_t *np;

		if (tn_tool_strtonum(t, 1, INT_MAX, &v, &err) < 0) {
			tn_tool_warnx("invalid process id '%s': %s", t, err);
			free(copy);
			return -EINVAL;
		}
		if ((pid_t)v == getpid()) {
			tn_tool_warnx("I'm sorry, I can't let you do that: %lld is tn-trace itself", v);
			free(copy);
			return -EINVAL;
		}
		np = realloc(*pids, (*n + 1) * sizeof(**pids));
		if (!np) {
			free(copy);
			return -ENOMEM;
		}
		*pids = np;
		(*pids)[(*n)++] = (pid_t)v;
	}
	free(copy);
	return 0;
}

/* The command's output would land in the events: the same file (any name
 * of it), a pipe or a socket.  A terminal or /dev/null may be shared. */
static bool same_file(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino && !S_ISCHR(a.st_mode);
}

/* Read the options into a: returns -1 to go on, or the exit status. */
static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"follow-forks", no_argument, NULL, 'f'},
		{"expr", required_argument, NULL, 'e'},
		{"attach", required_argument, NULL, 'p'},
		{"seccomp-bpf", no_argument, NULL, OPT_SECCOMP},
		{"cmd-stdout", required_argument, NULL, OPT_CMD_STDOUT},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},     /* no --format: tn-trace writes only events */
	};
	struct tn_error err = {0};
	int c, r;

	while ((c = getopt_long(argc, argv, "+:fe:p:" TN_TOOL_COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		switch (c) {
		case 'f':
			a->o.follow = true;
			break;
		case 'e':
			if (tn_trace_filter_parse(&a->filter, optarg, &err) < 0) {
				tn_tool_warnx("-e %s: %s", optarg, err.msg);
				return TN_EXIT_USAGE;
			}
			break;
		case 'p':
			if (add_pids(optarg, &a->pids, &a->npids) < 0)
				return TN_EXIT_USAGE;
			break;
		case OPT_SECCOMP:
			a->o.seccomp = true;
			break;
		case OPT_CMD_STDOUT:
			a->cmd_stdout = optarg;
			break;
		default:
			if ((r = tn_tool_common_opt(c, argv, &a->co)) >= 0)
				return r;
		}
	}
	if (optind == argc && a->npids == 0) {
		tn_tool_warnx("must have COMMAND to run or -p PID");
		return tn_tool_usage_hint();
	}
	if (optind < argc && a->npids > 0) {
		tn_tool_warnx("COMMAND and -p are mutually exclusive");
		return tn_tool_usage_hint();
	}
	if (optind < argc) {
		a->o.argv = argv + optind;
		a->o.argc = argc - optind;
	}
	return -1;
}

/* Check what will be traced and open where the output goes, before
 * anything runs: returns -1 to go on, or the exit status. */
static int open_all(struct args *a)
{
	struct tn_trace_opts *o = &a->o;
	struct tn_error err = {0};

	if (o->argv) {
		if (tn_trace_find_exe(o->argv[0], a->exe, sizeof(a->exe), &err) < 0) {
			tn_tool_report(&err);
			return TN_EXIT_USAGE;
		}
		o->exe = a->exe;
	}
	for (size_t i = 0; i < a->npids; i++) {
		if (kill(a->pids[i], 0) < 0 && errno == ESRCH) {
			tn_tool_warnx("attach to %d: No such process", (int)a->pids[i]);
			return TN_EXIT_USAGE;
		}
	}
	o->pids = a->pids;
	o->npids = a->npids;
	o->out_fd = a->co.output ? tn_tool_open_output(a->co.output) : STDOUT_FILENO;
	if (o->out_fd < 0)
		return TN_EXIT_USAGE;
	if (!a->co.output && o->argv)
		o->cmd_stdout_fd = STDERR_FILENO;
	if (a->cmd_stdout) {
		if (same_file(o->out_fd, a->cmd_stdout)) {
			tn_tool_warnx("%s: --cmd-stdout names the file the events go to",
				      a->cmd_stdout);
			return TN_EXIT_USAGE;
		}
		o->cmd_stdout_fd = tn_tool_open_output(a->cmd_stdout);
		if (o->cmd_stdout_fd < 0)
			return TN_EXIT_USAGE;
	}
	o->filter = &a->filter;
	return -1;
}

/* tn-trace's exit status, after saying what went wrong (tn-trace(1), EXIT
 * STATUS and WHEN OUTPUT FAILS). */
static int exit_status(const struct args *a, const struct tn_trace_result *r)
{
	const char *out = a->co.output ? a->co.output : TN_TOOL_STDOUT_NAME;

	if (r->write_error == -EPIPE)
		return 128 + SIGPIPE;
	if (r->write_error == -ECHILD) {
		tn_tool_warnx("%s: the writer process (tn-trace-out) died: events lost", out);
		return TN_EXIT_USAGE;
	}
	if (r->write_error) {
		/* A failed write of the output exits 2 in every tn program. */
		tn_tool_warn_errno(r->write_error, "%s", out);
		return TN_EXIT_USAGE;
	}
	if (r->exec_error) {
		/* What only execve could tell: "could not run", not the 127 of a
		 * command that ran. */
		tn_tool_warn_errno(r->exec_error, "%s: could not run", a->o.argv[0]);
		return TN_EXIT_USAGE;
	}
	if (r->have_status) {
		if (WIFEXITED(r->status))
			return WEXITSTATUS(r->status);
		if (WIFSIGNALED(r->status))
			return 128 + WTERMSIG(r->status);
		return TN_EXIT_FAIL;
	}
	/* Detached on request: fine for -p, a signal for a command we ran. */
	if (r->interrupted && a->o.argv)
		return 128 + r->interrupted;
	return TN_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct args a = { .o.cmd_stdout_fd = -1, .co.usage = usage };
	struct tn_trace_result r;
	struct tn_error err = {0};
	int code;

	tn_tool_init("tn-trace");
	tn_trace_filter_init(&a.filter);
	code = parse_args(argc, argv, &a);
	if (code >= 0)
		goto out;
	code = open_all(&a);
	if (code >= 0)
		goto out;
	if (tn_trace_run(&a.o, &r, &err) < 0) {
		tn_tool_report(&err);
		code = TN_EXIT_USAGE;
	} else {
		code = exit_status(&a, &r);
	}
	tn_sys_cleanup();
out:
	free(a.pids);
	return code;
}
