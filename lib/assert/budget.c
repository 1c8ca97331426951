/* SPDX-License-Identifier: MIT */
/*
 * The budgets of tn-assert (tn-assert.yaml(5)) read with libyaml's event
 * API.  All events are read first, so that an alias can be replayed from
 * the events of its anchor; the replay counts every event it hands out and
 * stops at TN_ASR_NODES_MAX, so an alias bomb costs its file's size in
 * memory and a bounded walk, never its expansion.  Each assertion is a
 * mapping whose keys are checked against one table: which types take the
 * key, which need it, and what its value is.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "assert.h"
#include "io.h"

#define TN_ASR_NODES_MAX 100000u        /* events after alias expansion */
#define TN_ASR_EVENTS_MAX 200000u       /* events in the file itself */

/* ---- the events, read once ---- */

struct ev {
	yaml_event_type_t type;
	char *value;            /* scalar: its text; alias: the anchor's name */
	char *anchor;
	size_t end;             /* a node's last event (itself for a scalar) */
	size_t target;          /* alias: the anchored node's first event */
	uint64_t cum;           /* events up to this one, aliases expanded */
	unsigned long line, col;
};

struct doc {
	struct ev *ev;
	size_t n;
	const char *name;
	struct tn_error *e;
	/* the replay */
	struct { size_t pos, end; } stack[64];
	unsigned depth;
	size_t pos, delivered;
};

static void doc_free(struct doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->ev[i].value);
		free(d->ev[i].anchor);
	}
	free(d->ev);
}

