/* SPDX-License-Identifier: MIT */
/* The verdicts: one line per assertion, verdict records, JUnit XML. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape.h"
#include "jsonw.h"

enum result { R_PASS, R_WARN, R_FAIL, R_SKIP };
static const char *const result_name[] = { "pass", "warn", "fail", "skip" };
static const char *const result_tag[] = { "PASS", "WARN", "FAIL", "SKIP" };
/* How a link of the critical path waited for the next (enum tn_asr_via). */
static const char *const via_text[] = { "", "wait4", "waitid", "pipe read" };
static const char *const via_name[] = { "", "wait4", "waitid", "pipe" };

struct verdict {
	enum result res;
	bool violated, empty;   /* empty: no span to judge (a min or a backend) */
	double measured;
};

static struct verdict judge(const struct tn_asr_rule *r, const struct tn_asr_state *s)
{
	struct verdict v = { .measured = s->measured };

	if (!r->enabled) {
		v.res = R_SKIP;
		return v;
	}
	switch (r->type) {
	case TN_ASR_SYSCALL_PCT:
		v.measured = s->hist.count ? (double)tn_hist_pct(&s->hist, r->pct) : 0;
		break;
	case TN_ASR_THROUGHPUT:
		v.measured = (double)s->sum_work * 1e9 / (double)(s->sum_dur ? s->sum_dur : 1);
		v.empty = !s->count;
		break;
	case TN_ASR_BACKEND:
		v.empty = !s->count;
		break;
	case TN_ASR_PCIE:
		v.measured = s->sum_dur ? (double)s->sum_work / (double)s->sum_dur :
			     s->sum_work ? INFINITY : 0;
		break;
	default:
		break;
	}
	if (r->type == TN_ASR_THROUGHPUT)
		v.violated = v.empty || v.measured < r->limit;
	else
		v.violated = v.empty || v.measured > r->limit;
	v.res = !v.violated ? R_PASS : r->fail ? R_FAIL : R_WARN;
	return v;
}

