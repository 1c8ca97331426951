/* The ptrace engine behind tn-trace(1): runs or attaches to processes and
 * writes their syscalls, processes, execs, signals and exits as
 * tn-events(5) records. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "filter.h"

struct tn_trace_opts {
	char *const *argv;          /* the command (argv[0] as given), or NULL with pids */
	int argc;
	const char *exe;            /* argv[0] resolved by tn_trace_find_exe() */
	const pid_t *pids;          /* -p: processes to attach to */
	size_t npids;
	bool follow;                /* -f: follow fork, vfork and clone */
	bool seccomp;               /* --seccomp-bpf (effective only with follow) */
	const struct tn_trace_filter *filter;   /* NULL: trace everything */
	int out_fd;                 /* where the events go */
	int cmd_stdout_fd;          /* the command's stdout becomes this; -1: keep */
};

struct tn_trace_result {
	bool have_status;           /* the first process ended and was reaped */
	int status;                 /* its wait status */
	int interrupted;            /* signal that stopped tn-trace (0: none) */
	int write_error;            /* -errno of a failed write of events, -ECHILD
	                             * when the writer process died, or 0 */
	int exec_error;             /* -errno of the command's execve that failed
	                             * (it then exited 127), or 0 */
	unsigned long long syscalls;  /* syscall records written */
	unsigned long long stops;     /* ptrace stops handled */
};

/*
 * Find cmd as execvp(3) would (PATH when it has no '/'), and check that it
 * is a regular, executable file in a format the kernel runs (ELF or "#!").
 * The path goes to buf.  Returns 0 or -errno with e->msg.
 */
int tn_trace_find_exe(const char *cmd, char *buf, size_t size, struct tn_error *e);

/*
 * Trace: start o->argv (stopped, then seized) or attach to every thread of
 * o->pids, write the header and every record until no tracee is left, or
 * until SIGINT, SIGTERM or SIGHUP (then detach, leaving the tracees running).
 * Errors that prevent tracing from starting (fork, attach: no such process,
 * permission) return -errno with e->msg and leave no process behind.
 */
int tn_trace_run(const struct tn_trace_opts *o, struct tn_trace_result *r,
		 struct tn_error *e);
