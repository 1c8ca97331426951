/* Syscall table: names from libseccomp, everything else from tn-trace's own
 * list below (argument counts, file-name arguments, strace-style classes). */
#include "systab.h"

#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define F   TN_CLS_FILE
#define P   TN_CLS_PROCESS
#define N   TN_CLS_NETWORK
#define S   TN_CLS_SIGNAL
#define I   TN_CLS_IPC
#define D   TN_CLS_DESC
#define M   TN_CLS_MEMORY
#define C   TN_CLS_CREDS
#define ST  TN_CLS_STAT
#define LST TN_CLS_LSTAT
#define FST TN_CLS_FSTAT
#define SF  TN_CLS_STATFS
#define FSF TN_CLS_FSTATFS
#define CL  TN_CLS_CLOCK
#define PU  TN_CLS_PURE

#define P0 1u
#define P1 2u
#define P2 4u
#define P3 8u
#define P4 16u

struct sysdef {
	const char *name;
	uint8_t nargs;
	uint8_t paths;
	uint16_t classes;
};

/*
 * Every syscall tn-trace knows something about, by name, for all
 * architectures at once (a name missing on an architecture is skipped).
 * Calls not listed still get their name from libseccomp, six arguments and
 * no class.
 */
static const struct sysdef defs[] = {
	{"read", 3, 0, D}, {"write", 3, 0, D}, {"open", 3, P0, F | D},
	{"close", 1, 0, D}, {"close_range", 3, 0, D},
	{"stat", 2, P0, F | ST}, {"fstat", 2, 0, D | FST}, {"lstat", 2, P0, F | LST},
	{"stat64", 2, P0, F | ST}, {"fstat64", 2, 0, D | FST}, {"lstat64", 2, P0, F | LST},
	{"oldstat", 2, P0, F | ST}, {"oldfstat", 2, 0, D | FST}, {"oldlstat", 2, P0, F | LST},
	{"newfstatat", 4, P1, D | F | ST}, {"fstatat64", 4, P1, D | F | ST},
	{"statx", 5, P1, D | F | ST},
	{"statfs", 2, P0, F | SF}, {"statfs64", 3, P0, F | SF},
	{"fstatfs", 2, 0, D | FSF}, {"fstatfs64", 3, 0, D | FSF}, {"ustat", 2, 0, 0},
	{"poll", 3, 0, D}, {"ppoll", 5, 0, D}, {"ppoll_time64", 5, 0, D},
	{"select", 5, 0, D}, {"_newselect", 5, 0, D}, {"pselect6", 6, 0, D},
	{"pselect6_time64", 6, 0, D},
	{"lseek", 3, 0, D}, {"_llseek", 5, 0, D},
	{"mmap", 6, 0, D | M}, {"mmap2", 6, 0, D | M}, {"mprotect", 3, 0, M},
	{"munmap", 2, 0, M}, {"brk", 1, 0, M}, {"mremap", 5, 0, M}, {"msync", 3, 0, M},
	{"mincore", 3, 0, M}, {"madvise", 3, 0, M}, {"mlock", 2, 0, M}, {"mlock2", 3, 0, M},
	{"munlock", 2, 0, M}, {"mlockall", 1, 0, M}, {"munlockall", 0, 0, M},
	{"remap_file_pages", 5, 0, M}, {"mbind", 6, 0, M}, {"get_mempolicy", 5, 0, M},
	{"set_mempolicy", 3, 0, M}, {"migrate_pages", 4, 0, M}, {"move_pages", 6, 0, M},
	{"pkey_mprotect", 4, 0, M}, {"pkey_alloc", 2, 0, 0}, {"pkey_free", 1, 0, 0},
	{"process_madvise", 5, 0, D}, {"process_mrelease", 2, 0, D}, {"mseal", 3, 0, M},
	{"map_shadow_stack", 3, 0, M},
	{"rt_sigaction", 4, 0, S}, {"sigaction", 3, 0, S}, {"signal", 2, 0, S},
	{"rt_sigprocmask", 4, 0, S}, {"sigprocmask", 3, 0, S},
	{"rt_sigreturn", 0, 0, S}, {"sigreturn", 0, 0, S},
	{"rt_sigsuspend", 2, 0, S}, {"sigsuspend", 3, 0, S},
	{"rt_sigpending", 2, 0, S}, {"sigpending", 1, 0, S},
	{"rt_sigtimedwait", 4, 0, S}, {"rt_sigtimedwait_time64", 4, 0, S},
	{"rt_sigqueueinfo", 3, 0, P | S}, {"rt_tgsigqueueinfo", 4, 0, P | S},
	{"sigaltstack", 2, 0, S}, {"signalfd", 3, 0, D | S}, {"signalfd4", 4, 0, D | S},
	{"sgetmask", 0, 0, S}, {"ssetmask", 1, 0, S}, {"pause", 0, 0, S},
	{"kill", 2, 0, P | S}, {"tkill", 2, 0, P | S}, {"tgkill", 3, 0, P | S},
	{"pidfd_send_signal", 4, 0, D | P | S},
	{"ioctl", 3, 0, D}, {"pread64", 4, 0, D}, {"pwrite64", 4, 0, D},
	{"readv", 3, 0, D}, {"writev", 3, 0, D}, {"preadv", 5, 0, D}, {"pwritev", 5, 0, D},
	{"preadv2", 6, 0, D}, {"pwritev2", 6, 0, D},
	{"access", 2, P0, F}, {"faccessat", 3, P1, D | F}, {"faccessat2", 4, P1, D | F},
	{"pipe", 1, 0, D}, {"pipe2", 2, 0, D}, {"sched_yield", 0, 0, 0},
	{"dup", 1, 0, D}, {"dup2", 2, 0, D}, {"dup3", 3, 0, D},
	{"nanosleep", 2, 0, 0}, {"clock_nanosleep", 4, 0, CL},
	{"clock_nanosleep_time64", 4, 0, CL},
	{"getitimer", 2, 0, 0}, {"setitimer", 3, 0, 0}, {"alarm", 1, 0, 0},
	{"getpid", 0, 0, PU}, {"getppid", 0, 0, PU}, {"gettid", 0, 0, PU},
	{"getpgrp", 0, 0, PU}, {"getuid", 0, 0, C | PU}, {"geteuid", 0, 0, C | PU},
	{"getgid", 0, 0, C | PU}, {"getegid", 0, 0, C | PU},
	{"getuid32", 0, 0, C | PU}, {"geteuid32", 0, 0, C | PU},
	{"getgid32", 0, 0, C | PU}, {"getegid32", 0, 0, C | PU},
	{"sendfile", 4, 0, D | N}, {"sendfile64", 4, 0, D | N},
	{"socket", 3, 0, N}, {"connect", 3, 0, D | N}, {"accept", 3, 0, D | N},
	{"accept4", 4, 0, D | N}, {"sendto", 6, 0, D | N}, {"recvfrom", 6, 0, D | N},
	{"send", 4, 0, D | N}, {"recv", 4, 0, D | N},
	{"sendmsg", 3, 0, D | N}, {"recvmsg", 3, 0, D | N}, {"sendmmsg", 4, 0, D | N},
	{"recvmmsg", 5, 0, D | N}, {"recvmmsg_time64", 5, 0, D | N},
	{"shutdown", 2, 0, D | N}, {"bind", 3, 0, D | N}, {"listen", 2, 0, D | N},
	{"getsockname", 3, 0, D | N}, {"getpeername", 3, 0, D | N},
	{"socketpair", 4, 0, N}, {"setsockopt", 5, 0, D | N}, {"getsockopt", 5, 0, D | N},
	{"socketcall", 2, 0, D | N},
	{"clone", 5, 0, P}, {"clone3", 2, 0, P}, {"fork", 0, 0, P}, {"vfork", 0, 0, P},
	{"execve", 3, P0, F | P}, {"execveat", 5, P1, D | F | P},
	{"exit", 1, 0, P}, {"exit_group", 1, 0, P},
	{"wait4", 4, 0, P}, {"waitpid", 3, 0, P}, {"waitid", 5, 0, P},
	{"uname", 1, 0, 0}, {"olduname", 1, 0, 0}, {"oldolduname", 1, 0, 0},
	{"semget", 3, 0, I}, {"semop", 3, 0, I}, {"semctl", 4, 0, I},
	{"semtimedop", 4, 0, I}, {"semtimedop_time64", 4, 0, I},
	{"shmget", 3, 0, I}, {"shmat", 3, 0, I | M}, {"shmdt", 1, 0, I | M},
	{"shmctl", 3, 0, I}, {"msgget", 2, 0, I}, {"msgsnd", 4, 0, I},
	{"msgrcv", 5, 0, I}, {"msgctl", 3, 0, I}, {"ipc", 6, 0, I},
	{"fcntl", 3, 0, D}, {"fcntl64", 3, 0, D}, {"flock", 2, 0, D},
	{"fsync", 1, 0, D}, {"fdatasync", 1, 0, D}, {"sync", 0, 0, 0}, {"syncfs", 1, 0, D},
	{"sync_file_range", 4, 0, D},
	{"truncate", 2, P0, F}, {"truncate64", 3, P0, F},
	{"ftruncate", 2, 0, D}, {"ftruncate64", 3, 0, D},
	{"getdents", 3, 0, D}, {"getdents64", 3, 0, D}, {"readdir", 3, 0, D},
	{"getcwd", 2, 0, F}, {"chdir", 1, P0, F}, {"fchdir", 1, 0, D},
	{"rename", 2, P0 | P1, F}, {"renameat", 4, P1 | P3, D | F},
	{"renameat2", 5, P1 | P3, D | F},
	{"mkdir", 2, P0, F}, {"mkdirat", 3, P1, D | F}, {"rmdir", 1, P0, F},
	{"creat", 2, P0, D | F}, {"link", 2, P0 | P1, F}, {"linkat", 5, P1 | P3, D | F},
	{"unlink", 1, P0, F}, {"unlinkat", 3, P1, D | F},
	{"symlink", 2, P0 | P1, F}, {"symlinkat", 3, P0 | P2, D | F},
	{"readlink", 3, P0, F}, {"readlinkat", 4, P1, D | F},
	{"chmod", 2, P0, F}, {"fchmod", 2, 0, D}, {"fchmodat", 3, P1, D | F},
	{"fchmodat2", 4, P1, D | F},
	{"chown", 3, P0, F}, {"fchown", 3, 0, D}, {"lchown", 3, P0, F},
	{"chown32", 3, P0, F}, {"fchown32", 3, 0, D}, {"lchown32", 3, P0, F},
	{"fchownat", 5, P1, D | F}, {"umask", 1, 0, 0},
	{"gettimeofday", 2, 0, CL}, {"settimeofday", 2, 0, CL}, {"time", 1, 0, CL},
	{"stime", 1, 0, CL}, {"adjtimex", 1, 0, CL},
	{"clock_gettime", 2, 0, CL}, {"clock_settime", 2, 0, CL},
	{"clock_getres", 2, 0, CL}, {"clock_adjtime", 2, 0, CL},
	{"clock_gettime64", 2, 0, CL}, {"clock_settime64", 2, 0, CL},
	{"clock_getres_time64", 2, 0, CL}, {"clock_adjtime64", 2, 0, CL},
	{"getrlimit", 2, 0, 0}, {"setrlimit", 2, 0, 0}, {"ugetrlimit", 2, 0, 0},
	{"prlimit64", 4, 0, 0}, {"getrusage", 2, 0, 0}, {"sysinfo", 1, 0, 0},
	{"times", 1, 0, 0}, {"ptrace", 4, 0, 0}, {"syslog", 3, 0, 0},
	{"setuid", 1, 0, C}, {"setgid", 1, 0, C}, {"setuid32", 1, 0, C}, {"setgid32", 1, 0, C},
	{"setpgid", 2, 0, 0}, {"setsid", 0, 0, 0}, {"getpgid", 1, 0, 0}, {"getsid", 1, 0, 0},
	{"setreuid", 2, 0, C}, {"setregid", 2, 0, C}, {"setreuid32", 2, 0, C},
	{"setregid32", 2, 0, C}, {"getgroups", 2, 0, C}, {"setgroups", 2, 0, C},
	{"getgroups32", 2, 0, C}, {"setgroups32", 2, 0, C},
	{"setresuid", 3, 0, C}, {"getresuid", 3, 0, C}, {"setresgid", 3, 0, C},
	{"getresgid", 3, 0, C}, {"setresuid32", 3, 0, C}, {"getresuid32", 3, 0, C},
	{"setresgid32", 3, 0, C}, {"getresgid32", 3, 0, C},
	{"setfsuid", 1, 0, C}, {"setfsgid", 1, 0, C}, {"setfsuid32", 1, 0, C},
	{"setfsgid32", 1, 0, C}, {"capget", 2, 0, C}, {"capset", 2, 0, C},
	{"personality", 1, 0, 0}, {"utime", 2, P0, F}, {"utimes", 2, P0, F},
	{"futimesat", 3, P1, D | F}, {"utimensat", 4, P1, D | F},
	{"utimensat_time64", 4, P1, D | F},
	{"mknod", 3, P0, F}, {"mknodat", 4, P1, D | F}, {"uselib", 1, P0, F},
	{"sysfs", 3, 0, 0}, {"getpriority", 2, 0, 0}, {"setpriority", 3, 0, 0},
	{"sched_setparam", 2, 0, 0}, {"sched_getparam", 2, 0, 0},
	{"sched_setscheduler", 3, 0, 0}, {"sched_getscheduler", 1, 0, 0},
	{"sched_get_priority_max", 1, 0, 0}, {"sched_get_priority_min", 1, 0, 0},
	{"sched_rr_get_interval", 2, 0, 0}, {"sched_setaffinity", 3, 0, 0},
	{"sched_getaffinity", 3, 0, 0}, {"sched_setattr", 3, 0, 0},
	{"sched_getattr", 4, 0, 0}, {"vhangup", 0, 0, 0}, {"modify_ldt", 3, 0, 0},
	{"pivot_root", 2, P0 | P1, F}, {"prctl", 5, 0, 0}, {"arch_prctl", 2, 0, 0},
	{"chroot", 1, P0, F}, {"acct", 1, P0, F}, {"mount", 5, P0 | P1, F},
	{"umount2", 2, P0, F}, {"umount", 1, P0, F}, {"swapon", 2, P0, F},
	{"swapoff", 1, P0, F}, {"reboot", 4, 0, 0}, {"sethostname", 2, 0, 0},
	{"setdomainname", 2, 0, 0}, {"iopl", 1, 0, 0}, {"ioperm", 3, 0, 0},
	{"init_module", 3, 0, 0}, {"finit_module", 3, 0, D}, {"delete_module", 2, 0, 0},
	{"quotactl", 4, P1, F}, {"quotactl_fd", 4, 0, D},
	{"readahead", 3, 0, D}, {"setxattr", 5, P0, F}, {"lsetxattr", 5, P0, F},
	{"fsetxattr", 5, 0, D}, {"getxattr", 4, P0, F}, {"lgetxattr", 4, P0, F},
	{"fgetxattr", 4, 0, D}, {"listxattr", 3, P0, F}, {"llistxattr", 3, P0, F},
	{"flistxattr", 3, 0, D}, {"removexattr", 2, P0, F}, {"lremovexattr", 2, P0, F},
	{"fremovexattr", 2, 0, D}, {"setxattrat", 6, P1, D | F},
	{"getxattrat", 6, P1, D | F}, {"listxattrat", 5, P1, D | F},
	{"removexattrat", 4, P1, D | F},
	{"futex", 6, 0, 0}, {"futex_time64", 6, 0, 0}, {"futex_waitv", 5, 0, 0},
	{"futex_wake", 4, 0, 0}, {"futex_wait", 6, 0, 0}, {"futex_requeue", 4, 0, 0},
	{"set_thread_area", 1, 0, 0}, {"get_thread_area", 1, 0, 0},
	{"io_setup", 2, 0, M}, {"io_destroy", 1, 0, M}, {"io_getevents", 5, 0, 0},
	{"io_submit", 3, 0, 0}, {"io_cancel", 3, 0, 0}, {"io_pgetevents", 6, 0, 0},
	{"io_uring_setup", 2, 0, D}, {"io_uring_enter", 6, 0, D},
	{"io_uring_register", 4, 0, D},
	{"lookup_dcookie", 3, 0, 0}, {"epoll_create", 1, 0, D}, {"epoll_create1", 1, 0, D},
	{"epoll_ctl", 4, 0, D}, {"epoll_wait", 4, 0, D}, {"epoll_pwait", 6, 0, D},
	{"epoll_pwait2", 6, 0, D}, {"set_tid_address", 1, 0, 0},
	{"restart_syscall", 0, 0, 0}, {"fadvise64", 4, 0, D}, {"fadvise64_64", 4, 0, D},
	{"timer_create", 3, 0, 0}, {"timer_settime", 4, 0, 0}, {"timer_gettime", 2, 0, 0},
	{"timer_getoverrun", 1, 0, 0}, {"timer_delete", 1, 0, 0},
	{"mq_open", 4, 0, D}, {"mq_unlink", 1, 0, 0}, {"mq_timedsend", 5, 0, D},
	{"mq_timedreceive", 5, 0, D}, {"mq_notify", 2, 0, D}, {"mq_getsetattr", 3, 0, D},
	{"kexec_load", 4, 0, 0}, {"kexec_file_load", 5, 0, D}, {"add_key", 5, 0, 0},
	{"request_key", 4, 0, 0}, {"keyctl", 5, 0, 0}, {"ioprio_set", 3, 0, 0},
	{"ioprio_get", 2, 0, 0}, {"inotify_init", 0, 0, D}, {"inotify_init1", 1, 0, D},
	{"inotify_add_watch", 3, P1, D | F}, {"inotify_rm_watch", 2, 0, D},
	{"openat", 4, P1, D | F}, {"openat2", 4, P1, D | F}, {"unshare", 1, 0, 0},
	{"set_robust_list", 2, 0, 0}, {"get_robust_list", 3, 0, 0},
	{"splice", 6, 0, D}, {"tee", 4, 0, D}, {"vmsplice", 4, 0, D},
	{"timerfd_create", 2, 0, D}, {"timerfd_settime", 4, 0, D},
	{"timerfd_gettime", 2, 0, D}, {"eventfd", 1, 0, D}, {"eventfd2", 2, 0, D},
	{"fallocate", 4, 0, D}, {"perf_event_open", 5, 0, D},
	{"fanotify_init", 2, 0, D}, {"fanotify_mark", 5, P4, D | F},
	{"name_to_handle_at", 5, P1, D | F}, {"open_by_handle_at", 3, 0, D},
	{"setns", 2, 0, D}, {"getcpu", 3, 0, 0},
	{"process_vm_readv", 6, 0, 0}, {"process_vm_writev", 6, 0, 0},
	{"kcmp", 5, 0, 0}, {"seccomp", 3, 0, 0}, {"getrandom", 3, 0, 0},
	{"memfd_create", 2, 0, D}, {"memfd_secret", 1, 0, D}, {"bpf", 3, 0, D},
	{"userfaultfd", 1, 0, D}, {"membarrier", 3, 0, M}, {"copy_file_range", 6, 0, D},
	{"rseq", 4, 0, 0}, {"pidfd_open", 2, 0, D}, {"pidfd_getfd", 3, 0, D},
	{"open_tree", 3, P1, D | F}, {"open_tree_attr", 5, P1, D | F},
	{"move_mount", 5, P1 | P3, D | F},
	{"fsopen", 2, 0, D}, {"fsconfig", 5, 0, D}, {"fsmount", 3, 0, D},
	{"fspick", 3, P1, D | F}, {"mount_setattr", 5, P1, D | F},
	{"landlock_create_ruleset", 3, 0, D}, {"landlock_add_rule", 4, 0, D},
	{"landlock_restrict_self", 2, 0, D}, {"cachestat", 4, 0, D},
	{"statmount", 4, 0, 0}, {"listmount", 4, 0, 0},
	{"lsm_get_self_attr", 4, 0, 0}, {"lsm_set_self_attr", 4, 0, 0},
	{"lsm_list_modules", 3, 0, 0},
	{"file_getattr", 5, P1, D | F}, {"file_setattr", 5, P1, D | F},
};

