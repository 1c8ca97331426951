/* SPDX-License-Identifier: MIT */
/* tn-assert: did a traced run keep its budgets? */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "assert.h"
#include "tool.h"

static void usage(void)
{
	printf("Usage: %s -c BUDGETS.yaml [OPTIONS] [FILE]...\n"
	       "Check tn event streams (tn-events(5)) against the budgets in BUDGETS.yaml\n"
	       "(tn-assert.yaml(5)): one line per assertion, pass, warn, fail or skip.\n"
	       "\n"
	       "  -c, --config=FILE       the budgets (required)\n"
	       "      --junit=FILE        also write the verdicts as JUnit XML to FILE\n"
	       "      --format=table|json one line per assertion (default), or verdict records\n"
	       "  -o, --output=FILE       write to FILE instead of standard output\n"
	       "  -h, --help              show this help and exit\n"
	       "  -V, --version           show the version and exit\n"
	       "\n"
	       "Exit status: 0 no assertion that must fail failed, 1 one did, 2 trouble.\n"
	       "See tn-assert(1).\n", tn_tool_name());
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "junit", required_argument, NULL, TN_OPT_OWN_BASE },
		TN_TOOL_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	static struct tn_ev_out out, jout;
	struct tn_tool_common co = { .usage = usage };
	struct tn_asr_budget b = { 0 };
	struct tn_error e = { 0 };
	struct tn_tool_io io;
	struct tn_asr *a = NULL;
	const char *config = NULL, *junit = NULL;
	int c, r = 0, jfd = -1, jw = 0, status = TN_EXIT_USAGE;

	tn_tool_init("tn-assert");
	while ((c = getopt_long(argc, argv, ":c:" TN_TOOL_COMMON_SHORTOPTS, opts, NULL)) != -1) {
		if (c == 'c' || c == TN_OPT_OWN_BASE)
			*(c == 'c' ? &config : &junit) = optarg;
		else if ((r = tn_tool_common_opt(c, argv, &co)) >= 0)
			return r;
	}
	if (!config) {
		tn_tool_warnx("no budgets: -c FILE is required");
		return tn_tool_usage_hint();
	}
	if (tn_asr_budget_load(&b, config, &e) < 0) {
		tn_tool_report(&e);
		goto done;
	}
	if (!(a = tn_asr_new(&b))) {
		tn_tool_warnx("out of memory");
		goto done;
	}
	if ((junit && (jfd = tn_tool_open_output(junit)) < 0) ||
	    tn_tool_io_open(&io, argv + optind, argc - optind, co.output) < 0)
		goto done;
	tn_ev_out_init(&out, io.outfd);
	tn_ev_out_init(&jout, jfd);
	r = 0;
	for (size_t i = 0; i < io.nin && r >= 0; i++)
		r = tn_asr_read_fd(a, io.in[i].fd, io.in[i].name, &e);
	if (r >= 0)
		r = tn_asr_report(a, &out, co.json, junit ? &jout : NULL, &e);
	if (junit && (jw = tn_ev_out_flush(&jout)) == 0 && close(jfd) < 0)
		jw = -errno;
	if (jw < 0 && r >= 0) {
		tn_tool_warnx("%s: write error: %s", junit, strerror(-jw));
		r = -1;
	}
	if (r < 0 && !out.err && e.msg[0])
		tn_tool_report(&e);
	status = tn_tool_io_close(&io, out.err ? out.err : tn_ev_out_flush(&out),
				  r < 0 ? TN_EXIT_USAGE : r);
done:
	tn_asr_free(a);
	tn_asr_budget_fini(&b);
	return status;
}
