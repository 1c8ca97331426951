/* tn_tool_lockdown(): the seccomp filter a filter program runs under. */
#include "tool.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

/*
 * What a program that only reads and writes descriptors it already holds
 * needs from the kernel, with what the C library, the allocator and the
 * sanitizers call behind its back.  Everything else fails with EPERM rather
 * than killing the process, so a missed call shows up as an error message,
 * not as a silent death in a CI log.
 */
static const char *const allowed[] = {
	"read", "readv", "pread64", "write", "writev", "pwrite64",
	"lseek", "fstat", "newfstatat", "statx", "fcntl", "ioctl",
	"close", "dup", "dup2", "dup3", "poll", "ppoll", "select", "pselect6",
	"mmap", "munmap", "mremap", "mprotect", "madvise", "brk",
	"futex", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack",
	"clock_gettime", "clock_nanosleep", "nanosleep", "gettimeofday", "getrandom",
	"getpid", "gettid", "getppid", "getuid", "geteuid", "getrusage", "prlimit64",
	"sched_yield", "sched_getaffinity", "tgkill", "kill", "exit", "exit_group",
	"restart_syscall", "uname", "sysinfo",
	/* AddressSanitizer's reports and LeakSanitizer's scan. */
	"readlink", "readlinkat", "open", "openat", "prctl", "ptrace", "wait4",
	"clone", "clone3", "set_robust_list", "rseq", "arch_prctl", "sched_setaffinity",
	"getdents", "getdents64",     /* LeakSanitizer lists /proc/PID/task at exit */
};

/* Sanitizer builds need open/ptrace/clone for their own reports; only then. */
static const char *const sanitizer_only[] = {
	"readlink", "readlinkat", "open", "openat", "prctl", "ptrace", "wait4",
	"clone", "clone3", "set_robust_list", "rseq", "arch_prctl", "sched_setaffinity",
	"getdents", "getdents64",
};

static int is_sanitizer_only(const char *name)
{
	for (size_t i = 0; i < sizeof(sanitizer_only) / sizeof(*sanitizer_only); i++)
		if (strcmp(name, sanitizer_only[i]) == 0)
			return 1;
	return 0;
}

static int under_checker(void)
{
	const char *s = getenv("TN_UNDER_SANITIZER");
	const char *v = getenv("TN_UNDER_VALGRIND");

	return (s && *s == '1') || (v && *v == '1');
}

int tn_tool_lockdown(struct tn_error *e)
{
	const char *env = getenv("TN_SANDBOX");
	scmp_filter_ctx ctx;
	int checker = under_checker();
	int r;

	if (env && strcmp(env, "0") == 0)
		return 0;
	/* valgrind runs the guest's syscalls itself; a filter would bind valgrind. */
	if (getenv("TN_UNDER_VALGRIND"))
		return 0;
	ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!ctx)
		return tn_error_set(e, -ENOMEM, "seccomp_init failed");
	for (size_t i = 0; i < sizeof(allowed) / sizeof(*allowed); i++) {
		int nr;

		if (is_sanitizer_only(allowed[i]) && !checker)
			continue;
		nr = seccomp_syscall_resolve_name(allowed[i]);
		if (nr == __NR_SCMP_ERROR)
			continue;       /* not on this architecture */
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		if (r < 0) {
			seccomp_release(ctx);
			return tn_error_set(e, r, "seccomp rule for %s: %s", allowed[i], strerror(-r));
		}
	}
	r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r < 0)
		return tn_error_set(e, r, "cannot load the seccomp filter: %s", strerror(-r));
	return 0;
}
