/* Unit tests of lib/trace: the syscall table and classes, -e parsing,
 * errno and signal names, argument formatting, command lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filter.h"
#include "jsonw.h"
#include "ring.h"
#include "systab.h"
#include "tracer.h"

static void test_names_from_libseccomp(void **state)
{
	(void)state;
	assert_string_equal(tn_sysent(TN_ARCH_X86_64, 0)->name, "read");
	assert_string_equal(tn_sysent(TN_ARCH_X86_64, 39)->name, "getpid");
	assert_string_equal(tn_sysent(TN_ARCH_X86_64, 257)->name, "openat");
	/* the 32-bit table: getpid is 20, getppid 64 */
	assert_string_equal(tn_sysent(TN_ARCH_X86, 20)->name, "getpid");
	assert_string_equal(tn_sysent(TN_ARCH_X86, 64)->name, "getppid");
	assert_string_equal(tn_sysent(TN_ARCH_X86, 192)->name, "mmap2");
	/* newer than libseccomp 2.5.4: from tn-trace's own list */
	assert_string_equal(tn_sysent(TN_ARCH_X86_64, 462)->name, "mseal");
	assert_string_equal(tn_sysent(TN_ARCH_X86_64, 452)->name, "fchmodat2");
	/* nothing there */
	assert_null(tn_sysent(TN_ARCH_X86_64, 1000)->name);
	assert_null(tn_sysent(TN_ARCH_UNKNOWN, 1)->name);
	assert_int_equal(tn_sysent(TN_ARCH_X86_64, 5000)->nargs, 6);
	/* every number libseccomp names on x86_64 below 335 has a name */
	for (uint32_t nr = 0; nr < 335; nr++)
		assert_non_null(tn_sysent(TN_ARCH_X86_64, nr)->name);
}

static void test_table(void **state)
{
	const struct tn_sysent *s;

	(void)state;
	s = tn_sysent(TN_ARCH_X86_64, 257);      /* openat(dirfd, path, flags, mode) */
	assert_int_equal(s->nargs, 4);
	assert_int_equal(s->paths, 2);
	assert_true(s->classes & TN_CLS_FILE);
	assert_true(s->classes & TN_CLS_DESC);
	s = tn_sysent(TN_ARCH_X86_64, 316);      /* renameat2: paths 1 and 3 */
	assert_string_equal(s->name, "renameat2");
	assert_int_equal(s->paths, 2 | 8);
	s = tn_sysent(TN_ARCH_X86_64, 39);       /* getpid */
	assert_int_equal(s->nargs, 0);
	assert_true(s->classes & TN_CLS_PURE);
	assert_int_equal(tn_sysent(TN_ARCH_X86_64, 9)->mem, TN_MEM_MMAP);
	assert_int_equal(tn_sysent(TN_ARCH_X86_64, 11)->mem, TN_MEM_MUNMAP);
	assert_int_equal(tn_sysent(TN_ARCH_X86_64, 12)->mem, TN_MEM_BRK);
	assert_int_equal(tn_sysent(TN_ARCH_X86_64, 25)->mem, TN_MEM_MREMAP);
	assert_int_equal(tn_sysent(TN_ARCH_X86, 192)->mem, TN_MEM_MMAP);
	assert_int_equal(tn_sysent(TN_ARCH_X86, 90)->mem, TN_MEM_NONE);  /* old_mmap */
	assert_int_equal(tn_sysent(TN_ARCH_X86_64, 56)->spawn, TN_SPAWN_CLONE);
	assert_int_equal(tn_sysent(TN_ARCH_X86_64, 435)->spawn, TN_SPAWN_CLONE3);
	assert_int_equal(tn_sysent(TN_ARCH_X86_64, 58)->spawn, TN_SPAWN_VFORK);
	assert_true(tn_sysent(TN_ARCH_X86_64, 59)->exec);
	assert_int_equal(tn_sys_lookup(TN_ARCH_X86_64, "write"), 1);
	assert_int_equal(tn_sys_lookup(TN_ARCH_X86, "write"), 4);
	assert_int_equal(tn_sys_lookup(TN_ARCH_X86_64, "mmap2"), -1);
}

