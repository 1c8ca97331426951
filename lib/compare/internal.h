/* SPDX-License-Identifier: MIT */
/* What the files of lib/compare share: the runs read, the interned calls. */
#pragma once

#include "compare.h"
#include "summary.h"
#include "table.h"

/* Strings to dense ids: lib/common's table, the id an entry's place in
 * its order[]. */
struct tn_cmp_ent {
	size_t len;
	uint32_t id;
	uint32_t name;          /* keys: the id of the call's name in the names table */
	char s[];               /* NUL-terminated */
};

struct tn_cmp_intern {
	struct tn_tab tab;
};

static inline struct tn_cmp_ent *tn_cmp_ent(const struct tn_cmp_intern *t, uint32_t id)
{
	return (struct tn_cmp_ent *)t->tab.order[id];
}

/* A process or thread of a first run. */
struct tn_cmp_task {
	char *key;              /* place in the tree: "1", "1.2", "1.2t1" */
	char *cmd;              /* basename of its last exec (or its parent's) */
	int64_t tid;
	size_t proc;            /* the task whose fd table it shares */
	size_t parent;          /* the task that created it; SIZE_MAX for a root */
	bool thread;
	uint32_t nchild, nthread;
	uint32_t *seq;          /* interned calls */
	size_t len, cap;
	uint32_t *fd;           /* process tasks: raw fd -> ordinal + 1 */
	size_t nfd;
	uint32_t fdnext;
};

struct tn_cmp_run {
	const char *file;       /* borrowed from the caller */
	unsigned long line;     /* of its header; 0 when it had none */
	int64_t schema;         /* -1 without a header */
	char *cmd;              /* basename of argv[0] from the header */
	struct tn_sum sum;      /* lib/summary over the run */
	uint64_t ts_min, ts_max;
	bool have_ts;
	uint64_t events;        /* syscall and span records */
	/* first run of a side only */
	struct tn_cmp_task *task;
	size_t ntask, taskcap;
	uint32_t nroot;
	struct tn_tab tids;     /* tid -> task (load.c) */
	char *exedir;
	char *cwd;               /* from the header */
	uint64_t *count;        /* kept calls per name id */
	size_t ncount;
};

struct tn_cmp_side {
	struct tn_cmp_run *run;
	size_t nrun;
	const char *first_file;
	uint64_t records;
};

struct tn_cmp {
	const struct tn_cmp_opts *o;
	struct tn_cmp_intern keys, names;
	struct tn_cmp_side side[2];
	char *home;
	char *buf;              /* scratch for one call's string */
	size_t bufcap;
	char *pbuf;             /* scratch for one normalised path */
	size_t pbufcap;
};

int tn_cmp_intern(struct tn_cmp_intern *t, const char *s, size_t n, uint32_t *ret_id);
void tn_cmp_intern_fini(struct tn_cmp_intern *t);

/* Normalise path p[0..n) of a run by the rules of tn-compare(1) into *out
 * (NUL-terminated, *outcap grown as needed); returns its length or -ENOMEM. */
long tn_cmp_norm_path(const struct tn_cmp *c, const struct tn_cmp_run *r,
		      const char *p, size_t n, char **out, size_t *outcap);
