/* SPDX-License-Identifier: MIT */
/* Reading the runs of a side: timing sums for all, calls for the first. */
#include "internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "io.h"
#include "reader.h"
#include "systab.h"

struct tn_cmp *tn_cmp_new(const struct tn_cmp_opts *o)
{
	struct tn_cmp *c = calloc(1, sizeof(*c));
	const char *home = getenv("HOME");

	if (!c)
		return NULL;
	c->o = o;
	if (home && *home && strcmp(home, "/")) {
		size_t n = strlen(home);

		while (n > 1 && home[n - 1] == '/')
			n--;
		c->home = strndup(home, n);
		if (!c->home) {
			free(c);
			return NULL;
		}
	}
	return c;
}

static void run_fini(struct tn_cmp_run *r)
{
	free(r->cmd);
	tn_sum_fini(&r->sum);
	for (size_t i = 0; i < r->ntask; i++) {
		free(r->task[i].key);
		free(r->task[i].cmd);
		free(r->task[i].seq);
		free(r->task[i].fd);
	}
	free(r->task);
	tn_tab_free(&r->tids, free);
	free(r->exedir);
	free(r->cwd);
	free(r->count);
}

void tn_cmp_free(struct tn_cmp *c)
{
	if (!c)
		return;
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < c->side[s].nrun; i++)
			run_fini(&c->side[s].run[i]);
		free(c->side[s].run);
	}
	tn_cmp_intern_fini(&c->keys);
	tn_cmp_intern_fini(&c->names);
	free(c->home);
	free(c->buf);
	free(c->pbuf);
	free(c);
}

static int oom(struct tn_error *e)
{
	return tn_error_set(e, -ENOMEM, "out of memory");
}

/* ---- the members of a record, found in one pass ---- */

/* The members tn-compare reads; NULL when absent (the last one counts). */
struct fields {
	const struct tn_ev_member *tid, *pid, *ppid, *name, *arch, *nr, *ret, *err,
		*path, *path2, *fdpath, *args, *ts, *dur, *thread, *code, *signal;
};

#define KEY(m, lit) ((m)->klen == sizeof(lit) - 1 && !memcmp((m)->key, lit, sizeof(lit) - 1))

static void fields_of(const struct tn_ev_rec *rec, struct fields *f)
{
	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < rec->nmembers; i++) {
		const struct tn_ev_member *m = &rec->members[i];

		switch (m->klen) {
		case 2:
			if (KEY(m, "ts")) f->ts = m;
			else if (KEY(m, "nr")) f->nr = m;
			break;
		case 3:
			if (KEY(m, "tid")) f->tid = m;
			else if (KEY(m, "pid")) f->pid = m;
			else if (KEY(m, "ret")) f->ret = m;
			else if (KEY(m, "err")) f->err = m;
			else if (KEY(m, "dur")) f->dur = m;
			break;
		case 4:
			if (KEY(m, "name")) f->name = m;
			else if (KEY(m, "arch")) f->arch = m;
			else if (KEY(m, "path")) f->path = m;
			else if (KEY(m, "args")) f->args = m;
			else if (KEY(m, "ppid")) f->ppid = m;
			else if (KEY(m, "code")) f->code = m;
			break;
		case 5:
			if (KEY(m, "path2")) f->path2 = m;
			break;
		case 6:
			if (KEY(m, "fdpath")) f->fdpath = m;
			else if (KEY(m, "thread")) f->thread = m;
			else if (KEY(m, "signal")) f->signal = m;
			break;
		}
	}
}

static bool fint(const struct tn_ev_member *m, int64_t *v)
{
	if (!m || m->type != TN_EV_V_INT)
		return false;
	*v = m->i;
	return true;
}

static bool fstr(const struct tn_ev_member *m, const char **s, size_t *n)
{
	if (!m || m->type != TN_EV_V_STR)
		return false;
	*s = m->s;
	*n = m->slen;
	return true;
}