static void test_arch(void **state)
{
	(void)state;
	assert_int_equal(tn_arch_from_audit(0xc000003eu, 1), TN_ARCH_X86_64);
	assert_int_equal(tn_arch_from_audit(0xc000003eu, 0x40000001u), TN_ARCH_X32);
	assert_int_equal(tn_arch_from_audit(0x40000003u, 1), TN_ARCH_X86);
	assert_int_equal(tn_arch_from_audit(0x1234u, 1), TN_ARCH_UNKNOWN);
	assert_string_equal(tn_arch_name(TN_ARCH_X86), "x86");
	assert_string_equal(tn_arch_name(TN_ARCH_UNKNOWN), "unknown");
	assert_string_equal(tn_sysent(TN_ARCH_X32, 0x40000000u | 39)->name, "getpid");
}

/* The columns of the table, the x32 bit and -1. */
static void test_columns(void **state)
{
	(void)state;
	assert_int_equal(tn_sysent(TN_ARCH_X86_64, 0)->fd, TN_FD_ARG0);        /* read */
	assert_int_equal(tn_sysent(TN_ARCH_X86_64, 257)->fd, TN_FD_NEW);       /* openat */
	assert_int_equal(tn_sysent(TN_ARCH_X86_64, 33)->fd, TN_FD_TO1);        /* dup2 */
	assert_int_equal(tn_sysent(TN_ARCH_X86_64, 72)->flags, TN_SYS_FCNTL_DUP); /* fcntl */
	assert_int_equal(tn_sysent(TN_ARCH_X86_64, 322)->flags, TN_SYS_EXEC);  /* execveat */
	assert_true(tn_sysent(TN_ARCH_X86_64, 322)->exec);
	assert_int_equal(tn_sysent(TN_ARCH_X86, 102)->flags, TN_SYS_SOCKETCALL);
	assert_int_equal(tn_sysent(TN_ARCH_X86, 117)->flags, TN_SYS_IPC);
	assert_int_equal(tn_sysent(TN_ARCH_X86_64, 39)->flags, 0);             /* getpid */
	/* -1 is no call, not an x32 one, and has no entry */
	assert_int_equal(tn_arch_from_audit(0xc000003eu, UINT64_MAX), TN_ARCH_X86_64);
	assert_int_equal(tn_arch_from_audit(0xc000003eu, UINT64_MAX - 1), TN_ARCH_X32);
	assert_null(tn_sysent(TN_ARCH_X86_64, UINT64_MAX)->name);
	assert_int_equal(tn_sys_index(TN_ARCH_X86_64, UINT64_MAX), TN_NR_MAX);
	assert_int_equal(tn_sys_index(TN_ARCH_X32, TN_X32_SYSCALL_BIT | 39), 39);
	assert_int_equal(tn_sys_index(TN_ARCH_X32, UINT64_MAX - 1), TN_NR_MAX);
	assert_int_equal(tn_sys_nr(TN_ARCH_X32, 39), TN_X32_SYSCALL_BIT | 39);
	assert_int_equal(tn_sys_nr(TN_ARCH_X86_64, 39), 39);
	assert_int_equal(tn_sys_index(TN_ARCH_UNKNOWN, 1), TN_NR_MAX);
}

/* socketcall and ipc name the call they make, as strace -c counts them. */
static void test_subcalls(void **state)
{
	const struct tn_sysent *sc = tn_sysent(TN_ARCH_X86, 102);
	const struct tn_sysent *ipc = tn_sysent(TN_ARCH_X86, 117);

	(void)state;
	assert_string_equal(sc->name, "socketcall");
	assert_string_equal(tn_sys_subcall(sc, 1), "socket");
	assert_string_equal(tn_sys_subcall(sc, 8), "socketpair");
	assert_string_equal(tn_sys_subcall(sc, 12), "recvfrom");
	assert_string_equal(tn_sys_subcall(sc, 20), "sendmmsg");
	assert_null(tn_sys_subcall(sc, 0));
	assert_null(tn_sys_subcall(sc, 21));
	assert_string_equal(ipc->name, "ipc");
	assert_string_equal(tn_sys_subcall(ipc, 1), "semop");
	assert_string_equal(tn_sys_subcall(ipc, 2), "semget");
	assert_string_equal(tn_sys_subcall(ipc, 24), "shmctl");
	assert_string_equal(tn_sys_subcall(ipc, (1u << 16) | 21), "shmat");  /* version 1 */
	assert_null(tn_sys_subcall(ipc, 5));
	assert_null(tn_sys_subcall(ipc, 25));
	/* other calls make no other call */
	assert_null(tn_sys_subcall(tn_sysent(TN_ARCH_X86_64, 41), 1));        /* socket */
	assert_null(tn_sys_subcall(tn_sysent(TN_ARCH_X86, 20), 8));           /* getpid */
}

