/* Aggregation of syscalls, processes and compute spans (summary.h). */
#include "summary.h"

#include "events.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "io.h"
#include "jsonpos.h"

static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static bool streqn(const char *z, const char *s, size_t n)
{
	return strncmp(z, s, n) == 0 && z[n] == '\0';
}

/* ---- keys ---- */

struct key2 {
	const char *a;
	size_t alen;
	const char *b;
	size_t blen;
};

static bool sys_eq(const void *ent, const void *key)
{
	const struct tn_sum_sys *c = ent;
	const struct key2 *k = key;

	return streqn(c->name, k->a, k->alen) && streqn(c->arch, k->b, k->blen);
}

static void *sys_mk(const void *key)
{
	const struct key2 *k = key;
	struct tn_sum_sys *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->name = dupn(k->a, k->alen);
	c->arch = dupn(k->b, k->blen);
	if (!c->name || !c->arch) {
		free(c->name);
		free(c->arch);
		free(c);
		return NULL;
	}
	c->nr = -1;
	c->min_ns = UINT64_MAX;
	tn_hist_init(&c->hist);
	return c;
}

static void sys_free(void *p)
{
	struct tn_sum_sys *c = p;

	tn_hist_fini(&c->hist);
	free(c->name);
	free(c->arch);
	free(c);
}

/* A span kind: operation, backend and phase (a device's upload, kernel and download apart). */
struct skey {
	struct key2 k;
	const char *p;
	size_t plen;
};

static bool span_eq(const void *ent, const void *key)
{
	const struct tn_sum_span *c = ent;
	const struct skey *k = key;

	return streqn(c->name, k->k.a, k->k.alen) && streqn(c->backend, k->k.b, k->k.blen) &&
	       streqn(c->phase, k->p, k->plen);
}

static void *span_mk(const void *key)
{
	const struct skey *k = key;
	struct tn_sum_span *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->name = dupn(k->k.a, k->k.alen);
	c->backend = dupn(k->k.b, k->k.blen);
	c->phase = dupn(k->p, k->plen);
	if (!c->name || !c->backend || !c->phase) {
		free(c->name);
		free(c->backend);
		free(c->phase);
		free(c);
		return NULL;
	}
	c->min_ns = UINT64_MAX;
	tn_hist_init(&c->hist);
	return c;
}

static void span_free(void *p)
{
	struct tn_sum_span *c = p;

	tn_hist_fini(&c->hist);
	free(c->name);
	free(c->backend);
	free(c->phase);
	free(c);
}

struct pkey {
	uint64_t run;
	int64_t pid;
};

static bool proc_eq(const void *ent, const void *key)
{
	const struct tn_sum_proc *p = ent;
	const struct pkey *k = key;

	return p->run == k->run && p->pid == k->pid;
}

static void *proc_mk(const void *key)
{
	const struct pkey *k = key;
	struct tn_sum_proc *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->run = k->run;
	p->pid = k->pid;
	p->ppid = -1;
	return p;
}

static void proc_free(void *p)
{
	struct tn_sum_proc *c = p;

	free(c->exe);
	free(c->signal);
	free(c);
}

/* ---- accounting ---- */

/*
 * Sums saturate: one past 2^63 - 1 ns (292 years) stays there instead of
 * wrapping to a small number (issue 8, item 7; tn-summarize(1) says so).
 * 2^63 - 1, not 2^64 - 1: every integer of a summary record then fits
 * int64_t, so jansson, jq's integers and tn's own reader take it back.
 */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_add_overflow(a, b, &r) || r > TN_SUM_MAX ? TN_SUM_MAX : r;
}

void tn_sum_init(struct tn_sum *s)
{
	memset(s, 0, sizeof(*s));
	tn_hist_init(&s->all);
}

void tn_sum_fini(struct tn_sum *s)
{
	tn_tab_free(&s->sys, sys_free);
	tn_tab_free(&s->proc, proc_free);
	tn_tab_free(&s->span, span_free);
	tn_hist_fini(&s->all);
	free(s->native_arch);
	memset(s, 0, sizeof(*s));
}

static int oom(struct tn_sum *s, struct tn_error *e)
{
	s->oom = 1;
	return tn_error_set(e, -ENOMEM, "out of memory");
}

static struct tn_sum_proc *proc_of(struct tn_sum *s, const struct tn_ev_rec *rec)
{
	struct pkey k = { s->runs, 0 };

	if (!tn_ev_rec_int(rec, "pid", &k.pid))
		return (struct tn_sum_proc *)rec;      /* no pid: nothing to account */
	return tn_tab_get(&s->proc, tn_fnv1a64(TN_FNV1A64_INIT, &k, sizeof(k)), proc_eq, &k, proc_mk);
}

/* A string member copied (NULL when absent); *bad set when out of memory. */
static int set_str(char **dst, const struct tn_ev_rec *rec, const char *key)
{
	const char *v;
	size_t n;
	char *d;

	if (!tn_ev_rec_str(rec, key, &v, &n))
		return 0;
	d = dupn(v, n);
	if (!d)
		return -ENOMEM;
	free(*dst);
	*dst = d;
	return 0;
}

