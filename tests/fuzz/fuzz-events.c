/*
 * libFuzzer harness: the event reader (lib/events/reader.c) and the summary
 * of tn-summarize (lib/summary) on one input, with oracles beyond the
 * sanitizers (tests/fuzz/README.md):
 *
 *  - differential: the reader accepts a line exactly when jansson's
 *    json_loadb() takes it as an object with a string "type", and every
 *    member the reader gives has jansson's value;
 *  - every error carries a position (the input's name, the line, a column
 *    within the line), every line before it was delivered, and it sticks;
 *  - every output record of the summary parses (jansson, duplicates
 *    rejected) and its numbers hold together (min <= mean <= max <= total,
 *    percentiles in order); every table has one line per row, no control
 *    character but its newlines.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "events.h"
#include "reader.h"
#include "summary.h"

#define NAME "fuzz"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond) do { if (!(cond)) fail(#cond, __LINE__); } while (0)

static void fail(const char *what, int line)
{
	fprintf(stderr, "fuzz-events.c:%d: oracle failed: %s\n", line, what);
	abort();
}

/* Characters (UTF-8 lead bytes) in s[0..n). */
static size_t chars(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* Line lineno (1-based) of data: its start and length; false past the end
 * or when it has no newline. */
static bool line_of(const uint8_t *data, size_t size, unsigned long lineno,
		    const char **ret, size_t *len)
{
	size_t i = 0;

	for (unsigned long l = 1; l < lineno; l++) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);

		if (!nl)
			return false;
		i = (size_t)(nl - data) + 1;
	}
	const uint8_t *nl = memchr(data + i, '\n', size - i);

	if (!nl)
		return false;
	*ret = (const char *)data + i;
	*len = (size_t)(nl - data) - i;
	return true;
}

/* What jansson makes of a line: a record (an object with a string "type"). */
static json_t *jansson_record(const char *line, size_t len)
{
	json_error_t err;
	json_t *j = json_loadb(line, len, 0, &err);

	if (j && (!json_is_object(j) || !json_is_string(json_object_get(j, "type")))) {
		json_decref(j);
		j = NULL;
	}
	return j;
}

static void same_value(const struct tn_ev_member *m, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: check(m->type == TN_EV_V_OBJECT); break;
	case JSON_ARRAY: check(m->type == TN_EV_V_ARRAY); break;
	case JSON_STRING:
		check(m->type == TN_EV_V_STR);
		check(m->slen == json_string_length(v));
		check(memcmp(m->s, json_string_value(v), m->slen) == 0);
		break;
	case JSON_INTEGER:
		check(m->type == TN_EV_V_INT);
		check(m->i == json_integer_value(v));
		break;
	case JSON_REAL:
		check(m->type == TN_EV_V_REAL);
		check(m->d == json_real_value(v));
		break;
	case JSON_TRUE: check(m->type == TN_EV_V_BOOL && m->b); break;
	case JSON_FALSE: check(m->type == TN_EV_V_BOOL && !m->b); break;
	case JSON_NULL: check(m->type == TN_EV_V_NULL); break;
	}
}

/* The reader's record against jansson's object of the same line. */
static void differential(const struct tn_ev_rec *rec)
{
	json_t *j = jansson_record(rec->line, rec->len), *v;
	const char *key;

	check(j != NULL);       /* the reader took what jansson refuses */
	check(rec->line[rec->len] == '\n');
	json_object_foreach(j, key, v) {
		const struct tn_ev_member *m = tn_ev_rec_get(rec, key);

		check(m != NULL);
		same_value(m, v);
	}
	for (size_t i = 0; i < rec->nmembers; i++) {
		char k[256];
		const struct tn_ev_member *m = &rec->members[i];

		if (m->klen < sizeof(k) && !memchr(m->key, '\0', m->klen)) {
			memcpy(k, m->key, m->klen);
			k[m->klen] = '\0';
			check(json_object_get(j, k) != NULL);
		}
	}
	check(rec->type_len == json_string_length(json_object_get(j, "type")));
	json_decref(j);
}

static uint64_t u(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	check(json_is_integer(v) && json_integer_value(v) >= 0);
	return (uint64_t)json_integer_value(v);
}

/* One summary record: it parses, and its numbers hold together. */
static void check_record(struct tn_jw *w)
{
	size_t n;
	const char *line = tn_jw_line(w, &n);
	json_error_t err;
	json_t *o;

	check(!w->oom);
	check(n > 0 && line[n - 1] == '\n');
	check(memchr(line, '\n', n) == line + n - 1);
	o = json_loadb(line, n - 1, JSON_REJECT_DUPLICATES, &err);
	check(o != NULL);
	check(json_is_object(o));
	check(strcmp(json_string_value(json_object_get(o, "type")), "summary") == 0);
	if (json_object_get(o, "total_ns")) {
		const json_t *c = json_object_get(o, "calls");
		uint64_t count = c ? u(o, "calls") : u(o, "count");
		uint64_t total = u(o, "total_ns"), min = u(o, "min_ns"), mean = u(o, "mean_ns");
		uint64_t max = u(o, "max_ns"), p50 = u(o, "p50_ns"), p90 = u(o, "p90_ns");
		uint64_t p99 = u(o, "p99_ns");

		if (count) {
			check(min <= mean && mean <= max && max <= total);
			check(min <= p50 && p50 <= p90 && p90 <= p99 && p99 <= max);
		} else {
			check(total == 0 && max == 0 && p99 == 0);
		}
	}
	json_decref(o);
	tn_jw_reset(w);
}