/* Descriptors: which calls take one first, return one, end one. */
static const struct { const char *name; uint8_t kind; } fd_kinds[] = {
	{"read", TN_FD_ARG0}, {"write", TN_FD_ARG0}, {"pread64", TN_FD_ARG0},
	{"pwrite64", TN_FD_ARG0}, {"readv", TN_FD_ARG0}, {"writev", TN_FD_ARG0},
	{"preadv", TN_FD_ARG0}, {"pwritev", TN_FD_ARG0}, {"preadv2", TN_FD_ARG0},
	{"pwritev2", TN_FD_ARG0}, {"fstat", TN_FD_ARG0}, {"fstat64", TN_FD_ARG0},
	{"newfstatat", TN_FD_ARG0}, {"fstatat64", TN_FD_ARG0}, {"statx", TN_FD_ARG0},
	{"fstatfs", TN_FD_ARG0}, {"fstatfs64", TN_FD_ARG0}, {"lseek", TN_FD_ARG0},
	{"_llseek", TN_FD_ARG0}, {"ioctl", TN_FD_ARG0}, {"fcntl", TN_FD_ARG0},
	{"fcntl64", TN_FD_ARG0}, {"flock", TN_FD_ARG0}, {"fsync", TN_FD_ARG0},
	{"fdatasync", TN_FD_ARG0}, {"ftruncate", TN_FD_ARG0}, {"ftruncate64", TN_FD_ARG0},
	{"getdents", TN_FD_ARG0}, {"getdents64", TN_FD_ARG0}, {"fchdir", TN_FD_ARG0},
	{"fchmod", TN_FD_ARG0}, {"fchown", TN_FD_ARG0}, {"fchown32", TN_FD_ARG0},
	{"fadvise64", TN_FD_ARG0}, {"fallocate", TN_FD_ARG0}, {"readahead", TN_FD_ARG0},
	{"sendfile", TN_FD_ARG0}, {"sendfile64", TN_FD_ARG0}, {"splice", TN_FD_ARG0},
	{"tee", TN_FD_ARG0}, {"copy_file_range", TN_FD_ARG0},
	{"connect", TN_FD_ARG0}, {"bind", TN_FD_ARG0}, {"listen", TN_FD_ARG0},
	{"shutdown", TN_FD_ARG0}, {"sendto", TN_FD_ARG0}, {"recvfrom", TN_FD_ARG0},
	{"sendmsg", TN_FD_ARG0}, {"sendmmsg", TN_FD_ARG0}, {"getsockname", TN_FD_ARG0},
	{"getpeername", TN_FD_ARG0}, {"setsockopt", TN_FD_ARG0}, {"getsockopt", TN_FD_ARG0},
	{"epoll_ctl", TN_FD_ARG0}, {"epoll_wait", TN_FD_ARG0}, {"epoll_pwait", TN_FD_ARG0},
	{"epoll_pwait2", TN_FD_ARG0}, {"faccessat", TN_FD_ARG0}, {"faccessat2", TN_FD_ARG0},
	{"readlinkat", TN_FD_ARG0}, {"mkdirat", TN_FD_ARG0}, {"unlinkat", TN_FD_ARG0},
	{"fchmodat", TN_FD_ARG0}, {"fchownat", TN_FD_ARG0}, {"utimensat", TN_FD_ARG0},
	{"fgetxattr", TN_FD_ARG0}, {"fsetxattr", TN_FD_ARG0}, {"flistxattr", TN_FD_ARG0},
	{"fremovexattr", TN_FD_ARG0}, {"syncfs", TN_FD_ARG0}, {"sync_file_range", TN_FD_ARG0},
	{"inotify_add_watch", TN_FD_ARG0}, {"inotify_rm_watch", TN_FD_ARG0},
	{"timerfd_settime", TN_FD_ARG0}, {"timerfd_gettime", TN_FD_ARG0},
	{"open", TN_FD_NEW}, {"openat", TN_FD_NEW}, {"openat2", TN_FD_NEW},
	{"creat", TN_FD_NEW}, {"dup", TN_FD_NEW}, {"socket", TN_FD_NEW},
	{"accept", TN_FD_NEW}, {"accept4", TN_FD_NEW}, {"epoll_create", TN_FD_NEW},
	{"epoll_create1", TN_FD_NEW}, {"eventfd", TN_FD_NEW}, {"eventfd2", TN_FD_NEW},
	{"signalfd", TN_FD_NEW}, {"signalfd4", TN_FD_NEW}, {"timerfd_create", TN_FD_NEW},
	{"inotify_init", TN_FD_NEW}, {"inotify_init1", TN_FD_NEW},
	{"memfd_create", TN_FD_NEW}, {"memfd_secret", TN_FD_NEW}, {"pidfd_open", TN_FD_NEW},
	{"pidfd_getfd", TN_FD_NEW}, {"fanotify_init", TN_FD_NEW},
	{"perf_event_open", TN_FD_NEW}, {"userfaultfd", TN_FD_NEW},
	{"io_uring_setup", TN_FD_NEW}, {"open_tree", TN_FD_NEW}, {"fsopen", TN_FD_NEW},
	{"fsmount", TN_FD_NEW}, {"fspick", TN_FD_NEW}, {"mq_open", TN_FD_NEW},
	{"open_by_handle_at", TN_FD_NEW}, {"landlock_create_ruleset", TN_FD_NEW},
	{"bpf", TN_FD_NEW},
	{"close", TN_FD_CLOSE}, {"dup2", TN_FD_TO1}, {"dup3", TN_FD_TO1},
	{"pipe", TN_FD_MANY}, {"pipe2", TN_FD_MANY}, {"socketpair", TN_FD_MANY},
	{"recvmsg", TN_FD_MANY}, {"recvmmsg", TN_FD_MANY}, {"close_range", TN_FD_MANY},
	{"execve", TN_FD_MANY}, {"execveat", TN_FD_MANY}, {"io_uring_enter", TN_FD_MANY},
	{"io_uring_register", TN_FD_MANY}, {"socketcall", TN_FD_MANY}, {"ipc", TN_FD_NONE},
};

