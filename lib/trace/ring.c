/* The output ring and its writer process (see ring.h). */
#include "ring.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "io.h"

#define RING (4u << 20)             /* > TN_EV_LINE_MAX: any record fits */
#define WAKE_EVERY (256u << 10)     /* wake the writer after this much */
#define WRITER_NAP_NS 20000000L     /* the writer looks at least this often */
#define STALL_NS 1000000000ull      /* after a signal: how long output may stand still */

struct ring {
	_Atomic uint64_t head;      /* bytes committed by the tracer */
	_Atomic uint64_t tail;      /* bytes written out by the writer */
	_Atomic uint32_t head_seq;  /* futex: the tracer committed more */
	_Atomic uint32_t tail_seq;  /* futex: the writer made room */
	_Atomic int32_t err;        /* first write error, -errno */
	_Atomic uint32_t done;      /* the tracer is finished */
	_Atomic uint32_t finished;  /* the writer wrote everything and left */
	/* For mending a regular file after the writer died in a write (the
	 * output is open for writing only: nothing can be read back). */
	_Atomic int64_t base;       /* file offset of stream byte 0, or -1 */
	_Atomic int64_t whole_at;   /* file offset after the last newline written */
	char data[RING];
};

struct tn_trace_ring {
	struct ring *r;
	int alive;                  /* write end of a pipe: closed when the tracer dies */
	int writer;                 /* read end of a pipe: hangs up when the writer dies */
	int fd;                     /* the output */
	const volatile sig_atomic_t *cancel;  /* set: never wait for output */
	uint64_t woke_at;           /* head when the writer was last woken */
};

static void futex_wait(_Atomic uint32_t *a, uint32_t val, long ns)
{
	struct timespec ts = { ns / 1000000000L, ns % 1000000000L };

	syscall(SYS_futex, (uint32_t *)a, FUTEX_WAIT, val, &ts, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *a)
{
	syscall(SYS_futex, (uint32_t *)a, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
}

static void set_error(struct ring *r, int err)
{
	int32_t none = 0;

	atomic_compare_exchange_strong(&r->err, &none, err);
}

/*
 * A write cut short (file-size limit, full disk) left the first bytes of a
 * record after the last whole one, which ended at position whole: take them
 * back when the output is a regular file, so that it ends at a record
 * boundary.  written is the position where the output stopped.
 */
static void cut_back(int fd, uint64_t whole, uint64_t written)
{
	struct stat st;
	off_t at;

	if (written == whole || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	at = lseek(fd, 0, SEEK_CUR);
	if (at >= (off_t)(written - whole))
		(void)!ftruncate(fd, at - (off_t)(written - whole));
}

/* Where the output stands now: with O_APPEND each write lands at the end. */
static off_t file_end(int fd)
{
	struct stat st;
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0 && (fl & O_APPEND))
		return fstat(fd, &st) < 0 ? -1 : st.st_size;
	return lseek(fd, 0, SEEK_CUR);
}

off_t tn_trace_ring_mend(int fd, int64_t base, int64_t whole_at,
			 const char *data, size_t size, uint64_t tail, uint64_t head)
{
	struct stat st;
	off_t end, cut;
	uint64_t inflight;

	if (base < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	end = file_end(fd);
	if (end < 0 || (uint64_t)end < (uint64_t)base + tail)
		return -1;
	inflight = (uint64_t)end - ((uint64_t)base + tail);
	if (inflight > head - tail)
		return -1;      /* somebody else wrote to the file: leave it */
	cut = (off_t)whole_at;
	for (uint64_t pos = tail + inflight; pos > tail; pos--) {
		if (data[(pos - 1) % size] == '\n') {
			cut = (off_t)(base + (int64_t)pos);
			break;
		}
	}
	if (cut < end && ftruncate(fd, cut) < 0)
		return -1;
	return cut;
}

/*
 * The writer died, maybe in the middle of a write: cut a regular file back
 * to its last newline.  The writer shares the file offset with fd, and the
 * bytes of the write it died in are still in the ring, after the tail.
 */
static void cut_back_dead(const struct tn_trace_ring *o)
{
	struct ring *r = o->r;

	(void)tn_trace_ring_mend(o->fd, atomic_load(&r->base), atomic_load(&r->whole_at),
				 r->data, RING, atomic_load(&r->tail), atomic_load(&r->head));
}

/* Write out what is committed; returns false after a write error.  *whole
 * is the position after the last newline written. */
static bool drain(struct ring *r, int fd, uint64_t *whole, int64_t base)
{
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);

	while (tail < head) {
		size_t off = (size_t)(tail % RING);
		size_t n = (size_t)(head - tail), done;
		int rc;
		const char *nl;

		if (n > RING - off)
			n = RING - off;
		rc = tn_write_all(fd, r->data + off, n, &done);
		nl = memrchr(r->data + off, '\n', done);
		if (nl)
			*whole = tail + (uint64_t)(nl - (r->data + off)) + 1;
		if (rc < 0) {
			cut_back(fd, *whole, tail + done);
			set_error(r, rc);
			atomic_fetch_add(&r->tail_seq, 1);
			futex_wake(&r->tail_seq);
			return false;
		}
		if (base >= 0)
			atomic_store_explicit(&r->whole_at, base + (int64_t)*whole,
					      memory_order_relaxed);
		tail += n;
		atomic_store_explicit(&r->tail, tail, memory_order_release);
		atomic_fetch_add(&r->tail_seq, 1);
		futex_wake(&r->tail_seq);
	}
	return true;
}

static bool tracer_gone(int alive)
{
	struct pollfd p = { .fd = alive, .events = POLLIN };

	return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR));
}