/* A table: rows + 4 lines (+ 1 with a title), no control byte but '\n'. */
static void check_table(const char *t, size_t len, size_t rows, bool title)
{
	size_t lines = 0;

	check(strlen(t) == len);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)t[i];

		lines += c == '\n';
		check(c == '\n' || (c >= 0x20 && c != 0x7f));
		check(!(c == 0xc2 && i + 1 < len && (unsigned char)t[i + 1] < 0xa0 &&
			(unsigned char)t[i + 1] >= 0x80));
	}
	check(lines == rows + 4 + title);
}

static void summarize(struct tn_sum *s)
{
	struct tn_sum_groups g;
	struct tn_sum_sys **v;
	struct tn_jw w;
	size_t n;

	check(tn_sum_group(s, TN_SORT_TIME, &g) == 0);
	for (size_t i = 0; i < g.n; i++) {
		size_t len, rows = g.start[i + 1] - g.start[i];
		char *t = tn_sum_table_rows(g.v + g.start[i], rows, i ? g.arch[i] : NULL,
					    tn_sum_default_cols, &len);

		check(t != NULL);
		check_table(t, len, rows, i > 0);
		free(t);
	}
	tn_sum_groups_free(&g);

	tn_jw_init(&w);
	check(tn_sum_sorted(s, NULL, TN_SORT_AVG, &v, &n) == 0);
	for (size_t i = 0; i < n; i++) {
		tn_sum_json_sys(&w, v[i]);
		check_record(&w);
	}
	free(v);
	for (size_t i = 0; i < s->proc.len; i++) {
		tn_sum_json_proc(&w, s->proc.order[i]);
		check_record(&w);
	}
	for (size_t i = 0; i < s->span.len; i++) {
		tn_sum_json_span(&w, s->span.order[i]);
		check_record(&w);
	}
	tn_sum_json_total(&w, s);
	check_record(&w);
	tn_jw_finish(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tn_ev_reader *r = tn_ev_reader_new_mem(data, size, NAME);
	const struct tn_ev_rec *rec;
	struct tn_error e = { 0 };
	struct tn_sum s;
	unsigned long nrec = 0;
	int ret;

	check(r != NULL);
	tn_sum_init(&s);
	s.input = NAME;
	while ((ret = tn_ev_reader_next(r, &rec, &e)) > 0) {
		nrec++;
		check(rec->lineno == nrec);
		differential(rec);
		ret = tn_sum_add(&s, rec, &e);
		if (ret < 0) {
			/* Only a header of another schema is refused, at its value. */
			json_t *j = jansson_record(rec->line, rec->len);
			const json_t *sc = json_object_get(j, "schema");

			check(ret == -EPROTONOSUPPORT && e.code == ret);
			check(rec->kind == TN_EV_K_HEADER && sc);
			check(!json_is_integer(sc) || json_integer_value(sc) != TN_EV_SCHEMA);
			check(e.file && strcmp(e.file, NAME) == 0 && e.line == rec->lineno);
			check(e.col >= 1 && e.col <= chars(rec->line, rec->len));
			json_decref(j);
			break;
		}
	}
	if (ret < 0 && ret != -EPROTONOSUPPORT) {
		const char *line;
		size_t len;

		/* A position: this input, the line after the last record. */
		check(e.code == ret && e.file && strcmp(e.file, NAME) == 0);
		check(e.line == nrec + 1);
		check(e.col >= 1);
		if (line_of(data, size, e.line, &line, &len)) {
			/* A whole line: jansson refuses it too (or it is no record). */
			check(ret != -EPIPE);
			if (ret != -E2BIG)
				check(e.col <= chars(line, len) + 1);
			if (memchr(line, '\0', len)) {
				/* The one deliberate difference: NUL bytes are binary
				 * data (tn-events(5)), though jansson 2.14 takes one
				 * right after a number ("1\0" as 1). */
				check(ret == -EILSEQ);
			} else if (ret != -E2BIG) {
				json_t *j = len ? jansson_record(line, len) : NULL;

				check(j == NULL);       /* jansson takes what the reader refused */
			}
		} else {
			/* The last line, without its newline. */
			check(ret == -EPIPE || ret == -EILSEQ || ret == -E2BIG);
		}
		/* The error sticks. */
		check(tn_ev_reader_next(r, &rec, NULL) == ret);
	} else if (ret == 0) {
		/* The whole input was read: every line a record. */
		size_t lines = 0;

		for (size_t i = 0; i < size; i++)
			lines += data[i] == '\n';
		check(lines == nrec);
	}
	summarize(&s);
	tn_sum_fini(&s);
	tn_ev_reader_free(r);
	return 0;
}