/* Calls newer than the libseccomp on Debian bookworm (2.5.4): their
 * numbers are common to x86_64, x86 and aarch64 (the "generic" range). */
static const struct { uint32_t nr; const char *name; } newer[] = {
	{451, "cachestat"}, {452, "fchmodat2"}, {453, "map_shadow_stack"},
	{454, "futex_wake"}, {455, "futex_wait"}, {456, "futex_requeue"},
	{457, "statmount"}, {458, "listmount"}, {459, "lsm_get_self_attr"},
	{460, "lsm_set_self_attr"}, {461, "lsm_list_modules"}, {462, "mseal"},
	{463, "setxattrat"}, {464, "getxattrat"}, {465, "listxattrat"},
	{466, "removexattrat"}, {467, "open_tree_attr"}, {468, "file_getattr"},
	{469, "file_setattr"},
};

#define X32_BIT 0x40000000u

static const struct {
	const char *name;
	uint32_t audit;
	uint32_t scmp;
} arches[TN_ARCH_COUNT] = {
	[TN_ARCH_X86_64] = {"x86_64", AUDIT_ARCH_X86_64, SCMP_ARCH_X86_64},
	[TN_ARCH_X86] = {"x86", AUDIT_ARCH_I386, SCMP_ARCH_X86},
	[TN_ARCH_X32] = {"x32", AUDIT_ARCH_X86_64, SCMP_ARCH_X32},
	[TN_ARCH_AARCH64] = {"aarch64", AUDIT_ARCH_AARCH64, SCMP_ARCH_AARCH64},
};