static void test_classes(void **state)
{
	(void)state;
	assert_int_equal(tn_sys_class("file"), TN_CLS_FILE);
	assert_int_equal(tn_sys_class("net"), TN_CLS_NETWORK);
	assert_int_equal(tn_sys_class("%stat"), TN_CLS_STAT | TN_CLS_LSTAT | TN_CLS_FSTAT);
	assert_int_equal(tn_sys_class("nosuch"), 0);
}

static int count(const struct tn_trace_filter *f, enum tn_arch a)
{
	int n = 0;

	for (uint32_t i = 0; i < TN_NR_MAX; i++)
		n += tn_trace_filter_has(f, a, i);
	return n;
}

static void test_filter_names(void **state)
{
	struct tn_trace_filter f;
	struct tn_error e = {0};

	(void)state;
	tn_trace_filter_init(&f);
	assert_true(f.all);
	assert_true(tn_trace_filter_has(&f, TN_ARCH_X86_64, 39));
	assert_int_equal(tn_trace_filter_parse(&f, "trace=open,openat", &e), 0);
	assert_false(f.all);
	assert_true(tn_trace_filter_has(&f, TN_ARCH_X86_64, 2));
	assert_true(tn_trace_filter_has(&f, TN_ARCH_X86_64, 257));
	assert_false(tn_trace_filter_has(&f, TN_ARCH_X86_64, 0));
	assert_true(tn_trace_filter_has(&f, TN_ARCH_X86, 5));   /* open on x86 */
	assert_int_equal(count(&f, TN_ARCH_X86_64), 2);
	/* the last -e trace= wins; negation */
	assert_int_equal(tn_trace_filter_parse(&f, "!write", &e), 0);
	assert_false(tn_trace_filter_has(&f, TN_ARCH_X86_64, 1));
	assert_true(tn_trace_filter_has(&f, TN_ARCH_X86_64, 0));
	assert_int_equal(count(&f, TN_ARCH_X86_64), TN_NR_MAX - 1);
	/* a name only one architecture has is fine; one nobody has is not */
	assert_int_equal(tn_trace_filter_parse(&f, "t=mmap2", &e), 0);
	assert_true(tn_trace_filter_has(&f, TN_ARCH_X86, 192));
	assert_int_equal(count(&f, TN_ARCH_X86_64), 0);
	assert_int_equal(tn_trace_filter_parse(&f, "trace=nosuchcall", &e), -EINVAL);
	assert_string_equal(e.msg, "invalid system call 'nosuchcall'");
	assert_int_equal(tn_trace_filter_parse(&f, "trace=nosuchcall?", &e), 0);
	assert_int_equal(tn_trace_filter_parse(&f, "trace=", &e), -EINVAL);
	assert_int_equal(tn_trace_filter_parse(&f, "trace=none", &e), 0);
	assert_int_equal(count(&f, TN_ARCH_X86_64), 0);
	assert_int_equal(tn_trace_filter_parse(&f, "trace=all", &e), 0);
	assert_true(f.all);
}

static void test_filter_classes_regex(void **state)
{
	struct tn_trace_filter f;
	struct tn_error e = {0};

	(void)state;
	tn_trace_filter_init(&f);
	assert_int_equal(tn_trace_filter_parse(&f, "trace=%process", &e), 0);
	assert_true(tn_trace_filter_has(&f, TN_ARCH_X86_64, 56));    /* clone */
	assert_true(tn_trace_filter_has(&f, TN_ARCH_X86_64, 59));    /* execve */
	assert_true(tn_trace_filter_has(&f, TN_ARCH_X86_64, 231));   /* exit_group */
	assert_false(tn_trace_filter_has(&f, TN_ARCH_X86_64, 0));
	assert_int_equal(tn_trace_filter_parse(&f, "trace=%memory,%network", &e), 0);
	assert_true(tn_trace_filter_has(&f, TN_ARCH_X86_64, 9));     /* mmap */
	assert_true(tn_trace_filter_has(&f, TN_ARCH_X86_64, 41));    /* socket */
	assert_false(tn_trace_filter_has(&f, TN_ARCH_X86_64, 39));
	assert_int_equal(tn_trace_filter_parse(&f, "trace=%nosuch", &e), -EINVAL);
	assert_string_equal(e.msg, "invalid system call class '%nosuch'");
	assert_int_equal(tn_trace_filter_parse(&f, "trace=/^get(pid|ppid)$", &e), 0);
	assert_int_equal(count(&f, TN_ARCH_X86_64), 2);
	assert_true(tn_trace_filter_has(&f, TN_ARCH_X86_64, 110));   /* getppid */
	assert_int_equal(tn_trace_filter_parse(&f, "trace=!/^get", &e), 0);
	assert_false(tn_trace_filter_has(&f, TN_ARCH_X86_64, 39));
	assert_true(tn_trace_filter_has(&f, TN_ARCH_X86_64, 0));
	assert_int_equal(tn_trace_filter_parse(&f, "trace=/(", &e), -EINVAL);
	assert_non_null(strstr(e.msg, "invalid regular expression"));
}

