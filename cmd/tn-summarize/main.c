/* tn-summarize: the strace -c table (or summary records) of event streams. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "ev-out.h"
#include "read.h"
#include "summary.h"
#include "tool.h"

static void usage(void)
{
	printf("Usage: %s [OPTIONS] [FILE]...\n"
	       "Summarize tn event streams (tn-events(5)) like strace -c: FILEs, or\n"
	       "standard input when none is given or FILE is '-'; all aggregate together.\n"
	       "\n"
	       "  -S, --summary-sort-by=SORTBY   sort the table by time (default), min_time,\n"
	       "                                 max_time, avg_time, calls, errors, name\n"
	       "                                 or nothing (syscall number order)\n"
	       "  -U, --summary-columns=COLUMNS  the table's columns, as strace -U: time_percent,\n"
	       "                                 total_time, min_time, max_time, avg_time,\n"
	       "                                 calls, errors, name\n"
	       "      --format=table|json        the strace -c table (default), or summary\n"
	       "                                 records (tn-events(5)) per syscall, process,\n"
	       "                                 span kind and a total\n"
	       "  -o, --output=FILE              write to FILE instead of standard output\n"
	       "  -h, --help                     show this help and exit\n"
	       "  -V, --version                  show the version and exit\n"
	       "\n"
	       "Times are wall-clock durations of the calls (strace -c -w), not system CPU\n"
	       "time. Exit status: 0 ok, 2 bad usage or bad input (the summary of what was\n"
	       "read before the bad line is still written). See tn-summarize(1).\n",
	       tn_tool_name());
}

static int emit(struct tn_ev_out *o, struct tn_jw *w)
{
	size_t n;
	const char *line = tn_jw_line(w, &n);
	int r;

	if (w->oom)
		return -ENOMEM;
	r = tn_ev_out_line(o, line, n);
	tn_jw_reset(w);
	return r;
}

static int write_table(struct tn_ev_out *o, const struct tn_sum *s, enum tn_sum_sort sort,
		       const enum tn_sum_col *cols)
{
	struct tn_sum_groups g;
	int r = 0;

	if (tn_sum_group(s, sort, &g) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < g.n && !r; i++) {
		size_t len;
		char *t = tn_sum_table_rows(g.v + g.start[i], g.start[i + 1] - g.start[i],
					    i ? tn_sum_arch_title(g.arch[0], g.arch[i]) : NULL,
					    cols, &len);

		if (!t) {
			r = -ENOMEM;
			break;
		}
		r = tn_ev_out_line(o, t, len);
		free(t);
	}
	tn_sum_groups_free(&g);
	return r;
}

static int write_json(struct tn_ev_out *o, const struct tn_sum *s, enum tn_sum_sort sort)
{
	struct tn_sum_sys **v;
	struct tn_jw w;
	size_t n;
	int r = 0;

	if (tn_sum_sorted(s, NULL, sort, &v, &n) < 0)
		return -ENOMEM;
	tn_jw_init(&w);
	for (size_t i = 0; i < n && !r; i++) {
		tn_sum_json_sys(&w, v[i]);
		r = emit(o, &w);
	}
	for (size_t i = 0; i < s->proc.len && !r; i++) {
		tn_sum_json_proc(&w, s->proc.order[i]);
		r = emit(o, &w);
	}
	for (size_t i = 0; i < s->span.len && !r; i++) {
		tn_sum_json_span(&w, s->span.order[i]);
		r = emit(o, &w);
	}
	if (!r) {
		tn_sum_json_total(&w, s);
		r = emit(o, &w);
	}
	tn_jw_finish(&w);
	free(v);
	return r;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "summary-sort-by", required_argument, NULL, 'S' },
		{ "summary-columns", required_argument, NULL, 'U' },
		TN_TOOL_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	static struct tn_ev_out out;
	struct tn_tool_common co = { .usage = usage };
	enum tn_sum_col cols[TN_COL_MAX_ + 1];
	enum tn_sum_sort sort = TN_SORT_TIME;
	struct tn_error e = { 0 };
	struct tn_tool_io io;
	struct tn_sum s;
	int c, r, w = 0, status = TN_EXIT_OK;

	tn_tool_init("tn-summarize");
	for (int i = 0; i == 0 || tn_sum_default_cols[i - 1] != TN_COL_NONE; i++)
		cols[i] = tn_sum_default_cols[i];
	while ((c = getopt_long(argc, argv, ":S:U:" TN_TOOL_COMMON_SHORTOPTS, opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			if ((r = tn_sum_sort_parse(optarg)) < 0) {
				tn_tool_warnx("invalid sortby: '%s'", optarg);
				return tn_tool_usage_hint();
			}
			sort = (enum tn_sum_sort)r;
			break;
		case 'U':
			if (tn_sum_cols_parse(optarg, cols, &e) < 0) {
				tn_tool_warnx("%s", e.msg);
				return tn_tool_usage_hint();
			}
			break;
		default:
			if ((r = tn_tool_common_opt(c, argv, &co)) >= 0)
				return r;
		}
	}
	if (tn_tool_io_open(&io, argv + optind, argc - optind, co.output) < 0)
		return TN_EXIT_USAGE;

	tn_ev_out_init(&out, io.outfd);
	tn_sum_init(&s);
	r = 0;
	for (size_t i = 0; i < io.nin && r >= 0; i++)
		r = tn_sum_read_fd(&s, io.in[i].fd, io.in[i].name, co.json ? &out : NULL, &e);
	if (r < 0 && e.code == -ENOMEM && !e.file) {
		/* Out of memory: what was aggregated may be incomplete; say so only. */
		tn_tool_report(&e);
		status = TN_EXIT_USAGE;
	} else {
		/* What was read before a bad line is summarized, then the error shown. */
		w = co.json ? write_json(&out, &s, sort) : write_table(&out, &s, sort, cols);
		if (w == 0)
			w = tn_ev_out_flush(&out);
		if (r < 0 && !out.err) {
			tn_tool_report(&e);
			status = TN_EXIT_USAGE;
		}
	}
	tn_sum_fini(&s);
	return tn_tool_io_close(&io, w, status);
}