static struct tn_sysent *tables[TN_ARCH_COUNT];

#define HASH_SLOTS 2048u     /* > 2 * TN_NR_MAX: short probes */

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;   /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h % HASH_SLOTS;
}

enum tn_arch tn_arch_from_audit(uint32_t audit_arch, uint64_t nr)
{
	if (audit_arch == AUDIT_ARCH_X86_64)
		return (nr & X32_BIT) ? TN_ARCH_X32 : TN_ARCH_X86_64;
	if (audit_arch == AUDIT_ARCH_I386)
		return TN_ARCH_X86;
	if (audit_arch == AUDIT_ARCH_AARCH64)
		return TN_ARCH_AARCH64;
	return TN_ARCH_UNKNOWN;
}

const char *tn_arch_name(enum tn_arch a)
{
	return a >= 0 && a < TN_ARCH_COUNT ? arches[a].name : "unknown";
}

uint32_t tn_arch_scmp(enum tn_arch a)
{
	return a >= 0 && a < TN_ARCH_COUNT ? arches[a].scmp : 0;
}

enum tn_arch tn_arch_native(void)
{
#if defined(__x86_64__) && defined(__ILP32__)
	return TN_ARCH_X32;
#elif defined(__x86_64__)
	return TN_ARCH_X86_64;
#elif defined(__i386__)
	return TN_ARCH_X86;
#elif defined(__aarch64__)
	return TN_ARCH_AARCH64;
#else
	return TN_ARCH_UNKNOWN;
#endif
}