/* A value in its unit, for people. */
static void fmt(char *buf, size_t size, enum tn_asr_unit u, double v)
{
	static const char *const si[] = { "", "k", "M", "G", "T" };
	static const char *const bin[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int k = 0;

	switch (u) {
	case TN_ASR_U_NS: {
		/* The largest unit the value reaches, with as many decimals as
		 * it takes to be exact (durations are whole nanoseconds). */
		static const char *const nsu[] = { "ns", "us", "ms", "s" };
		double un = 1;
		int d = 0;

		v = round(v);
		while (k < 3 && v >= un * 1000) {
			un *= 1000;
			k++;
		}
		while (d < 3 * k && fmod(v, un / pow(10, d)) != 0)
			d++;
		snprintf(buf, size, "%.*f%s", d, v / un, nsu[k]);
		return;
	}
	case TN_ASR_U_BYTES:
		while (v >= 1024 && k < 4 && fmod(v, 1024) == 0) {
			v /= 1024;
			k++;
		}
		snprintf(buf, size, "%.0f%s", v, bin[k]);
		return;
	case TN_ASR_U_BPS:
	case TN_ASR_U_EPS:
		while (v >= 1000 && k < 4) {
			v /= 1000;
			k++;
		}
		snprintf(buf, size, "%.3g%s%s", v, si[k], u == TN_ASR_U_BPS ? "B/s" : "/s");
		return;
	case TN_ASR_U_RATIO:
		snprintf(buf, size, "%.4g", v);
		return;
	default:
		snprintf(buf, size, "%.0f", v);
		return;
	}
}

/* Text from the input, escaped for a terminal. */
static const char *esc(char *buf, size_t size, const char *s)
{
	tn_escape(buf, size, s, strlen(s));
	return buf;
}

/* What the assertion measures, in words. */
static void what(FILE *f, const struct tn_asr_rule *r)
{
	char b[256], v[64];

	switch (r->type) {
	case TN_ASR_SYSCALL_CALLS: fprintf(f, "calls of %s", esc(b, sizeof(b), r->set_text)); break;
	case TN_ASR_SYSCALL_ERRORS: fprintf(f, "failed calls of %s", esc(b, sizeof(b), r->set_text)); break;
	case TN_ASR_SYSCALL_TIME: fprintf(f, "time in %s", esc(b, sizeof(b), r->set_text)); break;
	case TN_ASR_SYSCALL_SLOWEST: fprintf(f, "slowest call of %s", esc(b, sizeof(b), r->set_text)); break;
	case TN_ASR_SYSCALL_PCT:
		fprintf(f, "p%g of %s", r->pct, esc(b, sizeof(b), r->set_text));
		break;
	case TN_ASR_SYSCALL_NEVER: fprintf(f, "calls of %s (never allowed)", esc(b, sizeof(b), r->set_text)); break;
	case TN_ASR_TIGHT_LOOP:
		fprintf(f, "the same call of %s in a row in a thread", esc(b, sizeof(b), r->set_text));
		break;
	case TN_ASR_SMALL_IO:
		fmt(v, sizeof(v), TN_ASR_U_BYTES, r->threshold);
		fprintf(f, "calls of %s that moved less than %s", esc(b, sizeof(b), r->set_text), v);
		break;
	case TN_ASR_BLOCKING:
		fmt(v, sizeof(v), TN_ASR_U_NS, r->threshold);
		fprintf(f, "calls of %s longer than %s", esc(b, sizeof(b), r->set_text), v);
		break;
	case TN_ASR_PCIE:
		fputs("upload and download time over kernel time of spans", f);
		if (r->span)
			fprintf(f, " %s", esc(b, sizeof(b), r->span));
		break;
	case TN_ASR_CRITICAL_PATH:
		fputs("the critical path of the run", f);
		break;
	case TN_ASR_GOD_PROCESS:
		fputs("the largest share of the critical path held by one process", f);
		break;
	case TN_ASR_PEAK_RSS: fputs(r->per_process ? "peak RSS of a process" : "peak RSS of the run (sum of maxrss)", f); break;
	case TN_ASR_MAPPED: fputs(r->per_process ? "bytes mapped at their highest in a process" : "bytes mapped at their highest in the run", f); break;
	case TN_ASR_THROUGHPUT: fprintf(f, "throughput of span %s", esc(b, sizeof(b), r->span)); break;
	case TN_ASR_SPAN_TIME: fprintf(f, "longest span %s", esc(b, sizeof(b), r->span)); break;
	case TN_ASR_BACKEND: fprintf(f, "spans %s not on %s", esc(b, sizeof(b), r->span), r->require); break;
	default: break;
	}
	if (r->backend)
		fprintf(f, " on %s", esc(b, sizeof(b), r->backend));
	if (r->process)
		fprintf(f, " in processes %s", esc(b, sizeof(b), r->process));
}

static void who(FILE *f, const struct tn_asr_state *s)
{
	char b[256];

	if (s->pid < 0) {
		fputs("no process", f);
		return;
	}
	fprintf(f, "pid %" PRId64, s->pid);
	if (s->proc && s->proc->comm)
		fprintf(f, " (%s)", esc(b, sizeof(b), s->proc->comm));
}

/* For a violation: what broke it. */
static void culprit(FILE *f, const struct tn_asr_rule *r, const struct tn_asr_state *s,
		    const struct verdict *v)
{
	char b[128], val[64];

	if (v->empty) {
		fprintf(f, "; no span %s", esc(b, sizeof(b), r->span));
		if (r->backend)
			fprintf(f, " on %s", esc(b, sizeof(b), r->backend));
		fputs(" was seen", f);
		return;
	}
	if (!s->blamed)
		return;
	switch (r->type) {
	case TN_ASR_SYSCALL_CALLS:
	case TN_ASR_SYSCALL_ERRORS:
	case TN_ASR_SYSCALL_TIME:
	case TN_ASR_SMALL_IO:
	case TN_ASR_BLOCKING:
		fprintf(f, "; over the limit at %s by ", esc(b, sizeof(b), s->what));
		who(f, s);
		break;
	case TN_ASR_TIGHT_LOOP:
		fmt(val, sizeof(val), TN_ASR_U_COUNT, s->value);
		fprintf(f, "; %s %s times by ", esc(b, sizeof(b), s->what), val);
		who(f, s);
		fprintf(f, " tid %" PRId64, s->tid);
		break;
	case TN_ASR_CRITICAL_PATH:
		fputs("; chain:", f);
		for (size_t i = 0; i < s->nchain; i++) {
			const struct tn_asr_proc *p = s->chain[i].proc;
			int64_t t0 = s->chain[0].proc->start;

			fprintf(f, "%s pid %" PRId64, i ? " ->" : "", p->pid);
			if (p->comm)
				fprintf(f, " (%s)", esc(b, sizeof(b), p->comm));
			fmt(val, sizeof(val), TN_ASR_U_NS, (double)(p->start - t0));
			fprintf(f, " +%s..", val);
			fmt(val, sizeof(val), TN_ASR_U_NS, (double)(p->end - t0));
			fprintf(f, "+%s", val);
			if (i + 1 < s->nchain) {
				fmt(val, sizeof(val), TN_ASR_U_NS, (double)(s->chain[i].until - t0));
				fprintf(f, " waited for %" PRId64 " (%s) until +%s",
					s->chain[i + 1].proc->pid, via_text[s->chain[i].via], val);
			}
		}
		break;
	case TN_ASR_GOD_PROCESS:
		fmt(val, sizeof(val), TN_ASR_U_NS, s->value);
		fputs("; ", f);
		who(f, s);
		fprintf(f, ", %s of its own", val);
		break;
	case TN_ASR_PCIE:
		fmt(val, sizeof(val), TN_ASR_U_NS, s->value);
		fprintf(f, "; longest transfer: %s of %s by ", esc(b, sizeof(b), s->what), val);
		who(f, s);
		break;
	case TN_ASR_SYSCALL_SLOWEST:
	case TN_ASR_SYSCALL_PCT:
		fmt(val, sizeof(val), TN_ASR_U_NS, s->value);
		fprintf(f, "; slowest: %s by ", esc(b, sizeof(b), s->what));
		who(f, s);
		fprintf(f, ", %s", val);
		break;
	case TN_ASR_SYSCALL_NEVER:
		fprintf(f, "; first: %s by ", esc(b, sizeof(b), s->what));
		who(f, s);
		break;
	case TN_ASR_PEAK_RSS:
		fputs(r->per_process ? "; " : "; last added: ", f);
		who(f, s);
		break;
	case TN_ASR_MAPPED:
		fputs("; ", f);
		who(f, s);
		fprintf(f, " at %s", esc(b, sizeof(b), s->what));
		break;
	case TN_ASR_THROUGHPUT:
		fmt(val, sizeof(val), r->unit, s->value);
		fputs("; slowest span: ", f);
		who(f, s);
		fprintf(f, " on %s, %s", esc(b, sizeof(b), s->what), val);
		break;
	case TN_ASR_SPAN_TIME:
		fputs("; ", f);
		who(f, s);
		fprintf(f, " on %s", esc(b, sizeof(b), s->what));
		break;
	case TN_ASR_BACKEND:
		fprintf(f, "; first on %s: ", esc(b, sizeof(b), s->what));
		who(f, s);
		break;
	default:
		break;
	}
}

static const char *unit_text(enum tn_asr_unit u)
{
	static const char *const n[] = { "", "ns", "B", "B/s", "/s", "", "" };

	return n[u];
}

/* The line of one assertion, without its newline. */
static void line(FILE *f, const struct tn_asr_rule *r, const struct tn_asr_state *s,
		 const struct verdict *v)
{
	char b[256], m[64], l[64];
	bool min = r->type == TN_ASR_THROUGHPUT;

	fprintf(f, "%s %s: ", result_tag[v->res], esc(b, sizeof(b), r->name));
	if (v->res == R_SKIP) {
		fputs("disabled", f);
		return;
	}
	what(f, r);
	fmt(m, sizeof(m), r->unit, v->measured);
	fmt(l, sizeof(l), r->unit, r->limit);
	if (!strcmp(m, l) && v->measured != r->limit) {
		/* Rounded alike but not equal: show both exactly. */
		snprintf(m, sizeof(m), "%.12g%s", v->measured, unit_text(r->unit));
		snprintf(l, sizeof(l), "%.12g%s", r->limit, unit_text(r->unit));
	}
	if (v->empty)
		fprintf(f, ": none, limit %s %s", min ? "min" : "max", l);
	else
		fprintf(f, ": %s %s %s %s", m, v->violated ? (min ? "<" : ">") : (min ? ">=" : "<="),
			min ? "min" : "max", l);
	if (v->violated)
		culprit(f, r, s, v);
}

static const char *unit_name(enum tn_asr_unit u)
{
	static const char *const n[] = { "count", "ns", "bytes", "B/s", "elements/s", "count", "ratio" };

	return n[u];
}

static void record(struct tn_jw *w, const struct tn_asr_rule *r, const struct tn_asr_state *s,
		   const struct verdict *v)
{
	tn_jw_reset(w);
	tn_jw_obj_begin(w);
	tn_jw_kstr(w, "type", "verdict");
	tn_jw_kstr(w, "name", r->name);
	tn_jw_kstr(w, "assertion", tn_asr_type_name(r->type));
	tn_jw_kstr(w, "result", result_name[v->res]);
	if (r->process)
		tn_jw_kstr(w, "process", r->process);
	if (tn_asr_is_syscall(r->type))
		tn_jw_kstr(w, "syscalls", r->set_text);
	if (r->type == TN_ASR_SMALL_IO)
		tn_jw_kuint(w, "below", (uint64_t)r->threshold);
	if (r->type == TN_ASR_BLOCKING)
		tn_jw_kuint(w, "above", (uint64_t)r->threshold);
	if (r->type == TN_ASR_SYSCALL_PCT)
		tn_jw_kdouble(w, "percentile", r->pct);
	if (r->type == TN_ASR_PEAK_RSS || r->type == TN_ASR_MAPPED)
		tn_jw_kstr(w, "per", r->per_process ? "process" : "run");
	if (r->span)
		tn_jw_kstr(w, "span", r->span);
	if (r->backend)
		tn_jw_kstr(w, "backend", r->backend);
	if (r->require)
		tn_jw_kstr(w, "require", r->require);
	if (v->res != R_SKIP) {
		tn_jw_kstr(w, "unit", unit_name(r->unit));
		tn_jw_kstr(w, "bound", r->type == TN_ASR_THROUGHPUT ? "min" : "max");
		if (r->unit == TN_ASR_U_BPS || r->unit == TN_ASR_U_EPS || r->unit == TN_ASR_U_RATIO) {
			tn_jw_kdouble(w, "limit", r->limit);
			if (!v->empty)
				tn_jw_kdouble(w, "measured", v->measured);
		} else {
			tn_jw_kuint(w, "limit", (uint64_t)r->limit);
			if (!v->empty)
				tn_jw_kuint(w, "measured", (uint64_t)v->measured);
		}
		if (tn_asr_is_span(r->type))
			tn_jw_kuint(w, "spans", s->count);
	}
	if ((r->type == TN_ASR_CRITICAL_PATH || r->type == TN_ASR_GOD_PROCESS) && v->res != R_SKIP) {
		tn_jw_key(w, "chain");
		tn_jw_arr_begin(w);
		for (size_t i = 0; i < s->nchain; i++) {
			const struct tn_asr_proc *p = s->chain[i].proc;

			tn_jw_obj_begin(w);
			tn_jw_kint(w, "pid", p->pid);
			if (p->comm)
				tn_jw_kstr(w, "command", p->comm);
			tn_jw_kint(w, "start", p->start);
			tn_jw_kint(w, "end", p->end);
			if (i + 1 < s->nchain) {
				tn_jw_kint(w, "waited_for", s->chain[i + 1].proc->pid);
				tn_jw_kint(w, "waited_until", s->chain[i].until);
				tn_jw_kstr(w, "via", via_name[s->chain[i].via]);
			}
			tn_jw_kint(w, "own", s->chain[i].own);
			tn_jw_obj_end(w);
		}
		tn_jw_arr_end(w);
	}
	if (v->violated && s->blamed && !v->empty && r->type != TN_ASR_CRITICAL_PATH) {
		tn_jw_kint(w, "pid", s->pid);
		if (s->tid >= 0)
			tn_jw_kint(w, "tid", s->tid);
		if (s->proc && s->proc->comm)
			tn_jw_kstr(w, "command", s->proc->comm);
		if (s->what[0])
			tn_jw_kstr(w, r->type == TN_ASR_PCIE ? "phase" : tn_asr_is_span(r->type) ?
				   "span_backend" : "syscall", s->what);
		if (s->ts)
			tn_jw_kint(w, "ts", s->ts);
	}
	tn_jw_obj_end(w);
}

/* Text for XML: escaped for a terminal first (no control characters, which
 * XML 1.0 cannot hold), then &, <, >, " and '. */
static void xml(FILE *f, const char *s)
{
	char b[1024];

	esc(b, sizeof(b), s);
	for (const char *p = b; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*p, f);
		}
	}
}

