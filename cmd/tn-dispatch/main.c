/* tn-dispatch: run libtn operations described as JSON-lines jobs (tn-dispatch(1)). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dispatch.h"
#include "events.h"
#include "tool.h"

enum {
	OPT_LIST = TN_OPT_LONG_BASE,
	OPT_FORMAT,
	OPT_NO_HEADER,
	OPT_NO_SPANS,
	OPT_NO_TIMES,
};

static void usage(void)
{
	printf("Usage: %s [OPTIONS] [FILE]...\n"
	       "       %s --list-backends [--format=table|json]\n"
	       "Run the libtn jobs (one JSON object per line) in each FILE, or standard\n"
	       "input when none is given or FILE is '-', and write one result record per\n"
	       "job, with libtn's spans, as tn-events(5).\n"
	       "\n"
	       "  -b, --backend=NAME      run every job on NAME: auto, scalar, sse2, avx2,\n"
	       "                          avx512 or neon (a job's \"backend\" overrides it)\n"
	       "  -o, --output=FILE       write the records to FILE instead of standard output\n"
	       "      --list-backends     show the backends this CPU has and the one each\n"
	       "                          operation runs on, then exit\n"
	       "      --format=table|json the form of --list-backends (default table)\n"
	       "      --no-header         write no header record\n"
	       "      --no-spans          write no span records\n"
	       "      --no-times          leave the timing members out of results of\n"
	       "                          generated jobs (output that a test can compare)\n"
	       "  -h, --help              show this help and exit\n"
	       "  -V, --version           show the version and exit\n"
	       "\n"
	       "Exit status: 0 every job ran, 1 a job failed (its error record names the\n"
	       "line), 2 bad usage or an input or output that could not be opened, read or\n"
	       "written. See tn-dispatch(1).\n",
	       tn_tool_name(), tn_tool_name());
}

struct input {
	const char *name;
	int fd;
};

/* Every job of one input; returns 0, or -errno when it could not be read. */
static int run_input(struct tn_dispatch *d, const struct input *in)
{
	struct tn_dispatch_reader rd;
	struct tn_error e = { 0 };
	const char *text;
	size_t len;
	int r;

	if (tn_dispatch_reader_init(&rd, in->fd, in->name) < 0) {
		tn_tool_warnx("out of memory");
		return -ENOMEM;
	}
	while ((r = tn_dispatch_reader_next(&rd, &text, &len, &e)) != 0 && d->out_err == 0) {
		if (r == -E2BIG) {
			tn_dispatch_error(d, &e);
			tn_tool_report(&e);
			continue;
		}
		if (r < 0) {
			tn_tool_report(&e);
			break;
		}
		if (tn_dispatch_job(d, in->name, rd.line, text, len, &e) < 0)
			tn_tool_report(&e);
	}
	tn_dispatch_reader_finish(&rd);
	return r < 0 && r != -E2BIG ? r : 0;
}

