/* Unit tests of the I/O layer (lib/common/io.c): tn_lines and the helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "io.h"

/* ---- tn_lines: every case read from memory, a file and byte by byte ---- */

enum source {
	SRC_MEM,        /* tn_lines_init_mem */
	SRC_FILE,       /* a regular file: whole buffers per read(2) */
	SRC_BYTES,      /* a SOCK_SEQPACKET socket: one byte per read(2) */
};

static const char *const src_name[] = { "memory", "file", "one byte at a time" };

/* A child process writes data to fd one byte per packet, then exits. */
static pid_t write_bytewise(int fd, const char *data, size_t len)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		for (size_t i = 0; i < len; i++)
			if (write(fd, data + i, 1) != 1)
				_exit(1);
		_exit(0);
	}
	return pid;
}

/* A file descriptor from which data can be read back as src says. */
static int open_source(enum source src, const char *data, size_t len, pid_t *child)
{
	*child = -1;
	if (src == SRC_FILE) {
		FILE *f = tmpfile();
		int fd;

		assert_non_null(f);
		assert_int_equal(fwrite(data, 1, len, f), len);
		fflush(f);
		fd = dup(fileno(f));
		fclose(f);
		assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
		return fd;
	} else {
		int sv[2];

		assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
		*child = write_bytewise(sv[1], data, len);
		close(sv[1]);
		return sv[0];
	}
}

/*
 * Everything the splitter says about data, as text: "1:abc" a line (with
 * "$" when it has no newline, "\0" for a NUL byte), "E7:1:1:MSG" -errno and
 * position, "." the end.  An error that ends the input must come again on
 * the next call, and the transcript stops there.
 */
static void transcript(struct tn_lines *l, char *out, size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	for (int calls = 0; calls < 100; calls++) {
		struct tn_line ln;
		struct tn_error e = { 0 };
		int r = tn_lines_next(l, &ln, &e);

		if (r == 0) {
			o += (size_t)snprintf(out + o, size - o, ".");
			assert_int_equal(tn_lines_next(l, &ln, &e), 0);
			return;
		}
		if (r < 0) {
			struct tn_error again = { 0 };

			assert_int_equal(r, e.code);
			o += (size_t)snprintf(out + o, size - o, "E%d:%lu:%lu:%s|", -r, e.line,
					      e.col, e.msg);
			if (r == -E2BIG && l->policy == TN_LINES_SKIP)
				continue;
			assert_int_equal(tn_lines_next(l, &ln, &again), r);
			assert_int_equal(again.line, e.line);
			assert_int_equal(again.col, e.col);
			assert_string_equal(again.msg, e.msg);
			return;
		}
		assert_int_equal(r, 1);
		o += (size_t)snprintf(out + o, size - o, "%lu:", ln.lineno);
		for (size_t i = 0; i < ln.len && o + 3 < size; i++) {
			if (ln.text[i] == '\0') {
				out[o++] = '\\';
				out[o++] = '0';
			} else {
				out[o++] = ln.text[i];
			}
		}
		if (ln.nl)
			assert_int_equal(ln.text[ln.len], '\n');
		o += (size_t)snprintf(out + o, size - o, "%s|", ln.nl ? "" : "$");
	}
	fail_msg("%s", "no end after 100 calls");
}

static void check_lines(const char *data, size_t len, size_t max, enum tn_lines_policy policy,
			const char *want)
{
	for (enum source src = SRC_MEM; src <= SRC_BYTES; src++) {
		struct tn_lines l;
		char got[1024];
		pid_t child = -1;
		int fd = -1;

		if (src == SRC_MEM) {
			tn_lines_init_mem(&l, data, len, "in", max, policy);
		} else {
			fd = open_source(src, data, len, &child);
			assert_int_equal(tn_lines_init_fd(&l, fd, "in", max, policy), 0);
		}
		transcript(&l, got, sizeof(got));
		if (strcmp(got, want) != 0)
			fail_msg("%s, %s, max %zu:\n got  %s\n want %s", src_name[src],
				 policy == TN_LINES_STOP ? "stop" : "skip", max, got, want);
		tn_lines_finish(&l);
		if (fd >= 0)
			close(fd);
		if (child > 0) {
			int st;

			/* The reader may stop before the writer is done. */
			kill(child, SIGKILL);
			assert_int_equal(waitpid(child, &st, 0), child);
		}
	}
}

