/* tn-dispatch: run libtn operations described as JSON-lines jobs (tn-dispatch(1)). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "events.h"
#include "tn/tn-device.h"
#include "tool.h"

enum {
	OPT_LIST = TN_OPT_OWN_BASE,
	OPT_CALIBRATE,
	OPT_NO_HEADER,
	OPT_NO_SPANS,
	OPT_NO_TIMES,
};

static void usage(void)
{
	char names[256];

	tn_dispatch_backend_names(names, sizeof(names), " or ", 49, 79, 26);
	printf("Usage: %s [OPTIONS] [FILE]...\n"
	       "       %s --list-backends [--format=table|json]\n"
	       "       %s --calibrate\n"
	       "Run the libtn jobs (one JSON object per line) in each FILE, or standard\n"
	       "input when none is given or FILE is '-', and write one result record per\n"
	       "job, with libtn's spans, as tn-events(5).\n"
	       "\n"
	       "  -b, --backend=NAME      run every job on NAME: %s\n"
	       "                          (a job's \"backend\" overrides it)\n"
	       "  -o, --output=FILE       write the records to FILE instead of standard output\n"
	       "      --list-backends     show the backends this CPU has and the one each\n"
	       "                          operation runs on, then exit\n"
	       "      --calibrate         measure the OpenCL device against the CPU and save\n"
	       "                          it for the automatic choice, then exit\n"
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
	       tn_tool_name(), tn_tool_name(), tn_tool_name(), names);
}

/* Every job of one input; returns 0, or -errno when it could not be read. */
static int run_input(struct tn_dispatch *d, const struct tn_tool_input *in)
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

/* --backend and TN_BACKEND; returns -1 to go on or the exit status. */
static int pick_backend(const char *backend)
{
	enum tn_backend b;
	const char *env;
	char names[256];
	int r;

	tn_dispatch_backend_names(names, sizeof(names), ", ", 0, 0, 0);
	if ((r = tn_backend_env_status(&env)) < 0) {
		if (r == -ENOTSUP)
			tn_tool_warnx("TN_BACKEND=%s: this CPU lacks it", env);
		else
			tn_tool_warnx("TN_BACKEND=%s: no such backend (%s)", env, names);
		return TN_EXIT_USAGE;
	}
	if (!backend)
		return -1;
	if (tn_backend_from_name(backend, &b) < 0) {
		tn_tool_warnx("invalid backend: '%s' (%s)", backend, names);
		return tn_tool_usage_hint();
	}
	if (tn_backend_force(b) < 0) {
		tn_tool_warnx("this CPU has no %s backend", backend);
		return TN_EXIT_USAGE;
	}
	return -1;
}

/* --calibrate: measure the device against the CPU, save it for auto, show it. */
static int calibrate(void)
{
	struct tn_device_calibration c;
	const char *text;
	int r;

	if (tn_device_status(&text) < 0) {
		tn_tool_warnx("no OpenCL device: %s", text);
		return TN_EXIT_USAGE;
	}
	if ((r = tn_device_calibrate(&c)) < 0) {
		tn_tool_warnx("calibration failed: %s", strerror(-r));
		return TN_EXIT_FAIL;
	}
	if ((r = tn_device_calibration_save(&c)) < 0) {
		tn_tool_warnx("cannot save the calibration to %s: %s",
			      tn_device_calibration_path() ? tn_device_calibration_path() : "(no HOME)",
			      strerror(-r));
		return TN_EXIT_FAIL;
	}
	{
		char buf[4096];

		tn_dispatch_calibration_text(buf, sizeof(buf), &c);
		printf("%s\n%s", text, buf);
	}
	printf("saved to %s (delete it to keep auto on the CPU)\n", tn_device_calibration_path());
	return TN_EXIT_OK;
}

/* What must be read before the lockdown, while the OpenCL driver may still
 * open its files. */
static void probe_device(bool list)
{
	/*
	 * The listing says whether the device is there and shows the saved
	 * calibration: probe and read them now (-b opencl and TN_BACKEND=opencl
	 * have probed it already).  A job's own "backend":"opencl" without
	 * one of them, or TN_OPENCL=1, finds the device absent under the
	 * sandbox.
	 */
	const char *cl = getenv("TN_OPENCL");
	/* TN_OPENCL=1 (anything but 0 and auto) asks for the device: a job's
	 * "backend":"opencl" finds it. */
	bool asked = cl && *cl && strcmp(cl, "0") != 0 && strcmp(cl, "auto") != 0;

	if (list || asked)
		(void)tn_device_status(NULL);
	if (list) {
		(void)tn_device_calibration_load(NULL);
	}
	/*
	 * With TN_OPENCL=auto, the calibration auto follows is read now, by the
	 * automatic choice itself (which loads the driver only when the
	 * calibration lets the device win something).
	 */
	if (tn_backend_forced() == TN_BACKEND_AUTO)
		(void)tn_op_backend(TN_OP_MATMUL);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "list-backends", no_argument, NULL, OPT_LIST },
		{ "calibrate", no_argument, NULL, OPT_CALIBRATE },
		{ "no-header", no_argument, NULL, OPT_NO_HEADER },
		{ "no-spans", no_argument, NULL, OPT_NO_SPANS },
		{ "no-times", no_argument, NULL, OPT_NO_TIMES },
		TN_TOOL_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct tn_dispatch_opts o = { .times = true };
	struct tn_tool_common co = { .usage = usage };
	bool list = false, header = true, spans = true;
	const char *backend = NULL;
	struct tn_tool_io io;
	struct tn_dispatch d;
	int c, r, status = TN_EXIT_OK;

	tn_tool_init("tn-dispatch");
	while ((c = getopt_long(argc, argv, ":b:" TN_TOOL_COMMON_SHORTOPTS, opts, NULL)) != -1) {
		if (c == 'b')
			backend = optarg;
		else if (c == OPT_LIST)
			list = true;
		else if (c == OPT_CALIBRATE)
			return calibrate();
		else if (c == OPT_NO_HEADER)
			header = false;
		else if (c == OPT_NO_SPANS)
			spans = false;
		else if (c == OPT_NO_TIMES)
			o.times = false;
		else if ((r = tn_tool_common_opt(c, argv, &co)) >= 0)
			return r;
	}
	if ((r = pick_backend(backend)) >= 0)
		return r;
	o.backend = tn_backend_forced();
	probe_device(list);
	/* Nothing runs until every input and the output are open. */
	if (tn_tool_io_open(&io, list ? NULL : argv + optind, argc - optind, co.output) < 0)
		return TN_EXIT_USAGE;
	if (list)
		return tn_tool_io_close(&io, tn_dispatch_list_backends(io.outfd, co.json), status);

	/* Spans go into the same output, each one write(2) like every record. */
	o.out_fd = io.outfd;
	tn_span_set_fd(spans ? o.out_fd : -1);
	tn_dispatch_init(&d, &o);
	if (header)
		d.out_err = write_header(o.out_fd, argc, argv,
					 backend ? tn_backend_name(o.backend) : NULL);
	for (size_t i = 0; i < io.nin && d.out_err == 0; i++)
		if (run_input(&d, &io.in[i]) < 0)
			status = TN_EXIT_USAGE;
	tn_span_set_fd(-1);
	if (status == TN_EXIT_OK && d.failed > 0)
		status = TN_EXIT_FAIL;
	r = d.out_err;
	tn_dispatch_finish(&d);
	return tn_tool_io_close(&io, r, status);
}