/* ---- the tid map of a first run ---- */

/* tid -> task; a thread that ended keeps its entry, marked dead, so that
 * a tid the kernel hands out again starts a new task. */
struct tident {
	int64_t tid;
	size_t task;            /* SIZE_MAX: ended */
};

static uint64_t tid_hash(int64_t k)
{
	return (uint64_t)k * 0x9e3779b97f4a7c15ull;
}

static bool tid_eq(const void *ent, const void *key)
{
	return ((const struct tident *)ent)->tid == *(const int64_t *)key;
}

static void *tid_mk(const void *key)
{
	struct tident *t = malloc(sizeof(*t));

	if (t) {
		t->tid = *(const int64_t *)key;
		t->task = SIZE_MAX;
	}
	return t;
}

/* The task slot of a live tid, or with insert, the slot to set (NULL: no
 * such live tid, or out of memory). */
static size_t *tid_slot(struct tn_cmp_run *r, int64_t tid, bool insert)
{
	struct tident *t = insert ? tn_tab_get(&r->tids, tid_hash(tid), tid_eq, &tid, tid_mk)
				  : tn_tab_find(&r->tids, tid_hash(tid), tid_eq, &tid);

	return t && (insert || t->task != SIZE_MAX) ? &t->task : NULL;
}

static void tid_forget(struct tn_cmp_run *r, int64_t tid)
{
	size_t *v = tid_slot(r, tid, false);

	if (v)
		*v = SIZE_MAX;
}

/* A new task: a child of parent (SIZE_MAX: a root). */
static struct tn_cmp_task *new_task(struct tn_cmp_run *r, int64_t tid, size_t parent, bool thread)
{
	struct tn_cmp_task *t, *p;
	char key[256];
	size_t *slot;

	if (r->ntask == r->taskcap) {
		size_t cap = r->taskcap ? r->taskcap * 2 : 16;

		t = realloc(r->task, cap * sizeof(*t));
		if (!t)
			return NULL;
		r->task = t;
		r->taskcap = cap;
	}
	p = parent == SIZE_MAX ? NULL : &r->task[parent];
	if (!p)
		snprintf(key, sizeof(key), "%" PRIu32, ++r->nroot);
	else if (thread)
		snprintf(key, sizeof(key), "%st%" PRIu32, p->key, ++r->task[p->proc].nthread);
	else
		snprintf(key, sizeof(key), "%s.%" PRIu32, p->key, ++p->nchild);
	t = &r->task[r->ntask];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->thread = thread && p;
	t->proc = t->thread ? p->proc : r->ntask;
	t->parent = p ? parent : SIZE_MAX;
	t->key = strdup(key);
	t->cmd = strdup(p && p->cmd ? p->cmd : r->cmd ? r->cmd : "?");
	if (!t->key || !t->cmd)
		goto fail;
	if (p && !thread) {
		/* A child starts with a copy of its parent's descriptors. */
		const struct tn_cmp_task *pp = &r->task[p->proc];

		if (pp->nfd) {
			t->fd = malloc(pp->nfd * sizeof(*t->fd));
			if (!t->fd)
				goto fail;
			memcpy(t->fd, pp->fd, pp->nfd * sizeof(*t->fd));
			t->nfd = pp->nfd;
		}
		t->fdnext = pp->fdnext;
	} else if (!p) {
		t->fdnext = 3;  /* 0, 1 and 2 are inherited: they keep their numbers */
	}
	slot = tid_slot(r, tid, true);
	if (!slot)
		goto fail;
	*slot = r->ntask;
	r->ntask++;
	return t;
fail:
	free(t->key);
	free(t->cmd);
	free(t->fd);
	return NULL;
}

static struct tn_cmp_task *task_of(struct tn_cmp_run *r, int64_t tid)
{
	size_t *v = tid_slot(r, tid, false);

	return v ? &r->task[*v] : new_task(r, tid, SIZE_MAX, false);
}