#define CHECK(data, max, policy, want) check_lines(data, sizeof(data) - 1, max, policy, want)

static void test_lines_plain(void **state)
{
	(void)state;
	CHECK("", 8, TN_LINES_STOP, ".");
	CHECK("", 8, TN_LINES_SKIP, ".");
	CHECK("\n", 8, TN_LINES_STOP, "1:|.");
	CHECK("a\nbc\n\nd", 8, TN_LINES_STOP, "1:a|2:bc|3:|4:d$|.");
	CHECK("a\nbc\n\nd\n", 8, TN_LINES_SKIP, "1:a|2:bc|3:|4:d|.");
	CHECK("a\0b\n\0", 8, TN_LINES_STOP, "1:a\\0b|2:\\0$|.");
	CHECK("x\r\n", 8, TN_LINES_STOP, "1:x\r|.");
}

static void test_lines_bound(void **state)
{
	(void)state;
	/* Exactly max bytes is a line, with or without its newline. */
	CHECK("12345678\n12345678", 8, TN_LINES_STOP, "1:12345678|2:12345678$|.");
	CHECK("12345678\n12345678", 8, TN_LINES_SKIP, "1:12345678|2:12345678$|.");
	/* One more is an error: stop at the first byte past the bound ... */
	CHECK("a\n123456789\nb\n", 8, TN_LINES_STOP,
	      "1:a|E7:2:9:line longer than 8 bytes|");
	CHECK("a\n123456789", 8, TN_LINES_STOP, "1:a|E7:2:9:line longer than 8 bytes|");
	/* ... or report the line and go on after its newline. */
	CHECK("a\n123456789\nb\n", 8, TN_LINES_SKIP,
	      "1:a|E7:2:1:line longer than 8 bytes|3:b|.");
	CHECK("123456789\n1234567890123456789\n\nc", 8, TN_LINES_SKIP,
	      "E7:1:1:line longer than 8 bytes|E7:2:1:line longer than 8 bytes|3:|4:c$|.");
	CHECK("a\n123456789", 8, TN_LINES_SKIP, "1:a|E7:2:1:line longer than 8 bytes|.");
	CHECK("a\n1234567890123456789\n", 8, TN_LINES_SKIP,
	      "1:a|E7:2:1:line longer than 8 bytes|.");
	/* A bound of 0 allows empty lines only. */
	CHECK("\n\nx\n\n", 0, TN_LINES_SKIP,
	      "1:|2:|E7:3:1:line longer than 0 bytes|4:|.");
}

/* A line of megabytes costs no more memory than the buffer made at the start. */
static void test_lines_long(void **state)
{
	size_t big = 3u << 20, max = 1000;
	char *data = malloc(big + 4);
	struct tn_lines l;
	struct tn_line ln;
	struct tn_error e = { 0 };
	pid_t child;
	int fd;

	(void)state;
	assert_non_null(data);
	memset(data, 'x', big);
	memcpy(data + big, "\nok\n", 4);
	fd = open_source(SRC_FILE, data, big + 4, &child);
	assert_int_equal(tn_lines_init_fd(&l, fd, "f", max, TN_LINES_SKIP), 0);
	assert_int_equal(tn_lines_next(&l, &ln, &e), -E2BIG);
	assert_int_equal(e.line, 1);
	assert_int_equal(tn_lines_next(&l, &ln, &e), 1);
	assert_true(ln.len == 2 && memcmp(ln.text, "ok", 2) == 0 && ln.lineno == 2 && ln.nl);
	assert_int_equal(tn_lines_next(&l, &ln, &e), 0);
	assert_int_equal(l.cap, max + 1 + TN_LINES_CHUNK);
	tn_lines_finish(&l);
	close(fd);

	/* The same from memory, stopping: the position is the bound's. */
	tn_lines_init_mem(&l, data, big + 4, "m", max, TN_LINES_STOP);
	assert_int_equal(tn_lines_next(&l, &ln, &e), -E2BIG);
	assert_int_equal(e.line, 1);
	assert_int_equal(e.col, max + 1);
	assert_string_equal(e.file, "m");
	tn_lines_finish(&l);
	tn_lines_finish(NULL);
	free(data);
}