static void test_filter_status(void **state)
{
	struct tn_trace_filter f;
	struct tn_error e = {0};

	(void)state;
	tn_trace_filter_init(&f);
	assert_int_equal(f.status, TN_STATUS_ALL);
	assert_int_equal(tn_trace_filter_parse(&f, "status=failed", &e), 0);
	assert_int_equal(f.status, TN_STATUS_FAILED);
	assert_int_equal(tn_trace_filter_parse(&f, "status=successful,unfinished", &e), 0);
	assert_int_equal(f.status, TN_STATUS_SUCCESSFUL | TN_STATUS_UNFINISHED);
	assert_int_equal(tn_trace_filter_parse(&f, "status=!failed", &e), 0);
	assert_int_equal(f.status, TN_STATUS_SUCCESSFUL | TN_STATUS_UNFINISHED);
	assert_int_equal(tn_trace_filter_parse(&f, "status=maybe", &e), -EINVAL);
	assert_string_equal(e.msg, "invalid status 'maybe'");
	assert_int_equal(tn_trace_filter_parse(&f, "abbrev=none", &e), -EINVAL);
	assert_string_equal(e.msg, "unsupported -e qualifier 'abbrev'");
}

static void test_errno_signal_names(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(tn_errno_name(ENOENT), "ENOENT");
	assert_string_equal(tn_errno_name(EACCES), "EACCES");
	assert_string_equal(tn_errno_name(512), "ERESTARTSYS");
	assert_string_equal(tn_errno_name(516), "ERESTART_RESTARTBLOCK");
	assert_null(tn_errno_name(0));
	assert_null(tn_errno_name(4000));
	assert_string_equal(tn_signal_name(SIGINT, buf, sizeof(buf)), "SIGINT");
	assert_string_equal(tn_signal_name(SIGKILL, buf, sizeof(buf)), "SIGKILL");
	assert_string_equal(tn_signal_name(32, buf, sizeof(buf)), "SIGRTMIN");
	assert_string_equal(tn_signal_name(35, buf, sizeof(buf)), "SIGRTMIN+3");
	assert_string_equal(tn_signal_name(99, buf, sizeof(buf)), "SIG99");
}

static void test_args(void **state)
{
	struct tn_jw w;

	(void)state;
	tn_jw_init(&w);
	tn_jw_arr_begin(&w);
	tn_trace_put_arg(&w, (unsigned long long)-100, true);        /* AT_FDCWD */
	tn_trace_put_arg(&w, 0x7ffd2c1a0b30ull, true);               /* an address */
	tn_trace_put_arg(&w, 0x80000, true);                         /* flags */
	tn_trace_put_arg(&w, 0, true);
	tn_trace_put_arg(&w, 65535, true);
	tn_trace_put_arg(&w, 0xffffff9cull, false);                  /* -100, 32-bit */
	tn_trace_put_arg(&w, 0xffffffff00000005ull, false);          /* high half ignored */
	tn_trace_put_arg(&w, 0xffffff9cull, true);                   /* an int in a 64-bit register */
	tn_trace_put_arg(&w, 0xfffe0000ull, true);                   /* below -65536: an address */
	tn_trace_put_arg(&w, 65536, true);
	tn_jw_arr_end(&w);
	assert_string_equal(tn_jw_line(&w, NULL),
		"[-100,\"0x7ffd2c1a0b30\",\"0x80000\",0,65535,-100,5,-100,\"0xfffe0000\",\"0x10000\"]\n");
	tn_jw_finish(&w);
}

static void test_find_exe(void **state)
{
	char buf[PATH_MAX];
	struct tn_error e = {0};

	(void)state;
	assert_int_equal(tn_trace_find_exe("sh", buf, sizeof(buf), &e), 0);
	assert_non_null(strstr(buf, "/sh"));
	assert_int_equal(tn_trace_find_exe("no-such-command-tn", buf, sizeof(buf), &e), -ENOENT);
	assert_string_equal(e.msg, "no-such-command-tn: command not found");
	assert_int_equal(tn_trace_find_exe("/", buf, sizeof(buf), &e), -EISDIR);
	assert_int_equal(tn_trace_find_exe("/nonexistent/x", buf, sizeof(buf), &e), -ENOENT);
	assert_int_equal(tn_trace_find_exe("", buf, sizeof(buf), &e), -ENOENT);
}