__attribute__((format(printf, 3, 4)))
static int at(struct doc *d, const struct ev *v, const char *fmt, ...)
{
	char msg[sizeof(d->e->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tn_error_set_at(d->e, -EINVAL, d->name, v ? v->line : 0, v ? v->col : 0, "%s", msg);
	return -EINVAL;
}

static char *dup_or_null(const unsigned char *s, size_t n)
{
	char *r;

	if (!s)
		return NULL;
	if (!(r = malloc(n + 1)))
		return NULL;
	memcpy(r, s, n);
	r[n] = 0;
	return r;
}

/* Read every event; resolve each alias to its anchor's node. */
static int doc_read(struct doc *d, const char *text, size_t len)
{
	yaml_parser_t p;
	yaml_event_t y;
	size_t open[256], nopen = 0, cap = 0;
	int r = 0;

	if (!yaml_parser_initialize(&p))
		return tn_error_set(d->e, -ENOMEM, "out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	for (;;) {
		struct ev *v;

		if (!yaml_parser_parse(&p, &y)) {
			char msg[300];

			snprintf(msg, sizeof(msg), "%s%s%s", p.context ? p.context : "",
				 p.context ? ": " : "", p.problem ? p.problem : "invalid YAML");
			tn_error_set_at(d->e, -EINVAL, d->name, p.problem_mark.line + 1,
					p.problem_mark.column + 1, "%s", msg);
			r = -EINVAL;
			break;
		}
		if (d->n == TN_ASR_EVENTS_MAX) {
			r = tn_error_set_at(d->e, -EINVAL, d->name, y.start_mark.line + 1,
					    y.start_mark.column + 1, "more than %u YAML events",
					    TN_ASR_EVENTS_MAX);
			yaml_event_delete(&y);
			break;
		}
		if (d->n == cap) {
			struct ev *nv = realloc(d->ev, (cap = cap ? 2 * cap : 64) * sizeof(*nv));

			if (!nv) {
				yaml_event_delete(&y);
				r = tn_error_set(d->e, -ENOMEM, "out of memory");
				break;
			}
			d->ev = nv;
		}
		v = &d->ev[d->n];
		memset(v, 0, sizeof(*v));
		v->type = y.type;
		v->line = y.start_mark.line + 1;
		v->col = y.start_mark.column + 1;
		v->end = d->n;
		d->n++;
		if (y.type == YAML_SCALAR_EVENT) {
			v->value = dup_or_null(y.data.scalar.value, y.data.scalar.length);
			if (y.data.scalar.anchor)
				v->anchor = strdup((char *)y.data.scalar.anchor);
		} else if (y.type == YAML_SEQUENCE_START_EVENT || y.type == YAML_MAPPING_START_EVENT) {
			if (y.data.sequence_start.anchor)      /* same layout for mappings */
				v->anchor = strdup((char *)y.data.sequence_start.anchor);
			if (nopen == sizeof(open) / sizeof(open[0])) {
				yaml_event_delete(&y);
				r = at(d, v, "nested deeper than %s levels%s", "256", "");
				break;
			}
			open[nopen++] = d->n - 1;
		} else if (y.type == YAML_SEQUENCE_END_EVENT || y.type == YAML_MAPPING_END_EVENT) {
			if (nopen)
				d->ev[open[--nopen]].end = d->n - 1;
		} else if (y.type == YAML_ALIAS_EVENT) {
			size_t i;

			v->value = strdup((char *)y.data.alias.anchor);
			/* The latest node with that anchor that is complete. */
			for (i = d->n - 1; i-- > 0;)
				if (d->ev[i].anchor && !strcmp(d->ev[i].anchor, v->value))
					break;
			if (i == (size_t)-1) {
				yaml_event_delete(&y);
				r = at(d, v, "undefined alias '%s'%s", v->value, "");
				break;
			}
			for (size_t k = 0; k < nopen; k++)
				if (open[k] == i) {
					yaml_event_delete(&y);
					r = at(d, v, "alias '%s' refers to a node that contains it%s",
					       v->value, "");
					goto out;
				}
			v->target = i;
		}
		/* What the document holds with every alias replaced by its node:
		 * the bound is checked here, before the budgets are looked at. */
		v->cum = (d->n > 1 ? d->ev[d->n - 2].cum : 0) +
			 (y.type != YAML_ALIAS_EVENT ? 1 :
			  d->ev[d->ev[v->target].end].cum - (v->target ? d->ev[v->target - 1].cum : 0));
		if (v->cum > TN_ASR_NODES_MAX) {
			yaml_event_delete(&y);
			r = at(d, v, "aliases expand to more than %u nodes", TN_ASR_NODES_MAX);
			break;
		}
		if ((y.type == YAML_SCALAR_EVENT && !v->value) ||
		    (y.type == YAML_ALIAS_EVENT && !v->value)) {
			yaml_event_delete(&y);
			r = tn_error_set(d->e, -ENOMEM, "out of memory");
			break;
		}
		if (y.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&y);
			break;
		}
		yaml_event_delete(&y);
	}
out:
	yaml_parser_delete(&p);
	return r;
}

/* The next event of the document, aliases replayed; NULL after an error. */
static const struct ev *next(struct doc *d)
{
	for (;;) {
		const struct ev *v;

		while (d->depth && d->pos > d->stack[d->depth - 1].end) {
			d->depth--;
			d->pos = d->stack[d->depth].pos;
		}
		if (d->pos >= d->n) {
			at(d, NULL, "unexpected end of the budgets%s%s", "", "");
			return NULL;
		}
		v = &d->ev[d->pos++];
		if (++d->delivered > TN_ASR_NODES_MAX) {
			tn_error_set_at(d->e, -EINVAL, d->name, v->line, v->col,
					"aliases expand to more than %u nodes", TN_ASR_NODES_MAX);
			return NULL;
		}
		if (v->type != YAML_ALIAS_EVENT)
			return v;
		if (d->depth == sizeof(d->stack) / sizeof(d->stack[0])) {
			at(d, v, "aliases nested too deeply%s%s", "", "");
			return NULL;
		}
		d->stack[d->depth].pos = d->pos;
		d->stack[d->depth].end = d->ev[v->target].end;
		d->depth++;
		d->pos = v->target;
	}
}

/* ---- values ---- */

struct unit {
	const char *suffix;
	double mult;
};

static const struct unit durations[] = {
	{ "ns", 1 }, { "us", 1e3 }, { "\xc2\xb5s", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { NULL, 0 },
};
static const struct unit bytes[] = {
	{ "", 1 }, { "B", 1 }, { "kB", 1e3 }, { "KB", 1e3 }, { "KiB", 1024.0 },
	{ "MB", 1e6 }, { "MiB", 1048576.0 }, { "GB", 1e9 }, { "GiB", 1073741824.0 },
	{ "TB", 1e12 }, { "TiB", 1099511627776.0 }, { NULL, 0 },
};
static const struct unit rates_b[] = {
	{ "B/s", 1 }, { "kB/s", 1e3 }, { "KB/s", 1e3 }, { "KiB/s", 1024.0 },
	{ "MB/s", 1e6 }, { "MiB/s", 1048576.0 }, { "GB/s", 1e9 }, { "GiB/s", 1073741824.0 },
	{ "TB/s", 1e12 }, { NULL, 0 },
};
static const struct unit rates_e[] = {
	{ "/s", 1 }, { "k/s", 1e3 }, { "K/s", 1e3 }, { "M/s", 1e6 }, { "G/s", 1e9 }, { NULL, 0 },
};
static const struct unit counts[] = { { "", 1 }, { NULL, 0 } };

static bool suffix_of(const struct unit *u, const char *s, double *mult)
{
	for (; u->suffix; u++)
		if (!strcmp(u->suffix, s)) {
			*mult = u->mult;
			return true;
		}
	return false;
}

int tn_asr_parse_quantity(const char *s, enum tn_asr_unit want, double *ret, const char **why)
{
	static const char *const what[] = {
		[TN_ASR_U_COUNT] = "not a count (a whole number)",
		[TN_ASR_U_NS] = "not a duration (a number and ns, us, ms or s)",
		[TN_ASR_U_BYTES] = "not a size (a number of bytes, or with B, kB, KiB, MB, MiB, GB, GiB, TB, TiB)",
		[TN_ASR_U_BPS] = "not a throughput (a number and B/s, kB/s, KiB/s, MB/s, MiB/s, GB/s, GiB/s, TB/s, or /s, K/s, M/s, G/s for elements)",
		[TN_ASR_U_EPS] = "not a throughput (a number and B/s, kB/s, KiB/s, MB/s, MiB/s, GB/s, GiB/s, TB/s, or /s, K/s, M/s, G/s for elements)",
		[TN_ASR_U_NONE] = "not a number",
		[TN_ASR_U_RATIO] = "not a ratio (a plain number)",
	};
	const char *p = s;
	char *end;
	double v, mult = 0;
	bool ok = false;

	*why = what[want];
	if (*p == '-') {
		*why = "negative";
		return -EINVAL;
	}
	if (!((*p >= '0' && *p <= '9') || *p == '.'))
		return -EINVAL;
	/* Digits, a point, an exponent: strtod alone would take hex, inf and nan. */
	while ((*p >= '0' && *p <= '9') || *p == '.')
		p++;
	if ((*p == 'e' || *p == 'E') && ((p[1] >= '0' && p[1] <= '9') ||
	    ((p[1] == '-' || p[1] == '+') && p[2] >= '0' && p[2] <= '9'))) {
		p += 2;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	errno = 0;
	v = strtod(s, &end);
	if (end != p || errno || !isfinite(v))
		return -EINVAL;
	switch (want) {
	case TN_ASR_U_COUNT: ok = suffix_of(counts, p, &mult) && v == floor(v); break;
	case TN_ASR_U_NS: ok = suffix_of(durations, p, &mult); break;
	case TN_ASR_U_BYTES: ok = suffix_of(bytes, p, &mult); break;
	case TN_ASR_U_BPS:
	case TN_ASR_U_EPS: ok = suffix_of(rates_b, p, &mult) || suffix_of(rates_e, p, &mult); break;
	case TN_ASR_U_NONE:
	case TN_ASR_U_RATIO: ok = !*p; mult = 1; break;
	}
	if (!ok)
		return -EINVAL;
	*ret = v * mult;
	if (!isfinite(*ret) || *ret > 9.2e18)
		return *why = "too large", -ERANGE;
	return 0;
}

/* ---- the key table ---- */

enum vkind { K_NAME, K_TYPE, K_BOOL, K_GLOB, K_SET, K_LIMIT, K_MIN, K_PCT, K_STR, K_PER,
	     K_BELOW, K_ABOVE };

#define T(x) (1u << TN_ASR_##x)
#define SYS (T(SYSCALL_CALLS) | T(SYSCALL_ERRORS) | T(SYSCALL_TIME) | T(SYSCALL_SLOWEST) | \
	     T(SYSCALL_PCT) | T(SYSCALL_NEVER) | T(TIGHT_LOOP) | T(SMALL_IO) | T(BLOCKING))
#define MEM (T(PEAK_RSS) | T(MAPPED))
#define SPAN (T(THROUGHPUT) | T(SPAN_TIME) | T(BACKEND))     /* these need "span" */
#define ALL ((1u << TN_ASR_TYPE_COUNT) - 1)

static const struct key {
	const char *key;
	enum vkind kind;
	unsigned takes, needs;          /* bits of the types that take it, need it */
} keys[] = {
	{ "name", K_NAME, ALL, ALL },
	{ "type", K_TYPE, ALL, ALL },
	{ "enabled", K_BOOL, ALL, 0 },
	{ "fail_on_violation", K_BOOL, ALL, 0 },
	{ "process", K_GLOB, ALL & ~T(CRITICAL_PATH) & ~T(GOD_PROCESS), 0 },
	{ "syscalls", K_SET, SYS, T(SYSCALL_NEVER) },
	{ "max", K_LIMIT, ALL & ~T(SYSCALL_NEVER) & ~T(THROUGHPUT) & ~T(BACKEND),
	  ALL & ~T(SYSCALL_NEVER) & ~T(THROUGHPUT) & ~T(BACKEND) },
	{ "min", K_MIN, T(THROUGHPUT), T(THROUGHPUT) },
	{ "percentile", K_PCT, T(SYSCALL_PCT), T(SYSCALL_PCT) },
	{ "span", K_STR, SPAN | T(PCIE), SPAN },
	{ "backend", K_STR, T(THROUGHPUT) | T(SPAN_TIME) | T(PCIE), 0 },
	{ "require", K_STR, T(BACKEND), T(BACKEND) },
	{ "per", K_PER, MEM, 0 },
	{ "below", K_BELOW, T(SMALL_IO), T(SMALL_IO) },
	{ "above", K_ABOVE, T(BLOCKING), T(BLOCKING) },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const char *const type_names[TN_ASR_TYPE_COUNT] = {
	[TN_ASR_SYSCALL_CALLS] = "syscall-calls",
	[TN_ASR_SYSCALL_ERRORS] = "syscall-errors",
	[TN_ASR_SYSCALL_TIME] = "syscall-time",
	[TN_ASR_SYSCALL_SLOWEST] = "syscall-slowest",
	[TN_ASR_SYSCALL_PCT] = "syscall-percentile",
	[TN_ASR_SYSCALL_NEVER] = "syscall-never",
	[TN_ASR_TIGHT_LOOP] = "tight-loop",
	[TN_ASR_SMALL_IO] = "small-io",
	[TN_ASR_BLOCKING] = "blocking",
	[TN_ASR_PEAK_RSS] = "peak-rss",
	[TN_ASR_MAPPED] = "mapped",
	[TN_ASR_THROUGHPUT] = "throughput",
	[TN_ASR_SPAN_TIME] = "span-time",
	[TN_ASR_BACKEND] = "backend",
	[TN_ASR_PCIE] = "pcie",
	[TN_ASR_CRITICAL_PATH] = "critical-path",
	[TN_ASR_GOD_PROCESS] = "god-process",
};

const char *tn_asr_type_name(enum tn_asr_type t)
{
	return t < TN_ASR_TYPE_COUNT ? type_names[t] : "?";
}

/* The unit of "max" for a type. */
static enum tn_asr_unit max_unit(enum tn_asr_type t)
{
	switch (t) {
	case TN_ASR_SYSCALL_CALLS:
	case TN_ASR_SYSCALL_ERRORS:
	case TN_ASR_SYSCALL_NEVER:
	case TN_ASR_TIGHT_LOOP:
	case TN_ASR_SMALL_IO:
	case TN_ASR_BLOCKING: return TN_ASR_U_COUNT;
	case TN_ASR_PCIE:
	case TN_ASR_GOD_PROCESS: return TN_ASR_U_RATIO;
	case TN_ASR_PEAK_RSS:
	case TN_ASR_MAPPED: return TN_ASR_U_BYTES;
	case TN_ASR_THROUGHPUT: return TN_ASR_U_BPS;
	case TN_ASR_BACKEND: return TN_ASR_U_NONE;
	default: return TN_ASR_U_NS;
	}
}

/* A glob as fnmatch(3) takes it: every '[' closed, no '\' at the end. */
static const char *glob_problem(const char *g)
{
	if (!*g)
		return "empty";
	for (const char *p = g; *p; p++) {
		if (*p == '\\') {
			if (!*++p)
				return "ends in '\\'";
		} else if (*p == '[') {
			const char *q = p + 1;

			if (*q == '!' || *q == '^')
				q++;
			if (*q == ']')
				q++;
			while (*q && *q != ']')
				q++;
			if (!*q)
				return "'[' without ']'";
			p = q;
		}
	}
	return NULL;
}

struct pair {
	const struct ev *k, *v;
	const struct key *key;
};

static int rule_fini(struct tn_asr_rule *r)
{
	free(r->name);
	free(r->process);
	free(r->set_text);
	free(r->span);
	free(r->backend);
	free(r->require);
	return 0;
}

static int set_str(struct doc *d, char **dst, const struct ev *v)
{
	if (!(*dst = strdup(v->value)))
		return tn_error_set(d->e, -ENOMEM, "out of memory");
	return 0;
}

/* One value of an assertion, after its type is known. */
static int value(struct doc *d, struct tn_asr_rule *r, const struct pair *p)
{
	const char *s = p->v->value, *why;
	double x;

	switch (p->key->kind) {
	case K_NAME:
		if (!*s)
			return at(d, p->v, "'name' must not be empty%s%s", "", "");
		return set_str(d, &r->name, p->v);
	case K_TYPE:
		return 0;
	case K_BOOL:
		if (strcmp(s, "true") && strcmp(s, "false"))
			return at(d, p->v, "'%s' must be true or false, not '%s'", p->key->key, s);
		*(strcmp(p->key->key, "enabled") ? &r->fail : &r->enabled) = !strcmp(s, "true");
		return 0;
	case K_GLOB:
		if ((why = glob_problem(s))) {
			char m[64];

			snprintf(m, sizeof(m), "%s", why);
			return at(d, p->v, "bad glob '%s': %s", s, m);
		}
		return set_str(d, &r->process, p->v);
	case K_SET: {
		struct tn_error fe = { 0 };
		char *expr;

		if (asprintf(&expr, "trace=%s", s) < 0)
			return tn_error_set(d->e, -ENOMEM, "out of memory");
		tn_trace_filter_init(&r->set);
		if (tn_trace_filter_parse(&r->set, expr, &fe) < 0) {
			free(expr);
			return at(d, p->v, "bad syscall set '%s': %s", s, fe.msg);
		}
		free(expr);
		free(r->set_text);
		return set_str(d, &r->set_text, p->v);
	}
	case K_LIMIT:
	case K_MIN: {
		enum tn_asr_unit u = p->key->kind == K_MIN ? TN_ASR_U_BPS : max_unit(r->type);

		if (tn_asr_parse_quantity(s, u, &x, &why) < 0)
			return tn_error_set_at(d->e, -EINVAL, d->name, p->v->line, p->v->col,
					       "'%s' is %s: '%s'", p->key->key, why, s);
		if (u == TN_ASR_U_BPS) {
			size_t n = strlen(s);

			u = n >= 3 && !strcmp(s + n - 3, "B/s") ? TN_ASR_U_BPS : TN_ASR_U_EPS;
			if (x <= 0)
				return at(d, p->v, "'%s' must be above zero: '%s'", p->key->key, s);
		}
		r->unit = u;
		r->limit = x;
		return 0;
	}
	case K_PCT:
		if (tn_asr_parse_quantity(s, TN_ASR_U_NONE, &x, &why) < 0 || x <= 0 || x > 100)
			return at(d, p->v, "'percentile' must be a number above 0 and at most 100, not '%s'%s",
				  s, "");
		r->pct = x;
		return 0;
	case K_STR:
		if (!*s)
			return at(d, p->v, "'%s' must not be empty%s", p->key->key, "");
		return set_str(d, !strcmp(p->key->key, "span") ? &r->span :
			       !strcmp(p->key->key, "backend") ? &r->backend : &r->require, p->v);
	case K_BELOW:
	case K_ABOVE:
		if (tn_asr_parse_quantity(s, p->key->kind == K_BELOW ? TN_ASR_U_BYTES : TN_ASR_U_NS,
					  &r->threshold, &why) < 0)
			return tn_error_set_at(d->e, -EINVAL, d->name, p->v->line, p->v->col,
					       "'%s' is %s: '%s'", p->key->key, why, s);
		return 0;
	case K_PER:
		if (strcmp(s, "process") && strcmp(s, "run"))
			return at(d, p->v, "'per' must be 'process' or 'run', not '%s'%s", s, "");
		r->per_process = !strcmp(s, "process");
		return 0;
	}
	return 0;
}

static const char *node_name(yaml_event_type_t t)
{
	return t == YAML_MAPPING_START_EVENT ? "a mapping" :
	       t == YAML_SEQUENCE_START_EVENT ? "a list" : "a scalar";
}

/* One assertion: the mapping whose start event is m. */
static int assertion(struct doc *d, const struct ev *m, struct tn_asr_rule *r)
{
	struct pair pv[NKEYS];
	size_t np = 0;
	const struct pair *type = NULL;
	const struct ev *k;
	int ret;

	memset(r, 0, sizeof(*r));
	r->enabled = r->fail = r->per_process = true;
	r->line = m->line;
	r->col = m->col;
	tn_trace_filter_init(&r->set);
	while ((k = next(d)) && k->type != YAML_MAPPING_END_EVENT) {
		const struct key *key = NULL;
		const struct ev *v;

		if (k->type != YAML_SCALAR_EVENT)
			return at(d, k, "a key must be a scalar, not %s%s", node_name(k->type), "");
		for (size_t i = 0; i < NKEYS; i++)
			if (!strcmp(keys[i].key, k->value))
				key = &keys[i];
		if (!key)
			return at(d, k, "unknown key '%s'%s", k->value, "");
		for (size_t i = 0; i < np; i++)
			if (pv[i].key == key)
				return at(d, k, "duplicate key '%s'%s", k->value, "");
		if (!(v = next(d)))
			return -EINVAL;
		if (v->type != YAML_SCALAR_EVENT)
			return at(d, v, "'%s' must be a scalar, not %s", k->value, node_name(v->type));
		pv[np].k = k;
		pv[np].v = v;
		pv[np].key = key;
		if (key->kind == K_TYPE)
			type = &pv[np];
		np++;
	}
	if (!k)
		return -EINVAL;
	if (!type)
		return at(d, m, "missing required key 'type'%s%s", "", "");
	for (r->type = 0; r->type < TN_ASR_TYPE_COUNT; r->type++)
		if (!strcmp(type_names[r->type], type->v->value))
			break;
	if (r->type == TN_ASR_TYPE_COUNT)
		return at(d, type->v, "unknown assertion type '%s'%s", type->v->value, "");
	for (size_t i = 0; i < NKEYS; i++) {
		bool have = false;

		for (size_t j = 0; j < np; j++)
			have |= pv[j].key == &keys[i];
		if (!have && (keys[i].needs >> r->type & 1))
			return at(d, m, "missing required key '%s' for type '%s'", keys[i].key,
				  type_names[r->type]);
	}
	for (size_t j = 0; j < np; j++) {
		if (!(pv[j].key->takes >> r->type & 1))
			return at(d, pv[j].k, "key '%s' does not apply to type '%s'", pv[j].key->key,
				  type_names[r->type]);
		if ((ret = value(d, r, &pv[j])) < 0)
			return ret;
	}
	if (r->type == TN_ASR_SYSCALL_NEVER) {
		r->unit = TN_ASR_U_COUNT;
		r->limit = 0;
	} else if (r->type == TN_ASR_BACKEND) {
		r->unit = TN_ASR_U_NONE;
	}
	if (!r->set_text && r->type == TN_ASR_SMALL_IO) {
		/* The calls that move bytes of a descriptor: what small I/O means. */
		struct tn_error fe = { 0 };

		if (tn_trace_filter_parse(&r->set, "trace=" TN_ASR_SMALL_IO_SET, &fe) < 0)
			return tn_error_set(d->e, fe.code, "%s", fe.msg);
		r->set_text = strdup(TN_ASR_SMALL_IO_SET);
	}
	if (!r->set_text && !(r->set_text = strdup("all")))
		return tn_error_set(d->e, -ENOMEM, "out of memory");
	return 0;
}

static int assertions(struct doc *d, struct tn_asr_budget *b)
{
	const struct ev *v;
	size_t cap = 0;
	int r;

	while ((v = next(d)) && v->type != YAML_SEQUENCE_END_EVENT) {
		if (v->type != YAML_MAPPING_START_EVENT)
			return at(d, v, "an assertion must be a mapping, not %s%s", node_name(v->type), "");
		if (b->n == cap) {
			struct tn_asr_rule *nr = realloc(b->rule, (cap = cap ? 2 * cap : 8) * sizeof(*nr));

			if (!nr)
				return tn_error_set(d->e, -ENOMEM, "out of memory");
			b->rule = nr;
		}
		r = assertion(d, v, &b->rule[b->n]);
		b->n++;
		if (r < 0)
			return r;
		for (size_t i = 0; i + 1 < b->n; i++)
			if (!strcmp(b->rule[i].name, b->rule[b->n - 1].name)) {
				char first[64];

				snprintf(first, sizeof(first), "%lu:%lu", b->rule[i].line, b->rule[i].col);
				return at(d, v, "duplicate assertion name '%s' (the first is at %s)",
					  b->rule[i].name, first);
			}
	}
	return v ? 0 : -EINVAL;
}

int tn_asr_budget_parse(struct tn_asr_budget *b, const char *text, size_t len,
			const char *name, struct tn_error *e)
{
	struct doc d = { .name = name, .e = e };
	const struct ev *v, *list = NULL;
	bool seen = false;
	int r;

	memset(b, 0, sizeof(*b));
	if ((r = doc_read(&d, text, len)) < 0)
		goto out;
	r = -EINVAL;
	if (!(v = next(&d)) || !(v = next(&d)))        /* stream start, document start */
		goto out;
	if (v->type == YAML_STREAM_END_EVENT) {
		at(&d, v, "the budgets are empty%s%s", "", "");
		goto out;
	}
	if (!(v = next(&d)))
		goto out;
	if (v->type != YAML_MAPPING_START_EVENT) {
		at(&d, v, "the budgets must be a mapping with an 'assertions' list, not %s%s",
		   node_name(v->type), "");
		goto out;
	}
	while ((v = next(&d)) && v->type != YAML_MAPPING_END_EVENT) {
		if (v->type != YAML_SCALAR_EVENT || strcmp(v->value, "assertions")) {
			at(&d, v, "unknown key '%s' (the budgets hold 'assertions')%s",
			   v->type == YAML_SCALAR_EVENT ? v->value : node_name(v->type), "");
			goto out;
		}
		if (seen) {
			at(&d, v, "duplicate key 'assertions'%s%s", "", "");
			goto out;
		}
		seen = true;
		if (!(v = next(&d)))
			goto out;
		if (v->type != YAML_SEQUENCE_START_EVENT) {
			at(&d, v, "'assertions' must be a list, not %s%s", node_name(v->type), "");
			goto out;
		}
		list = v;
		if (assertions(&d, b) < 0)
			goto out;
	}
	if (!v)
		goto out;
	if (!seen) {
		at(&d, v, "missing required key 'assertions'%s%s", "", "");
		goto out;
	}
	if (!(v = next(&d)) || !(v = next(&d)))        /* document end, then stream end */
		goto out;
	if (v->type != YAML_STREAM_END_EVENT) {
		at(&d, v, "the budgets must be one YAML document%s%s", "", "");
		goto out;
	}
	r = 0;
	for (size_t i = 0; i < b->n; i++)
		if (b->rule[i].enabled)
			goto out;
	r = at(&d, list, "no enabled assertion%s", b->n ? " (every one has enabled: false)" : "");
out:
	doc_free(&d);
	if (r < 0)
		tn_asr_budget_fini(b);
	return r;
}

int tn_asr_budget_load(struct tn_asr_budget *b, const char *path, struct tn_error *e)
{
	char *buf;
	size_t n = 0;
	ssize_t k;
	int fd, r;

	memset(b, 0, sizeof(*b));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return tn_error_set_at(e, -errno, path, 0, 0, "%s", strerror(errno));
	if (!(buf = malloc(TN_ASR_BUDGET_MAX + 1))) {
		close(fd);
		return tn_error_set(e, -ENOMEM, "out of memory");
	}
	while ((k = read(fd, buf + n, TN_ASR_BUDGET_MAX + 1 - n)) > 0)
		if ((n += (size_t)k) > TN_ASR_BUDGET_MAX)
			break;
	r = -errno;
	close(fd);
	if (k < 0)
		r = tn_error_set_at(e, r, path, 0, 0, "%s", strerror(-r));
	else if (n > TN_ASR_BUDGET_MAX)
		r = tn_error_set_at(e, -EFBIG, path, 0, 0, "larger than %u bytes", TN_ASR_BUDGET_MAX);
	else
		r = tn_asr_budget_parse(b, buf, n, path, e);
	free(buf);
	return r;
}

void tn_asr_budget_fini(struct tn_asr_budget *b)
{
	for (size_t i = 0; i < b->n; i++)
		rule_fini(&b->rule[i]);
	free(b->rule);
	b->rule = NULL;
	b->n = 0;
}