bool tn_arch_supported(enum tn_arch a)
{
	enum tn_arch n = tn_arch_native();

	if (a == n)
		return true;
	return n == TN_ARCH_X86_64 && (a == TN_ARCH_X86 || a == TN_ARCH_X32);
}

/* Index into a table: x32 numbers carry bit 30. */
static uint32_t slot(enum tn_arch a, uint32_t nr)
{
	return a == TN_ARCH_X32 ? (nr & ~X32_BIT) : nr;
}

static void build(enum tn_arch a)
{
	struct tn_sysent *t = calloc(TN_NR_MAX, sizeof(*t));
	uint32_t scmp = arches[a].scmp;

	if (!t)
		return;
	for (uint32_t i = 0; i < TN_NR_MAX; i++) {
		uint32_t nr = a == TN_ARCH_X32 ? (i | X32_BIT) : i;
		t[i].name = seccomp_syscall_resolve_num_arch(scmp, (int)nr);
		t[i].nargs = 6;
	}
	if (a == TN_ARCH_X86_64 || a == TN_ARCH_X86 || a == TN_ARCH_AARCH64 ||
	    a == TN_ARCH_X32) {
		for (size_t k = 0; k < sizeof(newer) / sizeof(newer[0]); k++)
			if (!t[newer[k].nr].name)
				t[newer[k].nr].name = strdup(newer[k].name);
	}
	/* Names to numbers through a small hash table, then the list above. */
	{
		uint16_t slot_of[HASH_SLOTS];

		memset(slot_of, 0xff, sizeof(slot_of));
		for (uint32_t i = 0; i < TN_NR_MAX; i++) {
			uint32_t h;
			if (!t[i].name)
				continue;
			for (h = hash(t[i].name); slot_of[h] != 0xffff; h = (h + 1) % HASH_SLOTS)
				;
			slot_of[h] = (uint16_t)i;
		}
		for (size_t k = 0; k < sizeof(defs) / sizeof(defs[0]); k++) {
			for (uint32_t h = hash(defs[k].name); slot_of[h] != 0xffff;
			     h = (h + 1) % HASH_SLOTS) {
				struct tn_sysent *e = &t[slot_of[h]];
				if (strcmp(e->name, defs[k].name) != 0)
					continue;
				e->nargs = defs[k].nargs;
				e->paths = defs[k].paths;
				e->classes = defs[k].classes;
				break;
			}
		}
		for (size_t k = 0; k < sizeof(fd_kinds) / sizeof(fd_kinds[0]); k++) {
			for (uint32_t h = hash(fd_kinds[k].name); slot_of[h] != 0xffff;
			     h = (h + 1) % HASH_SLOTS) {
				struct tn_sysent *e = &t[slot_of[h]];
				if (strcmp(e->name, fd_kinds[k].name) != 0)
					continue;
				e->fd = fd_kinds[k].kind;
				break;
			}
		}
	}
	for (uint32_t i = 0; i < TN_NR_MAX; i++) {
		const char *n = t[i].name;

		if (!n)
			continue;
		if (!strcmp(n, "mmap") || !strcmp(n, "mmap2"))
			t[i].mem = TN_MEM_MMAP;
		else if (!strcmp(n, "munmap"))
			t[i].mem = TN_MEM_MUNMAP;
		else if (!strcmp(n, "mremap"))
			t[i].mem = TN_MEM_MREMAP;
		else if (!strcmp(n, "brk"))
			t[i].mem = TN_MEM_BRK;
		if (!strcmp(n, "fork"))
			t[i].spawn = TN_SPAWN_FORK;
		else if (!strcmp(n, "vfork"))
			t[i].spawn = TN_SPAWN_VFORK;
		else if (!strcmp(n, "clone"))
			t[i].spawn = TN_SPAWN_CLONE;
		else if (!strcmp(n, "clone3"))
			t[i].spawn = TN_SPAWN_CLONE3;
		t[i].exec = !strcmp(n, "execve") || !strcmp(n, "execveat");
	}
	/* x86's old mmap takes one pointer to a struct: no length to count. */
	if (a == TN_ARCH_X86) {
		int nr = seccomp_syscall_resolve_name_arch(scmp, "mmap");
		if (nr >= 0 && nr < (int)TN_NR_MAX)
			t[nr].mem = TN_MEM_NONE;
	}
	tables[a] = t;
}