static void junit(FILE *f, struct tn_asr *a, const struct verdict *v)
{
	size_t fails = 0, skips = 0, n = a->b->n;

	for (size_t i = 0; i < n; i++) {
		fails += v[i].res == R_FAIL;
		skips += v[i].res == R_SKIP;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"tn-assert\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n"
		"  <testsuite name=\"tn-assert\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
		n, fails, skips, n, fails, skips);
	for (size_t i = 0; i < n; i++) {
		const struct tn_asr_rule *r = &a->b->rule[i];
		char *text = NULL;
		size_t len = 0;
		FILE *t = open_memstream(&text, &len);

		if (t) {
			line(t, r, &a->st[i], &v[i]);
			fclose(t);
		}
		fputs("    <testcase name=\"", f);
		xml(f, r->name);
		fprintf(f, "\" classname=\"tn-assert.%s\">\n", tn_asr_type_name(r->type));
		if (v[i].res == R_FAIL || v[i].res == R_SKIP) {
			fprintf(f, "      <%s message=\"", v[i].res == R_FAIL ? "failure" : "skipped");
			xml(f, text ? text : "");
			fprintf(f, "\"%s/>\n", v[i].res == R_FAIL ? " type=\"budget\"" : "");
		} else {
			fputs("      <system-out>", f);
			xml(f, text ? text : "");
			fputs("</system-out>\n", f);
		}
		fputs("    </testcase>\n", f);
		free(text);
	}
	fputs("  </testsuite>\n</testsuites>\n", f);
}

