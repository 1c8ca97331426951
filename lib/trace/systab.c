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

#include "io.h"

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

/* The descriptor, memory, spawn and flag columns. */
#define FD0 TN_FD_ARG0
#define FDN TN_FD_NEW
#define FDC TN_FD_CLOSE
#define FD1 TN_FD_TO1
#define FDM TN_FD_MANY
#define MMAP TN_MEM_MMAP
#define MUNMAP TN_MEM_MUNMAP
#define MREMAP TN_MEM_MREMAP
#define BRK TN_MEM_BRK
#define FORK TN_SPAWN_FORK
#define VFORK TN_SPAWN_VFORK
#define CLONE TN_SPAWN_CLONE
#define CLONE3 TN_SPAWN_CLONE3
#define EXEC TN_SYS_EXEC
#define FDUP TN_SYS_FCNTL_DUP
#define SOCKCALL TN_SYS_SOCKETCALL
#define IPCCALL TN_SYS_IPC

/* One row: what tn-trace knows about a call, in columns (as strace's
 * syscallent.h rows with their sysent.h flags). */
struct sysdef {
	const char *name;
	uint8_t nargs;
	uint8_t paths;
	uint16_t classes;
	uint8_t fd;             /* enum tn_fd_kind */
	uint8_t mem;            /* enum tn_mem_kind */
	uint8_t spawn;          /* enum tn_spawn_kind */
	uint8_t flags;          /* TN_SYS_* */
};

/*
 * Every syscall tn-trace knows something about, by name, for all
 * architectures at once (a name missing on an architecture is skipped):
 * name, arguments, file-name arguments, classes, then (0: none)
 * how it uses descriptors, how it changes the mapped memory, how it makes
 * a process, and its TN_SYS_* flags.  Calls not listed still get their
 * name from libseccomp, six arguments and no class.
 */