const struct tn_sysent *tn_sysent(enum tn_arch a, uint32_t nr)
{
	static const struct tn_sysent none = { .nargs = 6 };
	uint32_t i;

	if (a < 0 || a >= TN_ARCH_COUNT)
		return &none;
	i = slot(a, nr);
	if (i >= TN_NR_MAX)
		return &none;
	if (!tables[a])
		build(a);
	return tables[a] ? &tables[a][i] : &none;
}

int tn_sys_lookup(enum tn_arch a, const char *name)
{
	for (uint32_t i = 0; i < TN_NR_MAX; i++) {
		const struct tn_sysent *e = tn_sysent(a, a == TN_ARCH_X32 ? (i | X32_BIT) : i);
		if (e->name && !strcmp(e->name, name))
			return (int)(a == TN_ARCH_X32 ? (i | X32_BIT) : i);
	}
	return -1;
}

uint16_t tn_sys_class(const char *name)
{
	static const struct { const char *name; uint16_t bits; } cls[] = {
		{"file", F}, {"process", P}, {"network", N}, {"net", N},
		{"signal", S}, {"ipc", I}, {"desc", D}, {"memory", M},
		{"creds", C}, {"stat", ST}, {"lstat", LST}, {"fstat", FST},
		{"%stat", ST | LST | FST}, {"statfs", SF}, {"fstatfs", FSF},
		{"%statfs", SF | FSF}, {"clock", CL}, {"pure", PU},
	};

	for (size_t i = 0; i < sizeof(cls) / sizeof(cls[0]); i++)
		if (!strcmp(cls[i].name, name))
			return cls[i].bits;
	return 0;
}