int tn_asr_report(struct tn_asr *a, struct tn_ev_out *out, bool json, struct tn_ev_out *ju,
		  struct tn_error *e)
{
	struct verdict *v = calloc(a->b->n ? a->b->n : 1, sizeof(*v));
	struct tn_jw w;
	int status = 0, r = 0;

	if (!v || tn_asr_finish_run(a) < 0) {
		free(v);
		return tn_error_set(e, -ENOMEM, "out of memory");
	}
	tn_jw_init(&w);
	for (size_t i = 0; i < a->b->n && r >= 0; i++) {
		const char *t;
		size_t len;

		v[i] = judge(&a->b->rule[i], &a->st[i]);
		status |= v[i].res == R_FAIL;
		if (json) {
			record(&w, &a->b->rule[i], &a->st[i], &v[i]);
			t = tn_jw_line(&w, &len);
			r = t ? tn_ev_out_line(out, t, len) : -ENOMEM;
		} else {
			char *text = NULL;
			FILE *f = open_memstream(&text, &len);

			if (!f)
				return free(v), tn_jw_finish(&w), tn_error_set(e, -ENOMEM, "out of memory");
			line(f, &a->b->rule[i], &a->st[i], &v[i]);
			fputc('\n', f);
			fclose(f);
			r = text ? tn_ev_out_line(out, text, len) : -ENOMEM;
			free(text);
		}
	}
	if (r >= 0 && ju) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);

		if (f) {
			junit(f, a, v);
			fclose(f);
		}
		r = text ? tn_ev_out_line(ju, text, len) : -ENOMEM;
		free(text);
	}
	tn_jw_finish(&w);
	free(v);
	if (r < 0)
		return tn_error_set(e, r, "write error: %s", strerror(-r));
	return status;
}