static const struct sysdef defs[] = {
	{"read", 3, 0, D, FD0, 0, 0, 0}, {"write", 3, 0, D, FD0, 0, 0, 0},
	{"open", 3, P0, F | D, FDN, 0, 0, 0},
	{"close", 1, 0, D, FDC, 0, 0, 0}, {"close_range", 3, 0, D, FDM, 0, 0, 0},
	{"stat", 2, P0, F | ST, 0, 0, 0, 0}, {"fstat", 2, 0, D | FST, FD0, 0, 0, 0},
	{"lstat", 2, P0, F | LST, 0, 0, 0, 0},
	{"stat64", 2, P0, F | ST, 0, 0, 0, 0}, {"fstat64", 2, 0, D | FST, FD0, 0, 0, 0},
	{"lstat64", 2, P0, F | LST, 0, 0, 0, 0},
	{"oldstat", 2, P0, F | ST, 0, 0, 0, 0}, {"oldfstat", 2, 0, D | FST, 0, 0, 0, 0},
	{"oldlstat", 2, P0, F | LST, 0, 0, 0, 0},
	{"newfstatat", 4, P1, D | F | ST, FD0, 0, 0, 0},
	{"fstatat64", 4, P1, D | F | ST, FD0, 0, 0, 0},
	{"statx", 5, P1, D | F | ST, FD0, 0, 0, 0},
	{"statfs", 2, P0, F | SF, 0, 0, 0, 0}, {"statfs64", 3, P0, F | SF, 0, 0, 0, 0},
	{"fstatfs", 2, 0, D | FSF, FD0, 0, 0, 0},
	{"fstatfs64", 3, 0, D | FSF, FD0, 0, 0, 0},
	{"ustat", 2, 0, 0, 0, 0, 0, 0},
	{"poll", 3, 0, D, 0, 0, 0, 0}, {"ppoll", 5, 0, D, 0, 0, 0, 0},
	{"ppoll_time64", 5, 0, D, 0, 0, 0, 0},
	{"select", 5, 0, D, 0, 0, 0, 0}, {"_newselect", 5, 0, D, 0, 0, 0, 0},
	{"pselect6", 6, 0, D, 0, 0, 0, 0},
	{"pselect6_time64", 6, 0, D, 0, 0, 0, 0},
	{"lseek", 3, 0, D, FD0, 0, 0, 0}, {"_llseek", 5, 0, D, FD0, 0, 0, 0},
	{"mmap", 6, 0, D | M, 0, MMAP, 0, 0}, {"mmap2", 6, 0, D | M, 0, MMAP, 0, 0},
	{"mprotect", 3, 0, M, 0, 0, 0, 0},
	{"munmap", 2, 0, M, 0, MUNMAP, 0, 0}, {"brk", 1, 0, M, 0, BRK, 0, 0},
	{"mremap", 5, 0, M, 0, MREMAP, 0, 0}, {"msync", 3, 0, M, 0, 0, 0, 0},
	{"mincore", 3, 0, M, 0, 0, 0, 0}, {"madvise", 3, 0, M, 0, 0, 0, 0},
	{"mlock", 2, 0, M, 0, 0, 0, 0},
	{"mlock2", 3, 0, M, 0, 0, 0, 0},
	{"munlock", 2, 0, M, 0, 0, 0, 0}, {"mlockall", 1, 0, M, 0, 0, 0, 0},
	{"munlockall", 0, 0, M, 0, 0, 0, 0},
	{"remap_file_pages", 5, 0, M, 0, 0, 0, 0}, {"mbind", 6, 0, M, 0, 0, 0, 0},
	{"get_mempolicy", 5, 0, M, 0, 0, 0, 0},
	{"set_mempolicy", 3, 0, M, 0, 0, 0, 0}, {"migrate_pages", 4, 0, M, 0, 0, 0, 0},
	{"move_pages", 6, 0, M, 0, 0, 0, 0},
	{"pkey_mprotect", 4, 0, M, 0, 0, 0, 0}, {"pkey_alloc", 2, 0, 0, 0, 0, 0, 0},
	{"pkey_free", 1, 0, 0, 0, 0, 0, 0},
	{"process_madvise", 5, 0, D, 0, 0, 0, 0}, {"process_mrelease", 2, 0, D, 0, 0, 0, 0},
	{"mseal", 3, 0, M, 0, 0, 0, 0},
	{"map_shadow_stack", 3, 0, M, 0, 0, 0, 0},
	{"rt_sigaction", 4, 0, S, 0, 0, 0, 0}, {"sigaction", 3, 0, S, 0, 0, 0, 0},
	{"signal", 2, 0, S, 0, 0, 0, 0},
	{"rt_sigprocmask", 4, 0, S, 0, 0, 0, 0}, {"sigprocmask", 3, 0, S, 0, 0, 0, 0},
	{"rt_sigreturn", 0, 0, S, 0, 0, 0, 0}, {"sigreturn", 0, 0, S, 0, 0, 0, 0},
	{"rt_sigsuspend", 2, 0, S, 0, 0, 0, 0}, {"sigsuspend", 3, 0, S, 0, 0, 0, 0},
	{"rt_sigpending", 2, 0, S, 0, 0, 0, 0}, {"sigpending", 1, 0, S, 0, 0, 0, 0},
	{"rt_sigtimedwait", 4, 0, S, 0, 0, 0, 0},
	{"rt_sigtimedwait_time64", 4, 0, S, 0, 0, 0, 0},
	{"rt_sigqueueinfo", 3, 0, P | S, 0, 0, 0, 0},
	{"rt_tgsigqueueinfo", 4, 0, P | S, 0, 0, 0, 0},
	{"sigaltstack", 2, 0, S, 0, 0, 0, 0}, {"signalfd", 3, 0, D | S, FDN, 0, 0, 0},
	{"signalfd4", 4, 0, D | S, FDN, 0, 0, 0},
	{"sgetmask", 0, 0, S, 0, 0, 0, 0}, {"ssetmask", 1, 0, S, 0, 0, 0, 0},
	{"pause", 0, 0, S, 0, 0, 0, 0},
	{"kill", 2, 0, P | S, 0, 0, 0, 0}, {"tkill", 2, 0, P | S, 0, 0, 0, 0},
	{"tgkill", 3, 0, P | S, 0, 0, 0, 0},
	{"pidfd_send_signal", 4, 0, D | P | S, 0, 0, 0, 0},
	{"ioctl", 3, 0, D, FD0, 0, 0, 0}, {"pread64", 4, 0, D, FD0, 0, 0, 0},
	{"pwrite64", 4, 0, D, FD0, 0, 0, 0},
	{"readv", 3, 0, D, FD0, 0, 0, 0}, {"writev", 3, 0, D, FD0, 0, 0, 0},
	{"preadv", 5, 0, D, FD0, 0, 0, 0},
	{"pwritev", 5, 0, D, FD0, 0, 0, 0},
	{"preadv2", 6, 0, D, FD0, 0, 0, 0}, {"pwritev2", 6, 0, D, FD0, 0, 0, 0},
	{"access", 2, P0, F, 0, 0, 0, 0}, {"faccessat", 3, P1, D | F, FD0, 0, 0, 0},
	{"faccessat2", 4, P1, D | F, FD0, 0, 0, 0},
	{"pipe", 1, 0, D, FDM, 0, 0, 0}, {"pipe2", 2, 0, D, FDM, 0, 0, 0},
	{"sched_yield", 0, 0, 0, 0, 0, 0, 0},
	{"dup", 1, 0, D, FDN, 0, 0, 0}, {"dup2", 2, 0, D, FD1, 0, 0, 0},
	{"dup3", 3, 0, D, FD1, 0, 0, 0},
	{"nanosleep", 2, 0, 0, 0, 0, 0, 0}, {"clock_nanosleep", 4, 0, CL, 0, 0, 0, 0},
	{"clock_nanosleep_time64", 4, 0, CL, 0, 0, 0, 0},
	{"getitimer", 2, 0, 0, 0, 0, 0, 0}, {"setitimer", 3, 0, 0, 0, 0, 0, 0},
	{"alarm", 1, 0, 0, 0, 0, 0, 0},
	{"getpid", 0, 0, PU, 0, 0, 0, 0}, {"getppid", 0, 0, PU, 0, 0, 0, 0},
	{"gettid", 0, 0, PU, 0, 0, 0, 0},
	{"getpgrp", 0, 0, PU, 0, 0, 0, 0}, {"getuid", 0, 0, C | PU, 0, 0, 0, 0},
	{"geteuid", 0, 0, C | PU, 0, 0, 0, 0},
	{"getgid", 0, 0, C | PU, 0, 0, 0, 0}, {"getegid", 0, 0, C | PU, 0, 0, 0, 0},
	{"getuid32", 0, 0, C | PU, 0, 0, 0, 0}, {"geteuid32", 0, 0, C | PU, 0, 0, 0, 0},
	{"getgid32", 0, 0, C | PU, 0, 0, 0, 0}, {"getegid32", 0, 0, C | PU, 0, 0, 0, 0},
	{"sendfile", 4, 0, D | N, FD0, 0, 0, 0}, {"sendfile64", 4, 0, D | N, FD0, 0, 0, 0},
	{"socket", 3, 0, N, FDN, 0, 0, 0}, {"connect", 3, 0, D | N, FD0, 0, 0, 0},
	{"accept", 3, 0, D | N, FDN, 0, 0, 0},
	{"accept4", 4, 0, D | N, FDN, 0, 0, 0}, {"sendto", 6, 0, D | N, FD0, 0, 0, 0},
	{"recvfrom", 6, 0, D | N, FD0, 0, 0, 0},
	{"send", 4, 0, D | N, 0, 0, 0, 0}, {"recv", 4, 0, D | N, 0, 0, 0, 0},
	{"sendmsg", 3, 0, D | N, FD0, 0, 0, 0}, {"recvmsg", 3, 0, D | N, FDM, 0, 0, 0},
	{"sendmmsg", 4, 0, D | N, FD0, 0, 0, 0},
	{"recvmmsg", 5, 0, D | N, FDM, 0, 0, 0},
	{"recvmmsg_time64", 5, 0, D | N, 0, 0, 0, 0},
	{"shutdown", 2, 0, D | N, FD0, 0, 0, 0}, {"bind", 3, 0, D | N, FD0, 0, 0, 0},
	{"listen", 2, 0, D | N, FD0, 0, 0, 0},
	{"getsockname", 3, 0, D | N, FD0, 0, 0, 0},
	{"getpeername", 3, 0, D | N, FD0, 0, 0, 0},
	{"socketpair", 4, 0, N, FDM, 0, 0, 0}, {"setsockopt", 5, 0, D | N, FD0, 0, 0, 0},
	{"getsockopt", 5, 0, D | N, FD0, 0, 0, 0},
	{"socketcall", 2, 0, D | N, FDM, 0, 0, SOCKCALL},
	{"clone", 5, 0, P, 0, 0, CLONE, 0}, {"clone3", 2, 0, P, 0, 0, CLONE3, 0},
	{"fork", 0, 0, P, 0, 0, FORK, 0}, {"vfork", 0, 0, P, 0, 0, VFORK, 0},
	{"execve", 3, P0, F | P, FDM, 0, 0, EXEC},
	{"execveat", 5, P1, D | F | P, FDM, 0, 0, EXEC},
	{"exit", 1, 0, P, 0, 0, 0, 0}, {"exit_group", 1, 0, P, 0, 0, 0, 0},
	{"wait4", 4, 0, P, 0, 0, 0, 0}, {"waitpid", 3, 0, P, 0, 0, 0, 0},
	{"waitid", 5, 0, P, 0, 0, 0, 0},
	{"uname", 1, 0, 0, 0, 0, 0, 0}, {"olduname", 1, 0, 0, 0, 0, 0, 0},
	{"oldolduname", 1, 0, 0, 0, 0, 0, 0},
	{"semget", 3, 0, I, 0, 0, 0, 0}, {"semop", 3, 0, I, 0, 0, 0, 0},
	{"semctl", 4, 0, I, 0, 0, 0, 0},
	{"semtimedop", 4, 0, I, 0, 0, 0, 0}, {"semtimedop_time64", 4, 0, I, 0, 0, 0, 0},
	{"shmget", 3, 0, I, 0, 0, 0, 0}, {"shmat", 3, 0, I | M, 0, 0, 0, 0},
	{"shmdt", 1, 0, I | M, 0, 0, 0, 0},
	{"shmctl", 3, 0, I, 0, 0, 0, 0}, {"msgget", 2, 0, I, 0, 0, 0, 0},
	{"msgsnd", 4, 0, I, 0, 0, 0, 0},
	{"msgrcv", 5, 0, I, 0, 0, 0, 0}, {"msgctl", 3, 0, I, 0, 0, 0, 0},
	{"ipc", 6, 0, I, 0, 0, 0, IPCCALL},
	{"fcntl", 3, 0, D, FD0, 0, 0, FDUP}, {"fcntl64", 3, 0, D, FD0, 0, 0, FDUP},
	{"flock", 2, 0, D, FD0, 0, 0, 0},
	{"fsync", 1, 0, D, FD0, 0, 0, 0}, {"fdatasync", 1, 0, D, FD0, 0, 0, 0},
	{"sync", 0, 0, 0, 0, 0, 0, 0},
	{"syncfs", 1, 0, D, FD0, 0, 0, 0},
	{"sync_file_range", 4, 0, D, FD0, 0, 0, 0},
	{"truncate", 2, P0, F, 0, 0, 0, 0}, {"truncate64", 3, P0, F, 0, 0, 0, 0},
	{"ftruncate", 2, 0, D, FD0, 0, 0, 0}, {"ftruncate64", 3, 0, D, FD0, 0, 0, 0},
	{"getdents", 3, 0, D, FD0, 0, 0, 0}, {"getdents64", 3, 0, D, FD0, 0, 0, 0},
	{"readdir", 3, 0, D, 0, 0, 0, 0},
	{"getcwd", 2, 0, F, 0, 0, 0, 0}, {"chdir", 1, P0, F, 0, 0, 0, 0},
	{"fchdir", 1, 0, D, FD0, 0, 0, 0},
	{"rename", 2, P0 | P1, F, 0, 0, 0, 0}, {"renameat", 4, P1 | P3, D | F, 0, 0, 0, 0},
	{"renameat2", 5, P1 | P3, D | F, 0, 0, 0, 0},
	{"mkdir", 2, P0, F, 0, 0, 0, 0}, {"mkdirat", 3, P1, D | F, FD0, 0, 0, 0},
	{"rmdir", 1, P0, F, 0, 0, 0, 0},
	{"creat", 2, P0, D | F, FDN, 0, 0, 0}, {"link", 2, P0 | P1, F, 0, 0, 0, 0},
	{"linkat", 5, P1 | P3, D | F, 0, 0, 0, 0},
	{"unlink", 1, P0, F, 0, 0, 0, 0}, {"unlinkat", 3, P1, D | F, FD0, 0, 0, 0},
	{"symlink", 2, P0 | P1, F, 0, 0, 0, 0},
	{"symlinkat", 3, P0 | P2, D | F, 0, 0, 0, 0},
	{"readlink", 3, P0, F, 0, 0, 0, 0}, {"readlinkat", 4, P1, D | F, FD0, 0, 0, 0},
	{"chmod", 2, P0, F, 0, 0, 0, 0}, {"fchmod", 2, 0, D, FD0, 0, 0, 0},
	{"fchmodat", 3, P1, D | F, FD0, 0, 0, 0},
	{"fchmodat2", 4, P1, D | F, 0, 0, 0, 0},
	{"chown", 3, P0, F, 0, 0, 0, 0}, {"fchown", 3, 0, D, FD0, 0, 0, 0},
	{"lchown", 3, P0, F, 0, 0, 0, 0},
	{"chown32", 3, P0, F, 0, 0, 0, 0}, {"fchown32", 3, 0, D, FD0, 0, 0, 0},
	{"lchown32", 3, P0, F, 0, 0, 0, 0},
	{"fchownat", 5, P1, D | F, FD0, 0, 0, 0}, {"umask", 1, 0, 0, 0, 0, 0, 0},
	{"gettimeofday", 2, 0, CL, 0, 0, 0, 0}, {"settimeofday", 2, 0, CL, 0, 0, 0, 0},
	{"time", 1, 0, CL, 0, 0, 0, 0},
	{"stime", 1, 0, CL, 0, 0, 0, 0}, {"adjtimex", 1, 0, CL, 0, 0, 0, 0},
	{"clock_gettime", 2, 0, CL, 0, 0, 0, 0}, {"clock_settime", 2, 0, CL, 0, 0, 0, 0},
	{"clock_getres", 2, 0, CL, 0, 0, 0, 0}, {"clock_adjtime", 2, 0, CL, 0, 0, 0, 0},
	{"clock_gettime64", 2, 0, CL, 0, 0, 0, 0},
	{"clock_settime64", 2, 0, CL, 0, 0, 0, 0},
	{"clock_getres_time64", 2, 0, CL, 0, 0, 0, 0},
	{"clock_adjtime64", 2, 0, CL, 0, 0, 0, 0},
	{"getrlimit", 2, 0, 0, 0, 0, 0, 0}, {"setrlimit", 2, 0, 0, 0, 0, 0, 0},
	{"ugetrlimit", 2, 0, 0, 0, 0, 0, 0},
	{"prlimit64", 4, 0, 0, 0, 0, 0, 0}, {"getrusage", 2, 0, 0, 0, 0, 0, 0},
	{"sysinfo", 1, 0, 0, 0, 0, 0, 0},
	{"times", 1, 0, 0, 0, 0, 0, 0}, {"ptrace", 4, 0, 0, 0, 0, 0, 0},
	{"syslog", 3, 0, 0, 0, 0, 0, 0},
	{"setuid", 1, 0, C, 0, 0, 0, 0}, {"setgid", 1, 0, C, 0, 0, 0, 0},
	{"setuid32", 1, 0, C, 0, 0, 0, 0},
	{"setgid32", 1, 0, C, 0, 0, 0, 0},
	{"setpgid", 2, 0, 0, 0, 0, 0, 0}, {"setsid", 0, 0, 0, 0, 0, 0, 0},
	{"getpgid", 1, 0, 0, 0, 0, 0, 0},
	{"getsid", 1, 0, 0, 0, 0, 0, 0},
	{"setreuid", 2, 0, C, 0, 0, 0, 0}, {"setregid", 2, 0, C, 0, 0, 0, 0},
	{"setreuid32", 2, 0, C, 0, 0, 0, 0},
	{"setregid32", 2, 0, C, 0, 0, 0, 0}, {"getgroups", 2, 0, C, 0, 0, 0, 0},
	{"setgroups", 2, 0, C, 0, 0, 0, 0},
	{"getgroups32", 2, 0, C, 0, 0, 0, 0}, {"setgroups32", 2, 0, C, 0, 0, 0, 0},
	{"setresuid", 3, 0, C, 0, 0, 0, 0}, {"getresuid", 3, 0, C, 0, 0, 0, 0},
	{"setresgid", 3, 0, C, 0, 0, 0, 0},
	{"getresgid", 3, 0, C, 0, 0, 0, 0}, {"setresuid32", 3, 0, C, 0, 0, 0, 0},
	{"getresuid32", 3, 0, C, 0, 0, 0, 0},
	{"setresgid32", 3, 0, C, 0, 0, 0, 0}, {"getresgid32", 3, 0, C, 0, 0, 0, 0},
	{"setfsuid", 1, 0, C, 0, 0, 0, 0}, {"setfsgid", 1, 0, C, 0, 0, 0, 0},
	{"setfsuid32", 1, 0, C, 0, 0, 0, 0},
	{"setfsgid32", 1, 0, C, 0, 0, 0, 0}, {"capget", 2, 0, C, 0, 0, 0, 0},
	{"capset", 2, 0, C, 0, 0, 0, 0},
	{"personality", 1, 0, 0, 0, 0, 0, 0}, {"utime", 2, P0, F, 0, 0, 0, 0},
	{"utimes", 2, P0, F, 0, 0, 0, 0},
	{"futimesat", 3, P1, D | F, 0, 0, 0, 0}, {"utimensat", 4, P1, D | F, FD0, 0, 0, 0},
	{"utimensat_time64", 4, P1, D | F, 0, 0, 0, 0},
	{"mknod", 3, P0, F, 0, 0, 0, 0}, {"mknodat", 4, P1, D | F, 0, 0, 0, 0},
	{"uselib", 1, P0, F, 0, 0, 0, 0},
	{"sysfs", 3, 0, 0, 0, 0, 0, 0}, {"getpriority", 2, 0, 0, 0, 0, 0, 0},
	{"setpriority", 3, 0, 0, 0, 0, 0, 0},
	{"sched_setparam", 2, 0, 0, 0, 0, 0, 0}, {"sched_getparam", 2, 0, 0, 0, 0, 0, 0},
	{"sched_setscheduler", 3, 0, 0, 0, 0, 0, 0},
	{"sched_getscheduler", 1, 0, 0, 0, 0, 0, 0},
	{"sched_get_priority_max", 1, 0, 0, 0, 0, 0, 0},
	{"sched_get_priority_min", 1, 0, 0, 0, 0, 0, 0},
	{"sched_rr_get_interval", 2, 0, 0, 0, 0, 0, 0},
	{"sched_setaffinity", 3, 0, 0, 0, 0, 0, 0},
	{"sched_getaffinity", 3, 0, 0, 0, 0, 0, 0}, {"sched_setattr", 3, 0, 0, 0, 0, 0, 0},
	{"sched_getattr", 4, 0, 0, 0, 0, 0, 0}, {"vhangup", 0, 0, 0, 0, 0, 0, 0},
	{"modify_ldt", 3, 0, 0, 0, 0, 0, 0},
	{"pivot_root", 2, P0 | P1, F, 0, 0, 0, 0}, {"prctl", 5, 0, 0, 0, 0, 0, 0},
	{"arch_prctl", 2, 0, 0, 0, 0, 0, 0},
	{"chroot", 1, P0, F, 0, 0, 0, 0}, {"acct", 1, P0, F, 0, 0, 0, 0},
	{"mount", 5, P0 | P1, F, 0, 0, 0, 0},
	{"umount2", 2, P0, F, 0, 0, 0, 0}, {"umount", 1, P0, F, 0, 0, 0, 0},
	{"swapon", 2, P0, F, 0, 0, 0, 0},
	{"swapoff", 1, P0, F, 0, 0, 0, 0}, {"reboot", 4, 0, 0, 0, 0, 0, 0},
	{"sethostname", 2, 0, 0, 0, 0, 0, 0},
	{"setdomainname", 2, 0, 0, 0, 0, 0, 0}, {"iopl", 1, 0, 0, 0, 0, 0, 0},
	{"ioperm", 3, 0, 0, 0, 0, 0, 0},
	{"init_module", 3, 0, 0, 0, 0, 0, 0}, {"finit_module", 3, 0, D, 0, 0, 0, 0},
	{"delete_module", 2, 0, 0, 0, 0, 0, 0},
	{"quotactl", 4, P1, F, 0, 0, 0, 0}, {"quotactl_fd", 4, 0, D, 0, 0, 0, 0},
	{"readahead", 3, 0, D, FD0, 0, 0, 0}, {"setxattr", 5, P0, F, 0, 0, 0, 0},
	{"lsetxattr", 5, P0, F, 0, 0, 0, 0},
	{"fsetxattr", 5, 0, D, FD0, 0, 0, 0}, {"getxattr", 4, P0, F, 0, 0, 0, 0},
	{"lgetxattr", 4, P0, F, 0, 0, 0, 0},
	{"fgetxattr", 4, 0, D, FD0, 0, 0, 0}, {"listxattr", 3, P0, F, 0, 0, 0, 0},
	{"llistxattr", 3, P0, F, 0, 0, 0, 0},
	{"flistxattr", 3, 0, D, FD0, 0, 0, 0}, {"removexattr", 2, P0, F, 0, 0, 0, 0},
	{"lremovexattr", 2, P0, F, 0, 0, 0, 0},
	{"fremovexattr", 2, 0, D, FD0, 0, 0, 0}, {"setxattrat", 6, P1, D | F, 0, 0, 0, 0},
	{"getxattrat", 6, P1, D | F, 0, 0, 0, 0}, {"listxattrat", 5, P1, D | F, 0, 0, 0, 0},
	{"removexattrat", 4, P1, D | F, 0, 0, 0, 0},
	{"futex", 6, 0, 0, 0, 0, 0, 0}, {"futex_time64", 6, 0, 0, 0, 0, 0, 0},
	{"futex_waitv", 5, 0, 0, 0, 0, 0, 0},
	{"futex_wake", 4, 0, 0, 0, 0, 0, 0}, {"futex_wait", 6, 0, 0, 0, 0, 0, 0},
	{"futex_requeue", 4, 0, 0, 0, 0, 0, 0},
	{"set_thread_area", 1, 0, 0, 0, 0, 0, 0}, {"get_thread_area", 1, 0, 0, 0, 0, 0, 0},
	{"io_setup", 2, 0, M, 0, 0, 0, 0}, {"io_destroy", 1, 0, M, 0, 0, 0, 0},
	{"io_getevents", 5, 0, 0, 0, 0, 0, 0},
	{"io_submit", 3, 0, 0, 0, 0, 0, 0}, {"io_cancel", 3, 0, 0, 0, 0, 0, 0},
	{"io_pgetevents", 6, 0, 0, 0, 0, 0, 0},
	{"io_uring_setup", 2, 0, D, FDN, 0, 0, 0},
	{"io_uring_enter", 6, 0, D, FDM, 0, 0, 0},
	{"io_uring_register", 4, 0, D, FDM, 0, 0, 0},
	{"lookup_dcookie", 3, 0, 0, 0, 0, 0, 0}, {"epoll_create", 1, 0, D, FDN, 0, 0, 0},
	{"epoll_create1", 1, 0, D, FDN, 0, 0, 0},
	{"epoll_ctl", 4, 0, D, FD0, 0, 0, 0}, {"epoll_wait", 4, 0, D, FD0, 0, 0, 0},
	{"epoll_pwait", 6, 0, D, FD0, 0, 0, 0},
	{"epoll_pwait2", 6, 0, D, FD0, 0, 0, 0}, {"set_tid_address", 1, 0, 0, 0, 0, 0, 0},
	{"restart_syscall", 0, 0, 0, 0, 0, 0, 0}, {"fadvise64", 4, 0, D, FD0, 0, 0, 0},
	{"fadvise64_64", 4, 0, D, 0, 0, 0, 0},
	{"timer_create", 3, 0, 0, 0, 0, 0, 0}, {"timer_settime", 4, 0, 0, 0, 0, 0, 0},
	{"timer_gettime", 2, 0, 0, 0, 0, 0, 0},
	{"timer_getoverrun", 1, 0, 0, 0, 0, 0, 0}, {"timer_delete", 1, 0, 0, 0, 0, 0, 0},
	{"mq_open", 4, 0, D, FDN, 0, 0, 0}, {"mq_unlink", 1, 0, 0, 0, 0, 0, 0},
	{"mq_timedsend", 5, 0, D, 0, 0, 0, 0},
	{"mq_timedreceive", 5, 0, D, 0, 0, 0, 0}, {"mq_notify", 2, 0, D, 0, 0, 0, 0},
	{"mq_getsetattr", 3, 0, D, 0, 0, 0, 0},
	{"kexec_load", 4, 0, 0, 0, 0, 0, 0}, {"kexec_file_load", 5, 0, D, 0, 0, 0, 0},
	{"add_key", 5, 0, 0, 0, 0, 0, 0},
	{"request_key", 4, 0, 0, 0, 0, 0, 0}, {"keyctl", 5, 0, 0, 0, 0, 0, 0},
	{"ioprio_set", 3, 0, 0, 0, 0, 0, 0},
	{"ioprio_get", 2, 0, 0, 0, 0, 0, 0}, {"inotify_init", 0, 0, D, FDN, 0, 0, 0},
	{"inotify_init1", 1, 0, D, FDN, 0, 0, 0},
	{"inotify_add_watch", 3, P1, D | F, FD0, 0, 0, 0},
	{"inotify_rm_watch", 2, 0, D, FD0, 0, 0, 0},
	{"openat", 4, P1, D | F, FDN, 0, 0, 0}, {"openat2", 4, P1, D | F, FDN, 0, 0, 0},
	{"unshare", 1, 0, 0, 0, 0, 0, 0},
	{"set_robust_list", 2, 0, 0, 0, 0, 0, 0}, {"get_robust_list", 3, 0, 0, 0, 0, 0, 0},
	{"splice", 6, 0, D, FD0, 0, 0, 0}, {"tee", 4, 0, D, FD0, 0, 0, 0},
	{"vmsplice", 4, 0, D, 0, 0, 0, 0},
	{"timerfd_create", 2, 0, D, FDN, 0, 0, 0},
	{"timerfd_settime", 4, 0, D, FD0, 0, 0, 0},
	{"timerfd_gettime", 2, 0, D, FD0, 0, 0, 0}, {"eventfd", 1, 0, D, FDN, 0, 0, 0},
	{"eventfd2", 2, 0, D, FDN, 0, 0, 0},
	{"fallocate", 4, 0, D, FD0, 0, 0, 0}, {"perf_event_open", 5, 0, D, FDN, 0, 0, 0},
	{"fanotify_init", 2, 0, D, FDN, 0, 0, 0},
	{"fanotify_mark", 5, P4, D | F, 0, 0, 0, 0},
	{"name_to_handle_at", 5, P1, D | F, 0, 0, 0, 0},
	{"open_by_handle_at", 3, 0, D, FDN, 0, 0, 0},
	{"setns", 2, 0, D, 0, 0, 0, 0}, {"getcpu", 3, 0, 0, 0, 0, 0, 0},
	{"process_vm_readv", 6, 0, 0, 0, 0, 0, 0},
	{"process_vm_writev", 6, 0, 0, 0, 0, 0, 0},
	{"kcmp", 5, 0, 0, 0, 0, 0, 0}, {"seccomp", 3, 0, 0, 0, 0, 0, 0},
	{"getrandom", 3, 0, 0, 0, 0, 0, 0},
	{"memfd_create", 2, 0, D, FDN, 0, 0, 0}, {"memfd_secret", 1, 0, D, FDN, 0, 0, 0},
	{"bpf", 3, 0, D, FDN, 0, 0, 0},
	{"userfaultfd", 1, 0, D, FDN, 0, 0, 0}, {"membarrier", 3, 0, M, 0, 0, 0, 0},
	{"copy_file_range", 6, 0, D, FD0, 0, 0, 0},
	{"rseq", 4, 0, 0, 0, 0, 0, 0}, {"pidfd_open", 2, 0, D, FDN, 0, 0, 0},
	{"pidfd_getfd", 3, 0, D, FDN, 0, 0, 0},
	{"open_tree", 3, P1, D | F, FDN, 0, 0, 0},
	{"open_tree_attr", 5, P1, D | F, 0, 0, 0, 0},
	{"move_mount", 5, P1 | P3, D | F, 0, 0, 0, 0},
	{"fsopen", 2, 0, D, FDN, 0, 0, 0}, {"fsconfig", 5, 0, D, 0, 0, 0, 0},
	{"fsmount", 3, 0, D, FDN, 0, 0, 0},
	{"fspick", 3, P1, D | F, FDN, 0, 0, 0}, {"mount_setattr", 5, P1, D | F, 0, 0, 0, 0},
	{"landlock_create_ruleset", 3, 0, D, FDN, 0, 0, 0},
	{"landlock_add_rule", 4, 0, D, 0, 0, 0, 0},
	{"landlock_restrict_self", 2, 0, D, 0, 0, 0, 0}, {"cachestat", 4, 0, D, 0, 0, 0, 0},
	{"statmount", 4, 0, 0, 0, 0, 0, 0}, {"listmount", 4, 0, 0, 0, 0, 0, 0},
	{"lsm_get_self_attr", 4, 0, 0, 0, 0, 0, 0},
	{"lsm_set_self_attr", 4, 0, 0, 0, 0, 0, 0},
	{"lsm_list_modules", 3, 0, 0, 0, 0, 0, 0},
	{"file_getattr", 5, P1, D | F, 0, 0, 0, 0},
	{"file_setattr", 5, P1, D | F, 0, 0, 0, 0},
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
	return (uint32_t)(tn_fnv1a64(TN_FNV1A64_INIT, s, strlen(s)) % HASH_SLOTS);
}