static void test_lines_read_error(void **state)
{
	struct tn_lines l;
	struct tn_line ln;
	struct tn_error e = { 0 };

	(void)state;
	assert_int_equal(tn_lines_init_fd(&l, -1, "bad", 8, TN_LINES_SKIP), 0);
	assert_int_equal(tn_lines_next(&l, &ln, &e), -EBADF);
	assert_int_equal(e.line, 0);
	assert_int_equal(e.col, 0);
	assert_string_equal(e.file, "bad");
	assert_string_equal(e.msg, "read error: Bad file descriptor");
	/* It ends the input, whatever the policy; e may be NULL. */
	assert_int_equal(tn_lines_next(&l, &ln, NULL), -EBADF);
	tn_lines_finish(&l);
	/* A bound no buffer can hold. */
	assert_int_equal(tn_lines_init_fd(&l, 0, "x", SIZE_MAX, TN_LINES_STOP), -EOVERFLOW);
	tn_lines_finish(&l);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* A read(2) interrupted by a signal (no SA_RESTART) is made again. */
static void test_lines_eintr(void **state)
{
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	struct itimerval it = { .it_value = { 0, 20000 } };
	struct tn_lines l;
	struct tn_line ln;
	struct tn_error e = { 0 };
	int sv[2], st;
	pid_t pid;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct timespec ts = { 0, 300 * 1000 * 1000 };

		close(sv[0]);
		nanosleep(&ts, NULL);
		_exit(write(sv[1], "late\n", 5) == 5 ? 0 : 1);
	}
	close(sv[1]);
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	alarms = 0;
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
	assert_int_equal(tn_lines_init_fd(&l, sv[0], "s", 64, TN_LINES_STOP), 0);
	assert_int_equal(tn_lines_next(&l, &ln, &e), 1);
	assert_true(ln.len == 4 && memcmp(ln.text, "late", 4) == 0);
	assert_int_equal(tn_lines_next(&l, &ln, &e), 0);
	assert_int_equal(alarms, 1);
	tn_lines_finish(&l);
	sigaction(SIGALRM, &old, NULL);
	close(sv[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* ---- the helpers ---- */

static void test_write_all(void **state)
{
	size_t n = 1u << 20, done = 7;
	unsigned char *buf = malloc(n);
	uint64_t want, got = TN_FNV1A64_INIT;
	int p[2], st;
	pid_t pid;

	(void)state;
	assert_non_null(buf);
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(i * 131u >> 3);
	want = tn_fnv1a64(TN_FNV1A64_INIT, buf, n);
	/* More than a pipe holds: the writer must go on after short writes. */
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int r;

		close(p[0]);
		r = tn_write_all(p[1], buf, n, NULL);
		free(buf);
		_exit(r == 0 ? 0 : 1);
	}
	close(p[1]);
	for (;;) {
		unsigned char chunk[4096];
		ssize_t k = read(p[0], chunk, sizeof(chunk));

		assert_true(k >= 0);
		if (k == 0)
			break;
		got = tn_fnv1a64(got, chunk, (size_t)k);
	}
	close(p[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_true(got == want);

	assert_int_equal(tn_write_all(-1, buf, n, &done), -EBADF);
	assert_int_equal(done, 0);
	assert_int_equal(tn_write_all(-1, buf, 0, &done), 0);  /* nothing to write */
	free(buf);
}

static void test_write_all_epipe(void **state)
{
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	size_t done = 1;
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	assert_int_equal(tn_write_all(p[1], "x", 1, &done), -EPIPE);
	assert_int_equal(done, 0);
	close(p[1]);
	signal(SIGPIPE, old);
}

static void test_now(void **state)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };
	uint64_t t0 = tn_now_ns(), t1, t2;

	(void)state;
	t1 = tn_now_ns();
	nanosleep(&ts, NULL);
	t2 = tn_now_ns();
	assert_true(t0 > 0 && t1 >= t0);
	assert_true(t2 - t1 >= 2 * 1000 * 1000);
}

static void test_fnv1a64(void **state)
{
	(void)state;
	/* The published FNV-1a 64 test vectors. */
	assert_true(tn_fnv1a64(TN_FNV1A64_INIT, "", 0) == TN_FNV1A64_INIT);
	assert_true(tn_fnv1a64(TN_FNV1A64_INIT, "a", 1) == UINT64_C(0xaf63dc4c8601ec8c));
	assert_true(tn_fnv1a64(TN_FNV1A64_INIT, "foobar", 6) == UINT64_C(0x85944171f73967e8));
	/* Running: in parts equals at once. */
	assert_true(tn_fnv1a64(tn_fnv1a64(TN_FNV1A64_INIT, "foo", 3), "bar", 3) ==
		    UINT64_C(0x85944171f73967e8));
}

/* The length of the character at s by the definition (RFC 3629), or 0. */
static size_t utf8_reference(const unsigned char *s, size_t n)
{
	unsigned need;
	uint32_t cp, min;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		need = 1; cp = s[0] & 0x1fu; min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		need = 2; cp = s[0] & 0x0fu; min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		need = 3; cp = s[0] & 0x07u; min = 0x10000;
	} else {
		return 0;
	}
	if (n <= need)
		return 0;
	for (unsigned k = 1; k <= need; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need + 1;
}

static void test_utf8(void **state)
{
	unsigned char s[4];

	(void)state;
	/* Every one- and two-byte sequence, every three-byte one, and every
	 * four-byte one over the second byte, against the definition. */
	for (unsigned a = 0; a < 256; a++) {
		s[0] = (unsigned char)a;
		assert_int_equal(tn_utf8_char_len(s, 1), utf8_reference(s, 1));
		for (unsigned b = 0; b < 256; b++) {
			s[1] = (unsigned char)b;
			assert_int_equal(tn_utf8_char_len(s, 2), utf8_reference(s, 2));
			for (unsigned c = 0; a >= 0xe0 && a <= 0xf4 && c < 256; c++) {
				s[2] = (unsigned char)c;
				assert_int_equal(tn_utf8_char_len(s, 3), utf8_reference(s, 3));
				s[3] = 0x80;
				assert_int_equal(tn_utf8_char_len(s, 4), utf8_reference(s, 4));
				s[3] = 0x7f;
				assert_int_equal(tn_utf8_char_len(s, 4), utf8_reference(s, 4));
			}
		}
	}
	assert_int_equal(tn_utf8_valid_prefix("", 0), 0);
	assert_int_equal(tn_utf8_valid_prefix("caf\xc3\xa9 \xf0\x9f\x98\x80", 10), 10);
	assert_int_equal(tn_utf8_valid_prefix("ab\xc3", 3), 2);         /* cut short */
	assert_int_equal(tn_utf8_valid_prefix("ab\xed\xa0\x80z", 6), 2); /* surrogate */
	assert_int_equal(tn_utf8_valid_prefix("a\0b\xff", 4), 3);       /* NUL is valid */
}

/* tn_replace_file(): the whole new content, no temporary file left; a
 * failure leaves nothing behind. */
static void test_replace_file(void **state)
{
	char dir[] = "/tmp/tn-test-io.XXXXXX", path[64], bad[96], buf[16];
	FILE *f;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	assert_int_equal(tn_replace_file(path, "old\n", 4), 0);
	assert_int_equal(tn_replace_file(path, "new text\n", 9), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(n, 9);
	assert_memory_equal(buf, "new text\n", 9);
	snprintf(bad, sizeof(bad), "%s/missing/f", dir);
	assert_int_equal(tn_replace_file(bad, "x", 1), -ENOENT);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);   /* fails if a temporary file was left */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_plain),
		cmocka_unit_test(test_lines_bound),
		cmocka_unit_test(test_lines_long),
		cmocka_unit_test(test_lines_read_error),
		cmocka_unit_test(test_lines_eintr),
		cmocka_unit_test(test_write_all),
		cmocka_unit_test(test_write_all_epipe),
		cmocka_unit_test(test_now),
		cmocka_unit_test(test_fnv1a64),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_replace_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