static _Noreturn void writer_main(struct ring *r, int fd, int alive)
{
	uint64_t whole = 0;
	int64_t base = -1;
	struct stat st;

	/* Ctrl-C reaches the whole process group: the writer outlives the
	 * tracer on purpose, to write what it left. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	/* A file-size limit then fails the write with EFBIG, which cut_back()
	 * can mend, instead of killing the writer mid-record. */
	signal(SIGXFSZ, SIG_IGN);
	prctl(PR_SET_NAME, "tn-trace-out", 0, 0, 0);
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		base = file_end(fd);
		atomic_store(&r->whole_at, base);
		atomic_store(&r->base, base);
	}
	for (;;) {
		uint32_t seq = atomic_load(&r->head_seq);
		bool last = atomic_load(&r->done) || tracer_gone(alive);
		bool ok = drain(r, fd, &whole, base);

		if (!ok || last) {
			atomic_store(&r->finished, 1);
			atomic_fetch_add(&r->tail_seq, 1);
			futex_wake(&r->tail_seq);
			_exit(0);
		}
		if (atomic_load(&r->head) == atomic_load(&r->tail))
			futex_wait(&r->head_seq, seq, WRITER_NAP_NS);
	}
}

int tn_trace_ring_open(struct tn_trace_ring **ret, int fd,
		       const volatile sig_atomic_t *cancel, struct tn_error *e)
{
	struct tn_trace_ring *o = calloc(1, sizeof(*o));
	struct ring *r;
	int p[2] = {-1, -1}, w[2];
	pid_t mid;

	if (!o)
		return tn_error_set(e, -ENOMEM, "out of memory");
	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED) {
		free(o);
		return tn_error_set(e, -errno, "mmap: %s", strerror(errno));
	}
	atomic_store(&r->base, -1);
	if (pipe2(p, O_CLOEXEC) < 0 || pipe2(w, O_CLOEXEC) < 0) {
		int err = errno;
		if (p[0] >= 0) {
			close(p[0]);
			close(p[1]);
		}
		munmap(r, sizeof(*r));
		free(o);
		return tn_error_set(e, -err, "pipe: %s", strerror(err));
	}
	/* The writer is a grandchild: not a child that the tracer's wait for
	 * any tracee could take.  Each side holds one end of a pipe that hangs
	 * up when it dies. */
	mid = fork();
	if (mid == 0) {
		if (fork() == 0) {
			close(p[1]);
			close(w[0]);
			writer_main(r, fd, p[0]);
		}
		_exit(0);
	}
	close(p[0]);
	close(w[1]);
	if (mid < 0 || waitpid(mid, NULL, 0) != mid) {
		int err = errno;
		close(p[1]);
		close(w[0]);
		munmap(r, sizeof(*r));
		free(o);
		return tn_error_set(e, -err, "fork: %s", strerror(err));
	}
	o->r = r;
	o->alive = p[1];
	o->writer = w[0];
	o->fd = fd;
	o->cancel = cancel;
	/* The tracees forked later need not carry the ring. */
	madvise(r, sizeof(*r), MADV_DONTFORK);
	*ret = o;
	return 0;
}