enum tn_arch tn_arch_from_audit(uint32_t audit_arch, uint64_t nr)
{
	if (audit_arch == AUDIT_ARCH_X86_64)
		return (nr & TN_X32_SYSCALL_BIT) && nr != UINT64_MAX ? TN_ARCH_X32 : TN_ARCH_X86_64;
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

uint32_t tn_sys_index(enum tn_arch a, uint64_t nr)
{
	uint64_t i = a == TN_ARCH_X32 ? (nr & ~(uint64_t)TN_X32_SYSCALL_BIT) : nr;

	if (a < 0 || a >= TN_ARCH_COUNT || i >= TN_NR_MAX)
		return TN_NR_MAX;
	return (uint32_t)i;
}

uint64_t tn_sys_nr(enum tn_arch a, uint32_t i)
{
	return a == TN_ARCH_X32 ? (i | TN_X32_SYSCALL_BIT) : i;
}

static void build(enum tn_arch a)
{
	struct tn_sysent *t = calloc(TN_NR_MAX, sizeof(*t));
	uint32_t scmp = arches[a].scmp;

	if (!t)
		return;
	for (uint32_t i = 0; i < TN_NR_MAX; i++) {
		t[i].name = seccomp_syscall_resolve_num_arch(scmp, (int)tn_sys_nr(a, i));
		t[i].nargs = 6;
	}
	if (a == TN_ARCH_X86_64 || a == TN_ARCH_X86 || a == TN_ARCH_AARCH64 ||
	    a == TN_ARCH_X32) {
		for (size_t k = 0; k < sizeof(newer) / sizeof(newer[0]); k++)
			if (!t[newer[k].nr].name)
				t[newer[k].nr].name = strdup(newer[k].name);
	}
	/* Names to numbers through a small hash table, then the rows above. */
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
			const struct sysdef *d = &defs[k];

			for (uint32_t h = hash(d->name); slot_of[h] != 0xffff;
			     h = (h + 1) % HASH_SLOTS) {
				struct tn_sysent *e = &t[slot_of[h]];
				if (strcmp(e->name, d->name) != 0)
					continue;
				e->nargs = d->nargs;
				e->paths = d->paths;
				e->classes = d->classes;
				e->fd = d->fd;
				e->mem = d->mem;
				e->spawn = d->spawn;
				e->flags = d->flags;
				e->exec = (d->flags & TN_SYS_EXEC) != 0;
				break;
			}
		}
	}
	/* x86's old mmap takes one pointer to a struct: no length to count. */
	if (a == TN_ARCH_X86) {
		int nr = seccomp_syscall_resolve_name_arch(scmp, "mmap");
		if (nr >= 0 && nr < (int)TN_NR_MAX)
			t[nr].mem = TN_MEM_NONE;
	}
	tables[a] = t;
}