const char *tn_errno_name(int err)
{
	/* Kernel-internal codes a tracer sees but user space never does. */
	static const char *const internal[] = {
		[512 - 512] = "ERESTARTSYS", [513 - 512] = "ERESTARTNOINTR",
		[514 - 512] = "ERESTARTNOHAND", [515 - 512] = "ENOIOCTLCMD",
		[516 - 512] = "ERESTART_RESTARTBLOCK", [517 - 512] = "EPROBE_DEFER",
		[518 - 512] = "EOPENSTALE", [519 - 512] = "ENOPARAM",
		[521 - 512] = "EBADHANDLE", [522 - 512] = "ENOTSYNC",
		[523 - 512] = "EBADCOOKIE", [524 - 512] = "ENOTSUPP",
		[525 - 512] = "ETOOSMALL", [526 - 512] = "ESERVERFAULT",
		[527 - 512] = "EBADTYPE", [528 - 512] = "EJUKEBOX",
		[529 - 512] = "EIOCBQUEUED", [530 - 512] = "ERECALLCONFLICT",
		[531 - 512] = "ENOGRACE",
	};

	if (err >= 512 && err < 512 + (int)(sizeof(internal) / sizeof(internal[0])))
		return internal[err - 512];
	if (err <= 0)
		return NULL;
	return strerrorname_np(err);
}

const char *tn_signal_name(int sig, char *buf, unsigned size)
{
	const char *a = sig > 0 && sig < 32 ? sigabbrev_np(sig) : NULL;

	if (a)
		snprintf(buf, size, "SIG%s", a);
	else if (sig == 32)
		snprintf(buf, size, "SIGRTMIN");
	else if (sig > 32 && sig <= 64)
		snprintf(buf, size, "SIGRTMIN+%d", sig - 32);
	else
		snprintf(buf, size, "SIG%d", sig);
	return buf;
}

void tn_sys_cleanup(void)
{
	for (int a = 0; a < TN_ARCH_COUNT; a++) {
		if (!tables[a])
			continue;
		for (uint32_t i = 0; i < TN_NR_MAX; i++)
			free((char *)tables[a][i].name);
		free(tables[a]);
		tables[a] = NULL;
	}
}