static int teardown(void **state)
{
	(void)state;
	tn_sys_cleanup();
	return 0;
}

/* The writer died in a write: the file, open for writing only, is cut back
 * to its last whole record from what the ring still holds. */
static off_t mend_case(int flags, const char *inflight, size_t tail, const char *stream_tail,
		       char *out, size_t outsz)
{
	char path[] = "/tmp/tn-test-mend-XXXXXX";
	int tmp = mkstemp(path), fd;
	char data[16];
	size_t n = strlen(stream_tail);
	off_t cut;
	ssize_t got;

	assert_true(tmp >= 0);
	/* a foreign first line, then stream bytes 0..tail-1, whole */
	assert_int_equal(write(tmp, "xx\n", 3), 3);
	for (size_t i = 0; i + 1 < tail; i++)
		assert_int_equal(write(tmp, "a", 1), 1);
	assert_int_equal(write(tmp, "\n", 1), 1);
	fd = open(path, O_WRONLY | flags);
	assert_true(fd >= 0);
	if (!(flags & O_APPEND))
		assert_int_equal(lseek(fd, 3 + (off_t)tail, SEEK_SET), 3 + (off_t)tail);
	/* the ring holds stream bytes tail..tail+n-1, wrapping at 16 */
	memset(data, '?', sizeof(data));
	for (size_t i = 0; i < n; i++)
		data[(tail + i) % sizeof(data)] = stream_tail[i];
	assert_int_equal(write(fd, inflight, strlen(inflight)), (ssize_t)strlen(inflight));
	cut = tn_trace_ring_mend(fd, 3, 3 + (int64_t)tail, data, sizeof(data), tail, tail + n);
	close(fd);
	got = pread(tmp, out, outsz - 1, 0);
	assert_true(got >= 0);
	out[got] = 0;
	close(tmp);
	unlink(path);
	return cut;
}

static void test_ring_mend(void **state)
{
	char buf[64];
	int p[2];

	(void)state;
	/* died after "b22\nc3": cut after "b22\n" */
	assert_int_equal(mend_case(0, "b22\nc3", 10, "b22\nc333\n", buf, sizeof(buf)), 17);
	assert_string_equal(buf, "xx\naaaaaaaaa\nb22\n");
	/* no newline in what it wrote: back to the last one it knew */
	assert_int_equal(mend_case(0, "b2", 10, "b22\nc333\n", buf, sizeof(buf)), 13);
	assert_string_equal(buf, "xx\naaaaaaaaa\n");
	/* the newline it wrote lies past the ring's wrap */
	assert_int_equal(mend_case(0, "bbbbbb\nc", 10, "bbbbbb\nc\n", buf, sizeof(buf)), 20);
	assert_string_equal(buf, "xx\naaaaaaaaa\nbbbbbb\n");
	/* a whole write: nothing to cut */
	assert_int_equal(mend_case(0, "b22\nc333\n", 10, "b22\nc333\n", buf, sizeof(buf)), 22);
	assert_string_equal(buf, "xx\naaaaaaaaa\nb22\nc333\n");
	/* O_APPEND: the end is the file's size */
	assert_int_equal(mend_case(O_APPEND, "b22\nc3", 10, "b22\nc333\n", buf, sizeof(buf)), 17);
	assert_string_equal(buf, "xx\naaaaaaaaa\nb22\n");
	/* more than the ring held: somebody else wrote, leave it */
	assert_int_equal(mend_case(0, "b22\nc333\nzz", 10, "b22\nc333\n", buf, sizeof(buf)), -1);
	/* not a regular file, or no base known */
	assert_int_equal(pipe(p), 0);
	assert_int_equal(tn_trace_ring_mend(p[1], 0, 0, buf, 16, 0, 0), -1);
	close(p[0]);
	close(p[1]);
	assert_int_equal(tn_trace_ring_mend(1, -1, 0, buf, 16, 0, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_from_libseccomp),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_arch),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_subcalls),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_filter_names),
		cmocka_unit_test(test_filter_classes_regex),
		cmocka_unit_test(test_filter_status),
		cmocka_unit_test(test_errno_signal_names),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_find_exe),
		cmocka_unit_test(test_ring_mend),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
