/* tn-trace's own knowledge of syscalls: argument counts, path arguments,
 * strace-style classes, memory accounting, errno and signal names. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Architectures a traced call can come from (as the kernel reports them). */
enum tn_arch {
	TN_ARCH_X86_64,
	TN_ARCH_X86,            /* a 32-bit call (int 0x80, sysenter, or a 32-bit process) */
	TN_ARCH_X32,
	TN_ARCH_AARCH64,
	TN_ARCH_COUNT,
	TN_ARCH_UNKNOWN = -1,
};

/* Syscall numbers are below this on every architecture handled (x32
 * numbers once their TN_X32_SYSCALL_BIT is taken off). */
#define TN_NR_MAX 1024

/* The bit that marks an x32 call in an x86_64 syscall number (the kernel's
 * __X32_SYSCALL_BIT); -1, "no call", has it too and is not x32. */
#define TN_X32_SYSCALL_BIT 0x40000000u

/* Classes, as strace's -e trace=%CLASS. */
enum {
	TN_CLS_FILE    = 1u << 0,   /* %file: takes a file name */
	TN_CLS_PROCESS = 1u << 1,   /* %process: process life cycle */
	TN_CLS_NETWORK = 1u << 2,   /* %network (%net) */
	TN_CLS_SIGNAL  = 1u << 3,   /* %signal */
	TN_CLS_IPC     = 1u << 4,   /* %ipc: System V IPC */
	TN_CLS_DESC    = 1u << 5,   /* %desc: takes or returns a file descriptor */
	TN_CLS_MEMORY  = 1u << 6,   /* %memory */
	TN_CLS_CREDS   = 1u << 7,   /* %creds: user/group ids and capabilities */
	TN_CLS_STAT    = 1u << 8,   /* %stat */
	TN_CLS_LSTAT   = 1u << 9,   /* %lstat */
	TN_CLS_FSTAT   = 1u << 10,  /* %fstat */
	TN_CLS_STATFS  = 1u << 11,  /* %statfs */
	TN_CLS_FSTATFS = 1u << 12,  /* %fstatfs */
	TN_CLS_CLOCK   = 1u << 13,  /* %clock */
	TN_CLS_PURE    = 1u << 14,  /* %pure: no arguments, never fail */
};

/* How a call changes the mapped bytes of a process (exit records). */
enum tn_mem_kind { TN_MEM_NONE, TN_MEM_MMAP, TN_MEM_MUNMAP, TN_MEM_MREMAP, TN_MEM_BRK };

/* How a call may create a process or thread (proc records). */
enum tn_spawn_kind { TN_SPAWN_NONE, TN_SPAWN_FORK, TN_SPAWN_VFORK, TN_SPAWN_CLONE, TN_SPAWN_CLONE3 };

/* How a call relates to file descriptors (for the "fdpath" annotation). */
enum tn_fd_kind {
	TN_FD_NONE,
	TN_FD_ARG0,             /* its first argument is a descriptor (read, fstat...) */
	TN_FD_NEW,              /* it returns a new descriptor (openat, socket, dup...) */
	TN_FD_CLOSE,            /* it ends the descriptor in its first argument (close) */
	TN_FD_TO1,              /* dup2, dup3: the descriptor in its second argument changes */
	TN_FD_MANY,             /* it may change descriptors it does not return (pipe,
	                           recvmsg, close_range, execve): forget them all */
};

/* Flags of a call (struct tn_sysent.flags). */
enum {
	TN_SYS_EXEC       = 1u << 0,   /* execve, execveat */
	TN_SYS_FCNTL_DUP  = 1u << 1,   /* fcntl: F_DUPFD and F_DUPFD_CLOEXEC return a new descriptor */
	TN_SYS_SOCKETCALL = 1u << 2,   /* socketcall: the socket call in argument 0 */
	TN_SYS_IPC        = 1u << 3,   /* ipc: the System V IPC call in argument 0 */
};

/* What tn-trace knows about one syscall number on one architecture. */
struct tn_sysent {
	const char *name;       /* from libseccomp (or tn-trace's table of newer calls); NULL: none */
	uint16_t classes;       /* TN_CLS_* */
	uint8_t nargs;          /* arguments recorded: the call's count, 6 when not in the table */
	uint8_t paths;          /* bit i: argument i is a file name */
	uint8_t mem;            /* enum tn_mem_kind */
	uint8_t spawn;          /* enum tn_spawn_kind */
	bool exec;              /* execve, execveat (TN_SYS_EXEC) */
	uint8_t fd;             /* enum tn_fd_kind: how the call uses descriptors */
	uint8_t flags;          /* TN_SYS_* */
};

/* The architecture for an AUDIT_ARCH_* value and syscall number (x32 calls
 * come as AUDIT_ARCH_X86_64 with TN_X32_SYSCALL_BIT set in nr; -1 stays
 * x86_64, as strace has it). */
enum tn_arch tn_arch_from_audit(uint32_t audit_arch, uint64_t nr);
/* "x86_64", "x86", "x32", "aarch64"; "unknown" outside the enum. */
const char *tn_arch_name(enum tn_arch a);
/* The libseccomp token of an architecture (0 if none). */
uint32_t tn_arch_scmp(enum tn_arch a);
/* The architecture tn-trace itself runs as. */
enum tn_arch tn_arch_native(void);
/* Whether a is native or one the native kernel runs too (x86 and x32 on x86_64). */
bool tn_arch_supported(enum tn_arch a);

/* The table index (0..TN_NR_MAX-1) of syscall number nr on arch a (an x32
 * number without its TN_X32_SYSCALL_BIT); TN_NR_MAX when nr is outside the
 * table or a is not an architecture. */
uint32_t tn_sys_index(enum tn_arch a, uint64_t nr);
/* The syscall number at table index i on arch a (the inverse). */
uint64_t tn_sys_nr(enum tn_arch a, uint32_t i);

/*
 * The table entry for nr on arch a; never NULL.  Its name is NULL when
 * neither libseccomp nor tn-trace's table of newer calls knows nr there.
 * Built on first use; not thread-safe (tn-trace is single-threaded).
 */
const struct tn_sysent *tn_sysent(enum tn_arch a, uint64_t nr);

/*
 * The name of the call a multiplexer makes: for a call with
 * TN_SYS_SOCKETCALL or TN_SYS_IPC, the socket or System V IPC call that
 * its first argument arg0 selects ("socketpair", "semop"), as strace
 * names it; NULL for any other call or an unknown selector.
 */
const char *tn_sys_subcall(const struct tn_sysent *s, uint64_t arg0);

/* The syscall number of name on arch a, or -1. */
int tn_sys_lookup(enum tn_arch a, const char *name);

/* The class bits named by "file", "process", ... (without '%'); 0 if unknown. */
uint16_t tn_sys_class(const char *name);

/* "ENOENT" for 2 (and the kernel-internal ERESTARTSYS family); NULL if unnamed. */
const char *tn_errno_name(int err);

/* "SIGINT" for 2, "SIGRTMIN+3" for real-time signals; writes into buf. */
const char *tn_signal_name(int sig, char *buf, unsigned size);

/* Free the cached names (for leak checkers). */
void tn_sys_cleanup(void);