static uint64_t nonneg(const struct tn_ev_rec *rec, const char *key)
{
	int64_t v;

	return tn_ev_rec_int(rec, key, &v) && v > 0 ? (uint64_t)v : 0;
}

/* The members a syscall record is summed by, in one pass (the last of
 * duplicate members counts, as everywhere in tn-events(5)). */
struct sysrec {
	struct key2 k;          /* name, arch */
	bool has_name, has_arch, has_pid, has_err, has_ret;
	int64_t nr, ret, dur, pid;
};

static bool is_key(const struct tn_ev_member *m, const char *key, size_t n)
{
	return m->key[0] == key[0] && memcmp(m->key, key, n) == 0;
}

static void sysrec_of(const struct tn_ev_rec *rec, struct sysrec *r)
{
	memset(r, 0, sizeof(*r));
	r->nr = -1;
	for (size_t i = 0; i < rec->nmembers; i++) {
		const struct tn_ev_member *m = &rec->members[i];
		bool str = m->type == TN_EV_V_STR, num = m->type == TN_EV_V_INT;

		switch (m->klen) {
		case 2:
			if (is_key(m, "nr", 2))
				r->nr = num ? m->i : -1;
			break;
		case 3:
			if (is_key(m, "pid", 3)) {
				r->has_pid = num;
				r->pid = m->i;
			} else if (is_key(m, "ret", 3)) {
				r->has_ret = num;
				r->ret = m->i;
			} else if (is_key(m, "err", 3)) {
				r->has_err = str;
			} else if (is_key(m, "dur", 3)) {
				r->dur = num && m->i > 0 ? m->i : 0;
			}
			break;
		case 4:
			if (is_key(m, "name", 4)) {
				r->has_name = str;
				r->k.a = m->s;
				r->k.alen = m->slen;
			} else if (is_key(m, "arch", 4)) {
				r->has_arch = str;
				r->k.b = m->s;
				r->k.blen = m->slen;
			}
			break;
		default:
			break;
		}
	}
}

static int add_syscall(struct tn_sum *s, const struct tn_ev_rec *rec, struct tn_error *e)
{
	struct tn_sum_sys *c;
	struct sysrec r;
	uint64_t dur;
	bool err;

	sysrec_of(rec, &r);
	if (!r.has_name)
		return 0;               /* documented: not counted */
	if (!r.has_ret) {
		/* It never returned (exit_group, a thread killed in a call):
		 * strace -c counts calls at their exit, so it is left out. */
		s->unfinished++;
		return 0;
	}
	if (!r.has_arch) {
		r.k.b = s->native_arch ? s->native_arch : "";
		r.k.blen = strlen(r.k.b);
	}
	c = tn_tab_get(&s->sys, tn_fnv1a64(tn_fnv1a64(TN_FNV1A64_INIT, r.k.a, r.k.alen), r.k.b, r.k.blen),
		    sys_eq, &r.k, sys_mk);
	if (!c)
		return oom(s, e);
	if (c->nr < 0 && r.nr >= 0)
		c->nr = r.nr;
	err = r.has_err || (r.has_ret && r.ret >= -TN_EV_ERRNO_MAX && r.ret <= -1);
	dur = (uint64_t)r.dur;
	c->calls++;
	c->errors += err;
	c->total_ns = sat_add(c->total_ns, dur);
	if (dur < c->min_ns)
		c->min_ns = dur;
	if (dur > c->max_ns)
		c->max_ns = dur;
	if (tn_hist_add(&c->hist, dur) < 0 || tn_hist_add(&s->all, dur) < 0)
		return oom(s, e);
	if (r.has_pid) {
		struct pkey k = { s->runs, r.pid };
		struct tn_sum_proc *p = tn_tab_get(&s->proc, tn_fnv1a64(TN_FNV1A64_INIT, &k, sizeof(k)),
						proc_eq, &k, proc_mk);

		if (!p)
			return oom(s, e);
		p->syscalls++;
		p->errors += err;
		p->sys_ns = sat_add(p->sys_ns, dur);
	}
	return 0;
}

static int add_process(struct tn_sum *s, const struct tn_ev_rec *rec, struct tn_error *e)
{
	struct tn_sum_proc *p = proc_of(s, rec);
	bool thread = false;

	if (!p)
		return oom(s, e);
	if ((const void *)p == (const void *)rec)
		return 0;
	switch (rec->kind) {
	case TN_EV_K_PROC:
		/* A thread's parent is its own process: only processes say. */
		tn_ev_rec_bool(rec, "thread", &thread);
		if (!thread)
			tn_ev_rec_int(rec, "ppid", &p->ppid);
		break;
	case TN_EV_K_EXEC:
		if (set_str(&p->exe, rec, "path") < 0)
			return oom(s, e);
		break;
	case TN_EV_K_EXIT:
		tn_ev_rec_bool(rec, "thread", &thread);
		if (thread)
			break;
		p->exited = true;
		p->has_code = tn_ev_rec_int(rec, "code", &p->code);
		if (set_str(&p->signal, rec, "signal") < 0)
			return oom(s, e);
		tn_ev_rec_bool(rec, "core", &p->core);
		p->has_wall = tn_ev_rec_int(rec, "wall", &p->wall);
		p->has_utime = tn_ev_rec_int(rec, "utime", &p->utime);
		p->has_stime = tn_ev_rec_int(rec, "stime", &p->stime);
		p->has_maxrss = tn_ev_rec_int(rec, "maxrss", &p->maxrss);
		break;
	default:
		break;
	}
	return 0;
}