static void wake(struct tn_trace_ring *o)
{
	atomic_fetch_add(&o->r->head_seq, 1);
	futex_wake(&o->r->head_seq);
	o->woke_at = atomic_load_explicit(&o->r->head, memory_order_relaxed);
}

/* The writer ended without finishing (killed): an error, -ECHILD. */
static bool writer_died(struct tn_trace_ring *o)
{
	struct pollfd p = { .fd = o->writer, .events = POLLIN };

	if (poll(&p, 1, 0) <= 0 || !(p.revents & (POLLHUP | POLLERR)))
		return false;
	if (atomic_load(&o->r->finished))
		return false;
	if (atomic_load(&o->r->err) != -ECHILD) {
		set_error(o->r, -ECHILD);
		cut_back_dead(o);
	}
	return true;
}

static bool cancelled(const struct tn_trace_ring *o)
{
	return o->cancel && *o->cancel;
}

void tn_trace_ring_put(struct tn_trace_ring *o, const char *rec, size_t n)
{
	struct ring *r = o->r;
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	size_t off, first;

	if (n > RING || atomic_load_explicit(&r->err, memory_order_relaxed))
		return;
	while (head + n - atomic_load_explicit(&r->tail, memory_order_acquire) > RING) {
		uint32_t seq = atomic_load(&r->tail_seq);
		/* Full: wait for room, but not once interrupted (detaching
		 * comes first) and not for a writer that failed or died. */
		if (atomic_load(&r->err) || cancelled(o) || writer_died(o))
			return;
		wake(o);
		if (head + n - atomic_load(&r->tail) > RING)
			futex_wait(&r->tail_seq, seq, WRITER_NAP_NS);
	}
	off = (size_t)(head % RING);
	first = n < RING - off ? n : RING - off;
	memcpy(r->data + off, rec, first);
	memcpy(r->data, rec + first, n - first);
	atomic_store_explicit(&r->head, head + n, memory_order_release);
	if (head + n - o->woke_at >= WAKE_EVERY) {
		wake(o);
		writer_died(o);
	}
}

int tn_trace_ring_error(const struct tn_trace_ring *o)
{
	return atomic_load_explicit(&o->r->err, memory_order_relaxed);
}

int tn_trace_ring_close(struct tn_trace_ring *o)
{
	uint64_t seen = UINT64_MAX, since = 0;
	int err;

	if (!o)
		return 0;
	atomic_store(&o->r->done, 1);
	wake(o);
	while (!atomic_load(&o->r->finished) && !writer_died(o)) {
		uint32_t seq = atomic_load(&o->r->tail_seq);
		if (atomic_load(&o->r->finished))
			break;
		if (cancelled(o)) {
			/* Interrupted: wait only while the output advances; the
			 * writer goes on alone with what is left. */
			uint64_t tail = atomic_load(&o->r->tail);
			if (tail != seen) {
				seen = tail;
				since = tn_now_ns();
			} else if (tn_now_ns() - since > STALL_NS) {
				break;
			}
		}
		futex_wait(&o->r->tail_seq, seq, WRITER_NAP_NS);
	}
	close(o->alive);
	close(o->writer);
	err = tn_trace_ring_error(o);
	munmap(o->r, sizeof(*o->r));
	free(o);
	return err;
}