const struct tn_sysent *tn_sysent(enum tn_arch a, uint64_t nr)
{
	static const struct tn_sysent none = { .nargs = 6 };
	uint32_t i = tn_sys_index(a, nr);

	if (i >= TN_NR_MAX)
		return &none;
	if (!tables[a])
		build(a);
	return tables[a] ? &tables[a][i] : &none;
}

int tn_sys_lookup(enum tn_arch a, const char *name)
{
	for (uint32_t i = 0; i < TN_NR_MAX; i++) {
		const struct tn_sysent *e = tn_sysent(a, tn_sys_nr(a, i));
		if (e->name && !strcmp(e->name, name))
			return (int)tn_sys_nr(a, i);
	}
	return -1;
}

const char *tn_sys_subcall(const struct tn_sysent *s, uint64_t arg0)
{
	/* The selectors of <linux/net.h> (SYS_SOCKET = 1 ...) and of
	 * <linux/ipc.h> (SEMOP = 1 ...; the version in the high 16 bits). */
	static const char *const sock[] = {
		NULL, "socket", "bind", "connect", "listen", "accept", "getsockname",
		"getpeername", "socketpair", "send", "recv", "sendto", "recvfrom",
		"shutdown", "setsockopt", "getsockopt", "sendmsg", "recvmsg", "accept4",
		"recvmmsg", "sendmmsg",
	};
	static const char *const ipc[] = {
		[1] = "semop", [2] = "semget", [3] = "semctl", [4] = "semtimedop",
		[11] = "msgsnd", [12] = "msgrcv", [13] = "msgget", [14] = "msgctl",
		[21] = "shmat", [22] = "shmdt", [23] = "shmget", [24] = "shmctl",
	};

	if (s->flags & TN_SYS_SOCKETCALL)
		return arg0 < sizeof(sock) / sizeof(sock[0]) ? sock[arg0] : NULL;
	if (s->flags & TN_SYS_IPC) {
		arg0 &= 0xffff;
		return arg0 < sizeof(ipc) / sizeof(ipc[0]) ? ipc[arg0] : NULL;
	}
	return NULL;
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
