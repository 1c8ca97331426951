/* tn_tool_lockdown(): the seccomp filter a filter program runs under. */
#include "tool.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

/*
 * What a program that only reads and writes descriptors it already holds
 * needs from the kernel, with what the C library and the allocator call
 * behind its back (ftruncate: cutting an output back to a whole record).
 * Everything else fails with EPERM rather than killing the process, so a
 * missed call shows up as an error message, not as a silent death in a CI
 * log.
 */
static const char *const base[] = {
	"read", "readv", "pread64", "write", "writev", "pwrite64",
	"lseek", "fstat", "newfstatat", "statx", "fcntl", "ioctl", "ftruncate",
	"close", "dup", "dup2", "dup3", "poll", "ppoll", "select", "pselect6",
	"mmap", "munmap", "mremap", "mprotect", "madvise", "brk",
	"futex", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack",
	"clock_gettime", "clock_nanosleep", "nanosleep", "gettimeofday", "getrandom",
	"getpid", "gettid", "getppid", "getuid", "geteuid", "getrusage", "prlimit64",
	"sched_yield", "sched_getaffinity", "tgkill", "kill", "exit", "exit_group",
	"restart_syscall", "uname", "sysinfo",
};

/*
 * Only under a checker (TN_UNDER_SANITIZER=1): AddressSanitizer's reports
 * and LeakSanitizer's scan need open, ptrace and clone.
 */
static const char *const checker_only[] = {
	"readlink", "readlinkat", "open", "openat", "prctl", "ptrace", "wait4",
	"clone", "clone3", "set_robust_list", "rseq", "arch_prctl", "sched_setaffinity",
	"getdents", "getdents64",     /* LeakSanitizer lists /proc/PID/task at exit */
};

static int allow(scmp_filter_ctx ctx, const char *const *names, size_t n, struct tn_error *e)
{
	for (size_t i = 0; i < n; i++) {
		int nr = seccomp_syscall_resolve_name(names[i]);
		int r;

		if (nr == __NR_SCMP_ERROR)
			continue;       /* not on this architecture */
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		if (r < 0)
			return tn_error_set(e, r, "seccomp rule for %s: %s", names[i], strerror(-r));
	}
	return 0;
}

int tn_tool_lockdown(struct tn_error *e)
{
	const char *env = getenv("TN_SANDBOX");
	const char *asan = getenv("TN_UNDER_SANITIZER");
	scmp_filter_ctx ctx;
	int r;

	if (env && strcmp(env, "0") == 0)
		return 0;
	/* valgrind runs the guest's syscalls itself; a filter would bind valgrind. */
	if (getenv("TN_UNDER_VALGRIND"))
		return 0;
	ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!ctx)
		return tn_error_set(e, -ENOMEM, "seccomp_init failed");
	r = allow(ctx, base, sizeof(base) / sizeof(*base), e);
	if (r == 0 && asan && *asan == '1')
		r = allow(ctx, checker_only, sizeof(checker_only) / sizeof(*checker_only), e);
	if (r == 0) {
		r = seccomp_load(ctx);
		if (r < 0)
			tn_error_set(e, r, "cannot load the seccomp filter: %s", strerror(-r));
	}
	seccomp_release(ctx);
	return r;
}