static int write_header(int fd, int argc, char **argv, const char *backend)
{
	struct tn_ev_header h = {
		.producer = "tn-dispatch",
		.argv = argv,
		.argc = argc,
		.start_ts = tn_ev_now(),
		.backend = backend,
	};
	struct tn_jw w;
	int r;

	tn_jw_init(&w);
	r = tn_ev_header_build(&w, &h);
	if (r == 0)
		r = tn_jw_write_line(&w, fd);
	tn_jw_finish(&w);
	return r;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "list-backends", no_argument, NULL, OPT_LIST },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "no-header", no_argument, NULL, OPT_NO_HEADER },
		{ "no-spans", no_argument, NULL, OPT_NO_SPANS },
		{ "no-times", no_argument, NULL, OPT_NO_TIMES },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct tn_dispatch_opts o = { .out_fd = STDOUT_FILENO, .times = true };
	const char *outname = NULL, *backend = NULL, *env;
	bool list = false, json = false, header = true, spans = true;
	struct tn_error e = { 0 };
	struct tn_dispatch d;
	struct input *in = NULL;
	int c, nin, status = TN_EXIT_OK;

	tn_tool_init("tn-dispatch");
	while ((c = getopt_long(argc, argv, ":b:o:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			backend = optarg;
			break;
		case 'o':
			outname = optarg;
			break;
		case OPT_LIST:
			list = true;
			break;
		case OPT_FORMAT:
			if (tn_tool_format(optarg, &json))
				return TN_EXIT_USAGE;
			break;
		case OPT_NO_HEADER:
			header = false;
			break;
		case OPT_NO_SPANS:
			spans = false;
			break;
		case OPT_NO_TIMES:
			o.times = false;
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

	if (tn_backend_env_status(&env) < 0) {
		tn_tool_warnx("TN_BACKEND=%s: %s", env,
			      tn_backend_env_status(NULL) == -ENOTSUP ? "this CPU lacks it" :
			      "no such backend (auto, scalar, sse2, avx2, avx512, neon)");
		return TN_EXIT_USAGE;
	}
	if (backend) {
		enum tn_backend b;

		if (tn_backend_from_name(backend, &b) < 0) {
			tn_tool_warnx("invalid backend: '%s' (auto, scalar, sse2, avx2, avx512, neon)",
				      backend);
			return tn_tool_usage_hint();
		}
		if (tn_backend_force(b) < 0) {
			tn_tool_warnx("this CPU has no %s backend", backend);
			return TN_EXIT_USAGE;
		}
	}
	o.backend = tn_backend_forced();

	/* Open everything first: nothing runs until every input opened. */
	nin = list ? 0 : argc > optind ? argc - optind : 1;
	in = calloc((size_t)(nin ? nin : 1), sizeof(*in));
	if (!in) {
		tn_tool_warnx("out of memory");
		return TN_EXIT_USAGE;
	}
	for (int i = 0; i < nin; i++) {
		const char *name = argc > optind ? argv[optind + i] : "-";

		in[i].fd = tn_tool_open_input(name, &in[i].name, NULL);
		if (in[i].fd < 0) {
			status = TN_EXIT_USAGE;
			goto out;
		}
	}
	if (outname) {
		o.out_fd = tn_tool_open_output(outname);
		if (o.out_fd < 0) {
			status = TN_EXIT_USAGE;
			goto out;
		}
	}
	if (tn_tool_lockdown(&e) < 0) {
		tn_tool_report(&e);
		status = TN_EXIT_USAGE;
		goto out;
	}

	if (list) {
		int r = tn_dispatch_list_backends(o.out_fd, json);

		if (r < 0) {
			tn_tool_warnx("%s: write error: %s", outname ? outname : "<stdout>",
				      strerror(-r));
			status = TN_EXIT_USAGE;
		}
		goto out;
	}
	/* Spans go into the same output, each one write(2) like every record. */
	tn_trace_set_fd(spans ? o.out_fd : -1);
	tn_dispatch_init(&d, &o);
	if (header)
		d.out_err = write_header(o.out_fd, argc, argv,
					 backend ? tn_backend_name(o.backend) : NULL);
	for (int i = 0; i < nin && d.out_err == 0; i++)
		if (run_input(&d, &in[i]) < 0)
			status = TN_EXIT_USAGE;
	tn_trace_set_fd(-1);
	if (d.out_err < 0) {
		tn_tool_warnx("%s: write error: %s", outname ? outname : "<stdout>",
			      strerror(-d.out_err));
		status = TN_EXIT_USAGE;
	} else if (status == TN_EXIT_OK && d.failed > 0) {
		status = TN_EXIT_FAIL;
	}
	tn_dispatch_finish(&d);

out:
	for (int i = 0; i < nin; i++)
		if (in[i].fd > STDIN_FILENO)
			close(in[i].fd);
	free(in);
	if (outname && o.out_fd >= 0 && o.out_fd != STDOUT_FILENO && close(o.out_fd) < 0 &&
	    status == TN_EXIT_OK) {
		tn_tool_warnx("%s: write error: %s", outname, strerror(errno));
		status = TN_EXIT_USAGE;
	}
	return status;
}
