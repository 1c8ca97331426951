/* SPDX-License-Identifier: MIT */
/* tn-compare: is a new trace the golden one, and is it slower? */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "ev-out.h"
#include "tool.h"

static void usage(void)
{
	printf("Usage: %s [OPTIONS] GOLDEN NEW\n"
	       "       %s [OPTIONS] GOLDEN... : NEW...\n"
	       "       %s --update [--force] GOLDEN NEW\n"
	       "Compare tn event streams (tn-events(5)): the same calls after normalisation,\n"
	       "aligned per process like diff -u, and timing over repeated runs. A side is a\n"
	       "file, '-', a directory of streams, or several of those before/after ':'.\n"
	       "\n"
	       "      --ignore=SET        add SET (tn-trace -e trace= syntax) to the noise set\n"
	       "      --keep=SET          take SET out of the noise set\n"
	       "      --map=OLD=NEW       rewrite paths under OLD as NEW (both sides)\n"
	       "      --tolerance=NAME:P%% compare NAME by count only, within P%%\n"
	       "      --threshold=S       different when the similarity is below S (default 1)\n"
	       "  -U, --unified=N         N calls of context around hunks (default 3)\n"
	       "      --slowdown=P%%       a regression is slower by more than P%% (default 10%%)\n"
	       "      --alpha=A           significance level, Bonferroni-corrected (default 0.05)\n"
	       "      --min-runs=N        runs needed on each side to judge timing (default 5)\n"
	       "      --judge=LIST        the timed items judged: wall,syscall,span (default all)\n"
	       "      --span-time=sum|p50|min  a span kind per run: its summed, median or\n"
	       "                          shortest time (default sum)\n"
	       "      --min-time=NS       judge only items whose golden median is NS or more\n"
	       "      --min-spans=N       judge only span kinds with N spans a run or more\n"
	       "      --max-cost=N        bound (n+m)*D per process before falling back to\n"
	       "                          per-name counts (default 200000000)\n"
	       "      --update            replace GOLDEN with NEW atomically\n"
	       "      --force             with --update: record a run whose command failed\n"
	       "      --format=table|json a report like diff -u (default), or finding records\n"
	       "  -o, --output=FILE       write to FILE instead of standard output\n"
	       "  -h, --help              show this help and exit\n"
	       "  -V, --version           show the version and exit\n"
	       "\n"
	       "Exit status: 0 equivalent and no regression, 1 different or regressed,\n"
	       "2 trouble. See tn-compare(1).\n",
	       tn_tool_name(), tn_tool_name(), tn_tool_name());
}

enum {
	OPT_IGNORE = TN_OPT_OWN_BASE, OPT_KEEP, OPT_MAP, OPT_TOLERANCE, OPT_THRESHOLD,
	OPT_SLOWDOWN, OPT_ALPHA, OPT_MIN_RUNS, OPT_MAX_COST, OPT_UPDATE, OPT_FORCE,
	OPT_JUDGE, OPT_SPAN_TIME, OPT_MIN_TIME, OPT_MIN_SPANS,
};

/* One option of tn-compare's own; returns -1 to go on, or an exit status. */
static int own_opt(int c, struct tn_cmp_opts *o, bool *update, bool *force)
{
	struct tn_error e = { 0 };
	long long v;
	const char *err;
	double d;

	switch (c) {
	case OPT_IGNORE:
	case OPT_KEEP:
		if (tn_cmp_opts_noise(o, optarg, c == OPT_IGNORE, &e) == 0)
			return -1;
		break;
	case OPT_MAP:
		if (tn_cmp_opts_map(o, optarg, &e) == 0)
			return -1;
		break;
	case OPT_TOLERANCE:
		if (tn_cmp_opts_tolerance(o, optarg, &e) == 0)
			return -1;
		break;
	case OPT_THRESHOLD:
	case OPT_SLOWDOWN:
	case OPT_ALPHA:
		if (tn_cmp_parse_fraction(optarg, &d) < 0 || (c != OPT_SLOWDOWN && d > 1)) {
			tn_error_set(&e, -EINVAL, "invalid value '%s'", optarg);
			break;
		}
		*(c == OPT_THRESHOLD ? &o->threshold : c == OPT_SLOWDOWN ? &o->slowdown : &o->alpha) = d;
		return -1;
	case 'U':
	case OPT_MIN_RUNS:
	case OPT_MIN_TIME:
	case OPT_MIN_SPANS:
	case OPT_MAX_COST:
		if (tn_tool_strtonum(optarg, c == OPT_MIN_RUNS,
				     c == OPT_MAX_COST || c == OPT_MIN_TIME || c == OPT_MIN_SPANS ? 1LL << 50 : 1000000,
				     &v, &err) < 0) {
			tn_error_set(&e, -EINVAL, "invalid number '%s': %s", optarg, err);
			break;
		}
		if (c == 'U')
			o->context = (unsigned)v;
		else if (c == OPT_MIN_RUNS)
			o->min_runs = (unsigned)v;
		else if (c == OPT_MIN_TIME)
			o->min_time = (uint64_t)v;
		else if (c == OPT_MIN_SPANS)
			o->min_spans = (uint64_t)v;
		else
			o->max_cost = (uint64_t)v;
		return -1;
	case OPT_JUDGE:
		if (tn_cmp_parse_judge(optarg, &o->judge) < 0) {
			tn_error_set(&e, -EINVAL, "--judge: expected wall, syscall or span, "
				     "comma-separated, got '%s'", optarg);
			break;
		}
		return -1;
	case OPT_SPAN_TIME:
		if (!strcmp(optarg, "sum"))
			o->span_time = TN_CMP_SPAN_SUM;
		else if (!strcmp(optarg, "p50"))
			o->span_time = TN_CMP_SPAN_P50;
		else if (!strcmp(optarg, "min"))
			o->span_time = TN_CMP_SPAN_MIN;
		else {
			tn_error_set(&e, -EINVAL, "--span-time: expected sum, p50 or min, got '%s'", optarg);
			break;
		}
		return -1;
	case OPT_UPDATE:
		*update = true;
		return -1;
	case OPT_FORCE:
		*force = true;
		return -1;
	default:
		return -2;
	}
	tn_tool_warnx("%s", e.msg);
	return tn_tool_usage_hint();
}

