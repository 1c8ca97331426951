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
	       "Exit status: the command's, 128+N if signal N killed it; 2 on bad usage.\n");
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

int main(int argc, char **argv)
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
		{NULL, 0, NULL, 0},
	};
	struct tn_trace_filter filter;
	struct tn_trace_opts o;
	struct tn_trace_result r;
	struct tn_error err;
	const char *outpath = NULL, *cmd_stdout = NULL;
	pid_t *pids = NULL;
	size_t npids = 0;
	char exe[PATH_MAX];
	int c, rc, code;

	tn_tool_init("tn-trace");
	memset(&o, 0, sizeof(o));
	memset(&err, 0, sizeof(err));
	tn_trace_filter_init(&filter);
	o.cmd_stdout_fd = -1;
	while ((c = getopt_long(argc, argv, "+:o:fe:p:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outpath = optarg;
			break;
		case 'f':
			o.follow = true;
			break;
		case 'e':
			if (tn_trace_filter_parse(&filter, optarg, &err) < 0) {
				tn_tool_warnx("-e %s: %s", optarg, err.msg);
				free(pids);
				return TN_EXIT_USAGE;
			}
			break;
		case 'p':
			if (add_pids(optarg, &pids, &npids) < 0) {
				free(pids);
				return TN_EXIT_USAGE;
			}
			break;
		case OPT_SECCOMP:
			o.seccomp = true;
			break;
		case OPT_CMD_STDOUT:
			cmd_stdout = optarg;
			break;
		case 'h':
			usage();
			free(pids);
			return TN_EXIT_OK;
		case 'V':
			tn_tool_version();
			free(pids);
			return TN_EXIT_OK;
		default:
			free(pids);
			return tn_tool_bad_option(c, argv);
		}
	}
	if (optind == argc && npids == 0) {
		tn_tool_warnx("must have COMMAND to run or -p PID");
		return tn_tool_usage_hint();
	}
	if (optind < argc && npids > 0) {
		tn_tool_warnx("COMMAND and -p are mutually exclusive");
		free(pids);
		return tn_tool_usage_hint();
	}
	if (optind < argc) {
		if (tn_trace_find_exe(argv[optind], exe, sizeof(exe), &err) < 0) {
			tn_tool_report(&err);
			return TN_EXIT_USAGE;
		}
		o.argv = argv + optind;
		o.argc = argc - optind;
		o.exe = exe;
	} else {
		for (size_t i = 0; i < npids; i++) {
			if (kill(pids[i], 0) < 0 && errno == ESRCH) {
				tn_tool_warnx("attach to %d: No such process", (int)pids[i]);
				free(pids);
				return TN_EXIT_USAGE;
			}
		}
		o.pids = pids;
		o.npids = npids;
	}
	if (outpath) {
		o.out_fd = tn_tool_open_output(outpath);
		if (o.out_fd < 0) {
			free(pids);
			return TN_EXIT_USAGE;
		}
	} else {
		o.out_fd = STDOUT_FILENO;
		if (o.argv)
			o.cmd_stdout_fd = STDERR_FILENO;
	}
	if (cmd_stdout) {
		if (same_file(o.out_fd, cmd_stdout)) {
			tn_tool_warnx("%s: --cmd-stdout names the file the events go to", cmd_stdout);
			free(pids);
			return TN_EXIT_USAGE;
		}
		o.cmd_stdout_fd = tn_tool_open_output(cmd_stdout);
		if (o.cmd_stdout_fd < 0) {
			free(pids);
			return TN_EXIT_USAGE;
		}
	}
	o.filter = &filter;

	rc = tn_trace_run(&o, &r, &err);
	tn_sys_cleanup();
	free(pids);
	if (rc < 0) {
		tn_tool_report(&err);
		return TN_EXIT_USAGE;
	}
	if (r.write_error == -EPIPE)
		return 128 + SIGPIPE;
	if (r.write_error == -ECHILD) {
		tn_tool_warnx("%s: the writer process (tn-trace-out) died: events lost",
			      outpath ? outpath : "standard output");
		return TN_EXIT_USAGE;
	}
	if (r.write_error) {
		/* A failed write of the output exits 2 in every tn program. */
		tn_tool_warn_errno(r.write_error, "%s", outpath ? outpath : "standard output");
		return TN_EXIT_USAGE;
	}
	if (r.exec_error) {
		/* What only execve could tell: "could not run", not the 127 of a
		 * command that ran. */
		tn_tool_warn_errno(r.exec_error, "%s: could not run", o.argv[0]);
		return TN_EXIT_USAGE;
	}
	if (r.have_status) {
		if (WIFEXITED(r.status))
			code = WEXITSTATUS(r.status);
		else if (WIFSIGNALED(r.status))
			code = 128 + WTERMSIG(r.status);
		else
			code = TN_EXIT_FAIL;
	} else if (r.interrupted) {
		/* Detached on request: fine for -p, a signal for a command we ran. */
		code = o.argv ? 128 + r.interrupted : TN_EXIT_OK;
	} else {
		code = TN_EXIT_OK;
	}
	return code;
}