static const char *base_name(const char *s, size_t n, size_t *ret_n)
{
	const char *b = s;

	for (size_t i = 0; i < n; i++)
		if (s[i] == '/')
			b = s + i + 1;
	*ret_n = n - (size_t)(b - s);
	return b;
}

/* ---- fds ---- */

static uint32_t fd_get(const struct tn_cmp_task *p, int64_t fd)
{
	if (fd < 0)
		return UINT32_MAX;
	if (fd < 3)
		return (uint32_t)fd;
	return (uint64_t)fd < p->nfd && p->fd[fd] ? p->fd[fd] - 1 : UINT32_MAX;
}

static int fd_new(struct tn_cmp_task *p, int64_t fd)
{
	if (fd < 3 || fd > (1 << 24))
		return 0;
	if ((uint64_t)fd >= p->nfd) {
		size_t n = (size_t)fd * 2 + 8;
		uint32_t *v = realloc(p->fd, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		memset(v + p->nfd, 0, (n - p->nfd) * sizeof(*v));
		p->fd = v;
		p->nfd = n;
	}
	p->fd[fd] = ++p->fdnext;        /* ordinal + 1: ordinals start at 3 */
	return 0;
}

static void fd_close(struct tn_cmp_task *p, int64_t fd)
{
	if (fd >= 3 && (uint64_t)fd < p->nfd)
		p->fd[fd] = 0;
}

/*
 * The first two integer arguments of a syscall record.  The reader does not
 * split nested arrays, so "args" is found in the raw line: tn-trace writes
 * records compactly, and a key inside a string would have its quotes
 * escaped.
 */
static int args2(const struct tn_ev_rec *rec, const struct tn_ev_member *m,
		 int64_t *a0, int64_t *a1)
{
	const char *p = rec->line, *end = rec->line + rec->len;
	int n = 0;

	if (!m || m->type != TN_EV_V_ARRAY)
		return 0;
	/* The fast scanner's keys point into the line: the value follows. */
	if (m->key > rec->line && m->key + m->klen + 2 < end && m->key[m->klen] == '"' &&
	    m->key[m->klen + 1] == ':' && m->key[m->klen + 2] == '[') {
		p = m->key + m->klen + 2;
	} else {
		for (;;) {
			p = memmem(p, (size_t)(end - p), "\"args\":[", 8);
			if (!p)
				return 0;
			if (p == rec->line || p[-1] != '\\')
				break;
			p += 8;
		}
		p += 7;
	}
	p++;
	while (n < 2 && p < end && *p != ']') {
		char *q;
		long long v = strtoll(p, &q, 10);

		if (q == p)
			return n;       /* a string (pointer): not a descriptor */
		(n ? a1 : a0)[0] = v;
		n++;
		p = q;
		if (p < end && *p == ',')
			p++;
	}
	return n;
}

/* Append an interned call to a task's sequence. */
static int push(struct tn_cmp_task *t, uint32_t id)
{
	if (t->len == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		uint32_t *v = realloc(t->seq, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->seq = v;
		t->cap = cap;
	}
	t->seq[t->len++] = id;
	return 0;
}

/* ---- one call to its string ---- */

struct sbuf { char *p; size_t len, cap; int err; };

static void sput(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->p, cap);

		if (!p) {
			b->err = -ENOMEM;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

/* "fd" and a number, or "fd?" and a raw one: snprintf showed in profiles. */
static void sput_fd(struct sbuf *b, const char *prefix, int64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	sput(b, prefix, strlen(prefix));
	sput(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

static void sputs(struct sbuf *b, const char *s)
{
	sput(b, s, strlen(s));
}

static void sput_path(struct tn_cmp *c, struct sbuf *b, const struct tn_cmp_run *r,
		      const char *p, size_t n, char open, char close)
{
	long len = tn_cmp_norm_path(c, r, p, n, &c->pbuf, &c->pbufcap);

	if (len < 0) {
		b->err = (int)len;
		return;
	}
	sput(b, &open, 1);
	sput(b, c->pbuf, (size_t)len);
	sput(b, &close, 1);
}

static int add_call(struct tn_cmp *c, struct tn_cmp_run *r, struct tn_cmp_task *t,
		    const struct tn_ev_rec *rec, const struct fields *f, const char *name, size_t nlen)
{
	struct sbuf b = { c->buf, 0, c->bufcap, 0 };
	struct tn_cmp_task *p = &r->task[t->proc];
	const struct tn_sysent *se = NULL;
	const char *s, *arch = NULL;
	size_t sn, an = 0;
	int64_t nr = -1, ret = 0, a0 = -1, a1 = -1;
	bool has_ret = fint(f->ret, &ret), first = true;
	enum tn_arch a = TN_ARCH_UNKNOWN;
	uint32_t id, nid;
	int nargs;

	if (fstr(f->arch, &arch, &an)) {
		for (int i = 0; i < TN_ARCH_COUNT; i++) {
			const char *m = tn_arch_name((enum tn_arch)i);

			if (strlen(m) == an && !memcmp(m, arch, an))
				a = (enum tn_arch)i;
		}
	}
	if (a == TN_ARCH_UNKNOWN)
		a = tn_arch_native();
	if (!fint(f->nr, &nr) || nr < 0) {
		char tmp[64];

		snprintf(tmp, sizeof(tmp), "%.*s", (int)(nlen < 63 ? nlen : 63), name);
		nr = tn_sys_lookup(a, tmp);
	}
	if (nr >= 0) {
		if (tn_trace_filter_has(&c->o->noise, a, (uint32_t)nr))
			return 0;
		se = tn_sysent(a, (uint32_t)nr);
	}
	nargs = args2(rec, f->args, &a0, &a1);
	sput(&b, name, nlen);
	sputs(&b, "(");
	if (se && nargs >= 1 && (se->fd == TN_FD_ARG0 || se->fd == TN_FD_CLOSE)) {
		uint32_t o = fd_get(p, a0);

		if (o == UINT32_MAX)
			sput_fd(&b, "fd?", a0);
		else
			sput_fd(&b, "fd", o);
		if (fstr(f->fdpath, &s, &sn))
			sput_path(c, &b, r, s, sn, '<', '>');
		first = false;
	}
	if (fstr(f->path, &s, &sn)) {
		if (!first)
			sputs(&b, ", ");
		sput_path(c, &b, r, s, sn, '"', '"');
		first = false;
	}
	if (fstr(f->path2, &s, &sn)) {
		if (!first)
			sputs(&b, ", ");
		sput_path(c, &b, r, s, sn, '"', '"');
	}
	sputs(&b, ") = ");
	if (!has_ret) {
		sputs(&b, "?");
	} else if (fstr(f->err, &s, &sn)) {
		sput(&b, s, sn);
	} else if (ret < 0 && ret >= -4095) {
		sput_fd(&b, "E", -ret);
	} else if (se && se->fd == TN_FD_NEW) {
		if (fd_new(p, ret) < 0)
			b.err = -ENOMEM;
		sput_fd(&b, "fd", fd_get(p, ret));
	} else if (se && se->spawn != TN_SPAWN_NONE) {
		sputs(&b, "CHILD");
	} else {
		sputs(&b, ret == 0 ? "0" : ret > 0 ? "+" : "-");
	}
	if (has_ret && se && ret >= 0) {
		if (se->fd == TN_FD_CLOSE && nargs >= 1)
			fd_close(p, a0);
		else if (se->fd == TN_FD_TO1 && nargs >= 2 && fd_new(p, a1) < 0)
			b.err = -ENOMEM;
	}
	c->buf = b.p;
	c->bufcap = b.cap;
	if (b.err)
		return b.err;
	if (tn_cmp_intern(&c->keys, b.p, b.len, &id) < 0 ||
	    tn_cmp_intern(&c->names, name, nlen, &nid) < 0)
		return -ENOMEM;
	tn_cmp_ent(&c->keys, id)->name = nid;
	if (nid >= r->ncount) {
		size_t n = nid * 2 + 16;
		uint64_t *v = realloc(r->count, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		memset(v + r->ncount, 0, (n - r->ncount) * sizeof(*v));
		r->count = v;
		r->ncount = n;
	}
	r->count[nid]++;
	return push(t, id);
}

/* A pseudo-call that ends a task's sequence: how it ended. */
static int add_end(struct tn_cmp *c, struct tn_cmp_task *t, const struct fields *f)
{
	char text[96];
	const char *sig;
	size_t sn;
	int64_t code;
	uint32_t id, nid;

	if (fint(f->code, &code))
		snprintf(text, sizeof(text), "+++ exited with %" PRId64 " +++", code);
	else if (fstr(f->signal, &sig, &sn))
		snprintf(text, sizeof(text), "+++ killed by %.*s +++", (int)(sn < 32 ? sn : 32), sig);
	else
		snprintf(text, sizeof(text), "+++ ended +++");
	if (tn_cmp_intern(&c->keys, text, strlen(text), &id) < 0 ||
	    tn_cmp_intern(&c->names, "+++", 3, &nid) < 0)
		return -ENOMEM;
	tn_cmp_ent(&c->keys, id)->name = nid;
	return push(t, id);
}

/* The structure of a first run, one record at a time. */
static int structure(struct tn_cmp *c, struct tn_cmp_run *r, const struct tn_ev_rec *rec,
		     const struct fields *f)
{
	struct tn_cmp_task *t;
	int64_t tid = -1, pid = -1, ppid = -1;
	const char *s;
	size_t sn;
	bool thread = false;

	if (!fint(f->tid, &tid) && !fint(f->pid, &tid))
		return 0;
	fint(f->pid, &pid);
	switch (rec->kind) {
	case TN_EV_K_PROC: {
		size_t *pv;

		thread = f->thread && f->thread->type == TN_EV_V_BOOL && f->thread->b;
		if (thread)
			pv = tid_slot(r, pid, false);
		else
			pv = fint(f->ppid, &ppid) ? tid_slot(r, ppid, false) : NULL;
		return new_task(r, tid, pv ? *pv : SIZE_MAX, thread) ? 0 : -ENOMEM;
	}
	case TN_EV_K_EXEC:
		if (!(t = task_of(r, tid)))
			return -ENOMEM;
		if (fstr(f->path, &s, &sn)) {
			size_t bn;
			const char *b = base_name(s, sn, &bn);
			char *cmd = strndup(b, bn);

			if (!cmd)
				return -ENOMEM;
			free(t->cmd);
			t->cmd = cmd;
			/* The program's own directory: from the first exec of the
			 * first process, when it names an absolute path. */
			if (!r->exedir && t == &r->task[0] && sn && s[0] == '/' && b - s > 1) {
				r->exedir = strndup(s, (size_t)(b - s - 1));
				if (!r->exedir)
					return -ENOMEM;
			}
		}
		return 0;
	case TN_EV_K_SYSCALL:
		if (!fstr(f->name, &s, &sn))
			return 0;
		if (!(t = task_of(r, tid)))
			return -ENOMEM;
		return add_call(c, r, t, rec, f, s, sn);
	case TN_EV_K_EXIT: {
		size_t *v = tid_slot(r, tid, false);
		int rc;

		if (!v)
			return 0;
		rc = add_end(c, &r->task[*v], f);
		tid_forget(r, tid);
		return rc;
	}
	default:
		return 0;
	}
}

/* ---- runs ---- */

static struct tn_cmp_run *new_run(struct tn_cmp_side *sd, const char *file, unsigned long line)
{
	struct tn_cmp_run *v = realloc(sd->run, (sd->nrun + 1) * sizeof(*v)), *r;

	if (!v)
		return NULL;
	sd->run = v;
	r = &v[sd->nrun++];
	memset(r, 0, sizeof(*r));
	r->file = file;
	r->line = line;
	r->schema = -1;
	tn_sum_init(&r->sum);
	return r;
}

static int header(struct tn_cmp_run *r, struct tn_cmp_side *sd, const struct tn_ev_rec *rec,
		  const char *name, struct tn_error *e)
{
	const char *argv = NULL, *p;
	size_t n;

	if (!tn_ev_rec_int(rec, "schema", &r->schema))
		return tn_error_set_at(e, -EPROTO, name, rec->lineno, 1,
				       "header without a schema version");
	if (r->schema != TN_EV_SCHEMA)
		return tn_error_set_at(e, -EPROTO, name, rec->lineno, 1,
				       "schema version %" PRId64 ", this tn-compare reads %d",
				       r->schema, TN_EV_SCHEMA);
	if (sd->nrun > 1 && sd->run[0].schema >= 0 && sd->run[0].schema != r->schema)
		return tn_error_set_at(e, -EPROTO, name, rec->lineno, 1,
				       "schema version %" PRId64 " differs from %" PRId64 " in %s",
				       r->schema, sd->run[0].schema, sd->run[0].file);
	if (tn_ev_rec_str(rec, "cwd", &p, &n) && n > 1 && !(r->cwd = strndup(p, n)))
		return oom(e);
	/* argv[0] from the raw line: the reader does not split arrays. */
	p = memmem(rec->line, rec->len, "\"argv\":[\"", 9);
	if (p) {
		const char *q = p + 9, *end = rec->line + rec->len, *b = q;

		while (q < end && *q != '"') {
			if (*q == '\\')
				q++;
			else if (*q == '/')
				b = q + 1;
			q++;
		}
		argv = b;
		r->cmd = strndup(argv, (size_t)(q - b));
		if (!r->cmd)
			return oom(e);
	}
	return 0;
}

int tn_cmp_read_fd(struct tn_cmp *c, int side, int fd, const char *name, struct tn_error *e)
{
	struct tn_cmp_side *sd = &c->side[side];
	struct tn_ev_reader *rd = tn_ev_reader_new_fd(fd, name);
	const struct tn_ev_rec *rec;
	struct tn_cmp_run *r = NULL;
	int rc;

	if (!rd)
		return oom(e);
	if (!sd->first_file)
		sd->first_file = name;
	while ((rc = tn_ev_reader_next(rd, &rec, e)) > 0) {
		struct fields f;
		int64_t ts, dur;

		sd->records++;
		if (rec->kind == TN_EV_K_HEADER || !r) {
			if (!(r = new_run(sd, name, rec->kind == TN_EV_K_HEADER ? rec->lineno : 0))) {
				rc = oom(e);
				break;
			}
			if (rec->kind == TN_EV_K_HEADER && (rc = header(r, sd, rec, name, e)) < 0)
				break;
		}
		if (tn_sum_add(&r->sum, rec, e) < 0) {
			rc = -ENOMEM;
			break;
		}
		if (rec->kind == TN_EV_K_SYSCALL || rec->kind == TN_EV_K_SPAN)
			r->events++;
		if (rec->kind == TN_EV_K_HEADER)
			continue;
		fields_of(rec, &f);
		if (fint(f.ts, &ts) && ts >= 0) {
			if (!fint(f.dur, &dur) || dur < 0)
				dur = 0;
			if (!r->have_ts || (uint64_t)ts < r->ts_min)
				r->ts_min = (uint64_t)ts;
			if (!r->have_ts || (uint64_t)(ts + dur) > r->ts_max)
				r->ts_max = (uint64_t)(ts + dur);
			r->have_ts = true;
		}
		if (r == &sd->run[0] && (rc = structure(c, r, rec, &f)) < 0) {
			oom(e);
			break;
		}
	}
	tn_ev_reader_free(rd);
	return rc < 0 ? rc : 0;
}