/* GOLDEN NEW, or GOLDEN... : NEW...; expanded into files, golden first. */
static int sides(char **args, int nargs, char ***files, size_t *n, size_t *ngold)
{
	struct tn_error e = { 0 };
	int colon = -1;

	for (int i = 0; i < nargs; i++)
		if (!strcmp(args[i], ":"))
			colon = i;
	if (colon < 0 && nargs == 2)
		colon = 1;
	else if (colon >= 0)
		args[colon] = NULL;
	if (colon < 1 || colon >= nargs - (args[colon] == NULL)) {
		tn_tool_warnx("expected GOLDEN and NEW");
		return tn_tool_usage_hint();
	}
	for (int i = 0; i < nargs; i++) {
		if (i == colon)
			*ngold = *n;
		if (args[i] && tn_cmp_expand(args[i], files, n, &e) < 0) {
			tn_tool_report(&e);
			return TN_EXIT_USAGE;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ignore", required_argument, NULL, OPT_IGNORE },
		{ "keep", required_argument, NULL, OPT_KEEP },
		{ "map", required_argument, NULL, OPT_MAP },
		{ "tolerance", required_argument, NULL, OPT_TOLERANCE },
		{ "threshold", required_argument, NULL, OPT_THRESHOLD },
		{ "unified", required_argument, NULL, 'U' },
		{ "slowdown", required_argument, NULL, OPT_SLOWDOWN },
		{ "alpha", required_argument, NULL, OPT_ALPHA },
		{ "min-runs", required_argument, NULL, OPT_MIN_RUNS },
		{ "max-cost", required_argument, NULL, OPT_MAX_COST },
		{ "judge", required_argument, NULL, OPT_JUDGE },
		{ "span-time", required_argument, NULL, OPT_SPAN_TIME },
		{ "min-time", required_argument, NULL, OPT_MIN_TIME },
		{ "min-spans", required_argument, NULL, OPT_MIN_SPANS },
		{ "update", no_argument, NULL, OPT_UPDATE },
		{ "force", no_argument, NULL, OPT_FORCE },
		TN_TOOL_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	static struct tn_ev_out out;
	struct tn_tool_common co = { .usage = usage };
	struct tn_error e = { 0 };
	struct tn_cmp_opts o;
	struct tn_tool_io io;
	struct tn_cmp *cmp = NULL;
	char **files = NULL;
	size_t nfiles = 0, ngold = 0;
	bool update = false, force = false;
	int c, r, status = TN_EXIT_USAGE, w = 0;

	tn_tool_init("tn-compare");
	if (tn_cmp_opts_init(&o, &e) < 0) {
		tn_tool_report(&e);
		return TN_EXIT_USAGE;
	}
	while ((c = getopt_long(argc, argv, ":U:" TN_TOOL_COMMON_SHORTOPTS, opts, NULL)) != -1) {
		if ((r = own_opt(c, &o, &update, &force)) == -2)
			r = tn_tool_common_opt(c, argv, &co);
		if (r >= 0)
			goto done;
	}
	if (update) {
		/* Writes a file by name (temporary file, rename), so no lockdown. */
		const char *name;
		int fd;

		if (argc - optind != 2) {
			tn_tool_warnx("--update takes GOLDEN and NEW");
			status = tn_tool_usage_hint();
			goto done;
		}
		if ((fd = tn_tool_open_input(argv[optind + 1], &name, NULL)) < 0)
			goto done;
		if (tn_cmp_update(argv[optind], fd, name, force, &e) < 0)
			tn_tool_report(&e);
		else
			status = TN_EXIT_OK;
		if (fd > 0)
			close(fd);
		goto done;
	}
	if ((r = sides(argv + optind, argc - optind, &files, &nfiles, &ngold)) >= 0) {
		status = r;
		goto done;
	}
	if (tn_tool_io_open(&io, files, (int)nfiles, co.output) < 0)
		goto done;
	tn_ev_out_init(&out, io.outfd);
	if (!(cmp = tn_cmp_new(&o))) {
		tn_tool_warnx("out of memory");
		status = tn_tool_io_close(&io, 0, TN_EXIT_USAGE);
		goto done;
	}
	r = 0;
	for (size_t i = 0; i < io.nin && r >= 0; i++)
		r = tn_cmp_read_fd(cmp, i < ngold ? TN_CMP_GOLDEN : TN_CMP_NEW, io.in[i].fd,
				   io.in[i].name, &e);
	if (r >= 0)
		r = tn_cmp_report(cmp, &out, co.json, &e);
	w = tn_ev_out_flush(&out);
	if (r < 0 && !out.err)
		tn_tool_report(&e);
	status = tn_tool_io_close(&io, out.err ? out.err : w, r < 0 ? TN_EXIT_USAGE : r);
done:
	tn_cmp_free(cmp);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	tn_cmp_opts_fini(&o);
	return status;
}