static int add_span(struct tn_sum *s, const struct tn_ev_rec *rec, struct tn_error *e)
{
	/* A span without a phase (before libtn 0.2) timed the whole operation: "kernel". */
	struct skey k = { { "", 0, "", 0 }, "kernel", 6 };
	struct tn_sum_span *c;
	uint64_t dur, h;

	tn_ev_rec_str(rec, "name", &k.k.a, &k.k.alen);
	tn_ev_rec_str(rec, "backend", &k.k.b, &k.k.blen);
	tn_ev_rec_str(rec, "phase", &k.p, &k.plen);
	h = tn_fnv1a64(tn_fnv1a64(TN_FNV1A64_INIT, k.k.a, k.k.alen), k.k.b, k.k.blen);
	/* The NUL between fields: ("ab", "c") and ("a", "bc") differ. */
	h = tn_fnv1a64(tn_fnv1a64(h, "", 1), k.p, k.plen);
	c = tn_tab_get(&s->span, h ^ 1, span_eq, &k, span_mk);
	if (!c)
		return oom(s, e);
	dur = nonneg(rec, "dur");
	c->count++;
	c->total_ns = sat_add(c->total_ns, dur);
	c->n = sat_add(c->n, nonneg(rec, "n"));
	c->bytes = sat_add(c->bytes, nonneg(rec, "bytes"));
	if (dur < c->min_ns)
		c->min_ns = dur;
	if (dur > c->max_ns)
		c->max_ns = dur;
	if (tn_hist_add(&c->hist, dur) < 0)
		return oom(s, e);
	return 0;
}

/* ---- the header's schema ---- */

/* 1-based column, in characters, of the value of the last top-level member
 * spelt "schema" in the raw line; 1 when there is none (an escaped key). */
static unsigned long schema_col(const struct tn_ev_rec *rec)
{
	size_t at = tn_json_member_at(rec->line, rec->len, "schema", -1);
	unsigned long col = 1;

	if (at == SIZE_MAX)
		return 1;
	for (size_t j = 0; j < at; j++)
		col += ((unsigned char)rec->line[j] & 0xC0) != 0x80;
	return col;
}

/*
 * A header whose schema this reader does not know is an error, not a stream
 * to sum as version 1 (issue 8; tn-events(5), RULES): a newer schema may
 * have renamed or redefined the members the sums come from.  No "schema" at
 * all is taken as version 1 (hand-written streams).
 */
int tn_sum_check_schema(const struct tn_ev_rec *rec, const char *input, struct tn_error *e)
{
	const struct tn_ev_member *m = tn_ev_rec_get(rec, "schema");

	if (!m || (m->type == TN_EV_V_INT && m->i == TN_EV_SCHEMA))
		return 0;
	if (m->type == TN_EV_V_INT && m->i > TN_EV_SCHEMA)
		return tn_error_set_at(e, -EPROTONOSUPPORT, input, rec->lineno, schema_col(rec),
				       "schema %" PRId64 " is newer than this reader's (%d)", m->i,
				       TN_EV_SCHEMA);
	return tn_error_set_at(e, -EPROTONOSUPPORT, input, rec->lineno, schema_col(rec),
			       "\"schema\" must be the integer %d (this reader's version)",
			       TN_EV_SCHEMA);
}

int tn_sum_add(struct tn_sum *s, const struct tn_ev_rec *rec, struct tn_error *e)
{
	s->records++;
	switch (rec->kind) {
	case TN_EV_K_SYSCALL:
		return add_syscall(s, rec, e);
	case TN_EV_K_HEADER:
		if (tn_sum_check_schema(rec, s->input, e) < 0) {
			s->records--;   /* not taken in */
			return e ? e->code : -EPROTONOSUPPORT;
		}
		s->runs++;
		if (!s->native_arch && set_str(&s->native_arch, rec, "arch") < 0)
			return oom(s, e);
		return 0;
	case TN_EV_K_PROC:
	case TN_EV_K_EXEC:
	case TN_EV_K_EXIT:
		return add_process(s, rec, e);
	case TN_EV_K_SPAN:
		return add_span(s, rec, e);
	case TN_EV_K_OTHER:
		s->other++;
		return 0;
	default:
		return 0;
	}
}

void tn_sum_total(const struct tn_sum *s, struct tn_sum_total *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < s->sys.len; i++) {
		const struct tn_sum_sys *c = s->sys.order[i];

		t->calls += c->calls;
		t->errors += c->errors;
		t->total_ns = sat_add(t->total_ns, c->total_ns);
	}
}
