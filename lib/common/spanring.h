/* The span channel between libtn and tn-trace: a ring of fixed-size slots
 * in shared memory.  tn-trace creates it (a memfd) before it starts the
 * command and passes the descriptor number in TN_SPAN_SHM; libtn maps it
 * once in its constructor and appends one slot per span with atomic
 * operations only: no syscall per span.  Many processes and threads write;
 * tn-trace alone reads (tn-trace(1), libtn(3)). */
#pragma once

#include <stdint.h>

#define TN_SPANRING_ENV "TN_SPAN_SHM"
#define TN_SPANRING_MAGIC 0x314e5053544eULL     /* "TNSPN1" */
#define TN_SPANRING_SLOTS 262144u               /* a power of two: 24 MiB, touched as used */
#define TN_SPANRING_SIZE (64u + TN_SPANRING_SLOTS * (uint64_t)sizeof(struct tn_spanring_slot))

/*
 * The first argument libtn gives the getpid(2) and gettid(2) it makes once
 * per process and per thread to learn the ids its spans carry (the kernel
 * ignores it): tn-trace recognises these calls by it and leaves them out.
 */
#define TN_SPANRING_IDCALL 0x746e7370616e6964ULL  /* "tnspanid" */

struct tn_spanring_slot {
	uint64_t seq;           /* index + 1 once the slot is complete (release) */
	uint64_t ts, dur;
	uint64_t n, bytes;
	int32_t pid, tid;
	char name[16];          /* NUL-padded */
	char backend[12];
	char phase[12];
};

struct tn_spanring {
	uint64_t magic;
	uint64_t head;          /* slots claimed (writers, compare-and-swap) */
	uint64_t tail;          /* slots read (tn-trace) */
	uint64_t dropped;       /* spans lost to a full ring */
	uint64_t pad[4];
	struct tn_spanring_slot slot[];
};
