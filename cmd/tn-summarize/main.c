/* tn-summarize: the strace -c table (or summary records) of event streams. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ev-out.h"
#include "reader.h"
#include "summary.h"
#include "tool.h"

enum { OPT_FORMAT = TN_OPT_LONG_BASE };

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

struct input {
	const char *name;
	int fd;
	struct stat st;
};

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

/* Read one input into s; records of unknown kinds go to o when json. */
static int read_input(const struct input *in, struct tn_sum *s, struct tn_ev_out *o,
		      bool json, struct tn_error *e)
{
	struct tn_ev_reader *r = tn_ev_reader_new_fd(in->fd, in->name);
	const struct tn_ev_rec *rec;
	int ret;

	if (!r)
		return tn_error_set_at(e, -ENOMEM, in->name, 0, 0, "out of memory");
	s->input = in->name;
	while ((ret = tn_ev_reader_next(r, &rec, e)) > 0) {
		ret = tn_sum_add(s, rec, e);
		if (ret < 0)
			break;
		if (json && rec->kind == TN_EV_K_OTHER) {
			/* Pass records of kinds we do not know through untouched
			 * (the reader keeps each line's '\n' after it). */
			ret = tn_ev_out_line(o, rec->line, rec->len + 1);
			if (ret < 0) {
				tn_error_set(e, ret, "write error: %s", strerror(-ret));
				break;
			}
		}
	}
	tn_ev_reader_free(r);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "summary-sort-by", required_argument, NULL, 'S' },
		{ "summary-columns", required_argument, NULL, 'U' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	enum tn_sum_col cols[TN_COL_MAX_ + 1];
	enum tn_sum_sort sort = TN_SORT_TIME;
	const char *outname = NULL;
	struct input *in;
	struct tn_ev_out *o;
	struct tn_error e = { 0 };
	struct tn_sum s;
	bool json = false;
	int c, nin, outfd = STDOUT_FILENO, status = TN_EXIT_OK, r = 0;

	tn_tool_init("tn-summarize");
	for (int i = 0; i == 0 || tn_sum_default_cols[i - 1] != TN_COL_NONE; i++)
		cols[i] = tn_sum_default_cols[i];
	opterr = 0;     /* our own messages: getopt's would name argv[0] */
	while ((c = getopt_long(argc, argv, ":S:U:o:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			c = tn_sum_sort_parse(optarg);
			if (c < 0) {
				tn_tool_warnx("invalid sortby: '%s'", optarg);
				return tn_tool_usage_hint();
			}
			sort = (enum tn_sum_sort)c;
			break;
		case 'U':
			if (tn_sum_cols_parse(optarg, cols, &e) < 0) {
				tn_tool_warnx("%s", e.msg);
				return tn_tool_usage_hint();
			}
			break;
		case OPT_FORMAT:
			if (tn_tool_format(optarg, &json))
				return TN_EXIT_USAGE;
			break;
		case 'o':
			outname = optarg;
			break;
		case 'h':
			usage();
			return TN_EXIT_OK;
		case 'V':
			tn_tool_version();
			return TN_EXIT_OK;
		default:
			return tn_tool_bad_option(c, argv);
		}
	}

	/* Open everything first: nothing is read until every input opened. */
	nin = argc > optind ? argc - optind : 1;
	in = calloc((size_t)nin, sizeof(*in));
	o = malloc(sizeof(*o));
	if (!in || !o) {
		tn_tool_warnx("out of memory");
		goto fail_open;
	}
	for (int i = 0; i < nin; i++) {
		const char *name = argc > optind ? argv[optind + i] : "-";

		in[i].fd = tn_tool_open_input(name, &in[i].name, &in[i].st);
		if (in[i].fd < 0)
			goto fail_open;
	}
	if (outname) {
		struct stat st;

		/* Refuse to truncate an input before reading it. */
		for (int i = 0; i < nin && stat(outname, &st) == 0 && S_ISREG(st.st_mode); i++) {
			if (in[i].st.st_dev == st.st_dev && in[i].st.st_ino == st.st_ino) {
				tn_tool_warnx("%s: the output is also an input", outname);
				goto fail_open;
			}
		}
		outfd = tn_tool_open_output(outname);
		if (outfd < 0)
			goto fail_open;
	}
	if (tn_tool_lockdown(&e) < 0) {
		tn_tool_report(&e);
		goto fail_open;
	}

	tn_ev_out_init(o, outfd);
	tn_sum_init(&s);
	for (int i = 0; i < nin && r >= 0; i++)
		r = read_input(&in[i], &s, o, json, &e);
	if (r < 0 && e.code == -ENOMEM && !e.file) {
		/* Out of memory: what was aggregated may be incomplete; say so only. */
		tn_tool_report(&e);
		status = TN_EXIT_USAGE;
	} else {
		/* What was read before a bad line is summarized, then the error shown. */
		int w = json ? write_json(o, &s, sort) : write_table(o, &s, sort, cols);

		if (w == 0)
			w = tn_ev_out_flush(o);
		if (w < 0) {
			tn_tool_warnx("%s: write error: %s", outname ? outname : "<stdout>",
				      strerror(-w));
			status = TN_EXIT_USAGE;
		}
		if (r < 0) {
			tn_tool_report(&e);
			status = TN_EXIT_USAGE;
		}
	}
	tn_sum_fini(&s);
	for (int i = 0; i < nin; i++)
		if (in[i].fd != STDIN_FILENO)
			close(in[i].fd);
	free(in);
	free(o);
	if (outfd != STDOUT_FILENO && close(outfd) < 0 && status == TN_EXIT_OK) {
		tn_tool_warnx("%s: write error: %s", outname, strerror(errno));
		status = TN_EXIT_USAGE;
	}
	return status;

fail_open:
	for (int i = 0; in && i < nin; i++)
		if (in[i].fd > STDIN_FILENO)
			close(in[i].fd);
	free(in);
	free(o);
	return TN_EXIT_USAGE;
}
