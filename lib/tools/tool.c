/* Messages, --version and option helpers shared by the tn programs. */
#include "tool.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include <unistd.h>

#include "escape.h"
#include "tn-config.h"

static const char *tool_name = "tn";

void tn_tool_init(const char *name)
{
	tool_name = name;
	opterr = 0;     /* our own messages: getopt's would name argv[0] */
}

const char *tn_tool_name(void)
{
	return tool_name;
}

/*
 * Every message is one line, whatever the input put in it: text from the
 * input (names, keys, file names, jansson's excerpts) is escaped as
 * escape.h says, so it can neither forge a line nor reach the terminal as
 * an escape sequence (issue 8, item 6).
 */
__attribute__((format(printf, 1, 0)))
static void vmsg(const char *fmt, va_list ap, int code)
{
	char buf[4096], out[4 * sizeof(buf)];
	int n = snprintf(buf, sizeof(buf), "%s: ", tool_name);

	if (n < 0)
		return;
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	if (code) {
		size_t l = strlen(buf);
		snprintf(buf + l, sizeof(buf) - l, ": %s", strerror(-code));
	}
	tn_escape(out, sizeof(out), buf, strlen(buf));
	fflush(stdout);
	fprintf(stderr, "%s\n", out);
}

void tn_tool_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, 0);
	va_end(ap);
}

void tn_tool_warn_errno(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, code);
	va_end(ap);
}

void tn_tool_report(const struct tn_error *e)
{
	char buf[1024];

	tn_error_format(e, buf, sizeof(buf));
	tn_tool_warnx("%s", buf);
}

void tn_tool_version(void)
{
	printf("%s (tn) %s\n", tool_name, TN_VERSION);
	printf("Event schema %d. MIT licence; see LICENSE.\n", TN_EVENTS_SCHEMA);
}

int tn_tool_usage_hint(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", tool_name);
	return TN_EXIT_USAGE;
}

int tn_tool_bad_option(int c, char *const *argv)
{
	if (c == ':')
		tn_tool_warnx("option '%s' needs an argument", argv[optind - 1]);
	else if (optopt)
		tn_tool_warnx("invalid option -- '%c'", optopt);
	else
		tn_tool_warnx("unrecognized option '%s'", argv[optind - 1]);
	return tn_tool_usage_hint();
}

int tn_tool_open_input(const char *arg, const char **ret_name, struct stat *ret_st)
{
	struct stat st;
	int fd;

	if (strcmp(arg, "-") == 0) {
		*ret_name = TN_TOOL_STDIN_NAME;
		fd = STDIN_FILENO;
	} else {
		*ret_name = arg;
		fd = open(arg, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			tn_tool_warnx("%s: %s", arg, strerror(errno));
			return -1;
		}
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		tn_tool_warnx("%s: %s", *ret_name, strerror(EISDIR));
		if (fd != STDIN_FILENO)
			close(fd);
		return -1;
	}
	if (ret_st)
		*ret_st = st;
	return fd;
}

int tn_tool_open_output(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);

	if (fd < 0)
		tn_tool_warnx("%s: %s", path, strerror(errno));
	return fd;
}

int tn_tool_format(const char *arg, bool *ret_json)
{
	if (strcmp(arg, "json") == 0) {
		*ret_json = true;
		return 0;
	}
	if (strcmp(arg, "table") == 0) {
		*ret_json = false;
		return 0;
	}
	tn_tool_warnx("invalid format: '%s' (table or json)", arg);
	return tn_tool_usage_hint();
}

int tn_tool_strtonum(const char *s, long long min, long long max,
		     long long *ret, const char **errstr)
{
	char *end;
	long long v;

	*errstr = NULL;
	if (!s || !*s) {
		*errstr = "invalid";
		return -EINVAL;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0') {
		*errstr = "invalid";
		return -EINVAL;
	}
	if ((errno == ERANGE && v == LLONG_MIN) || v < min) {
		*errstr = "too small";
		return -ERANGE;
	}
	if ((errno == ERANGE && v == LLONG_MAX) || v > max) {
		*errstr = "too large";
		return -ERANGE;
	}
	*ret = v;
	return 0;
}

int tn_tool_common_opt(int c, char *const *argv, struct tn_tool_common *co)
{
	switch (c) {
	case 'o':
		co->output = optarg;
		return -1;
	case TN_OPT_FORMAT:
		return tn_tool_format(optarg, &co->json) ? TN_EXIT_USAGE : -1;
	case 'h':
		co->usage();
		return TN_EXIT_OK;
	case 'V':
		tn_tool_version();
		return TN_EXIT_OK;
	default:
		return tn_tool_bad_option(c, argv);
	}
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return S_ISREG(a->st_mode) && a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Refuse an output that is also an input: it would be truncated before it
 * is read, or read back as it is written (tn-dispatch F >> F never ends). */
static int check_not_input(const struct tn_tool_io *io, const struct stat *st)
{
	for (size_t i = 0; i < io->nin; i++) {
		if (same_file(st, &io->in[i].st)) {
			tn_tool_warnx("%s: the output is also an input", io->outname);
			return -1;
		}
	}
	return 0;
}

static int open_output(struct tn_tool_io *io, const char *path)
{
	struct stat st;

	io->outname = path ? path : TN_TOOL_STDOUT_NAME;
	if (path ? stat(path, &st) == 0 : fstat(STDOUT_FILENO, &st) == 0) {
		if (check_not_input(io, &st) < 0)
			return -1;
	}
	io->outfd = path ? tn_tool_open_output(path) : STDOUT_FILENO;
	if (io->outfd < 0)
		return -1;
	if (fstat(io->outfd, &st) == 0 && S_ISREG(st.st_mode))
		signal(SIGXFSZ, SIG_IGN);
	return 0;
}

static int open_inputs(struct tn_tool_io *io, char *const *args, int nargs)
{
	size_t n = !args ? 0 : nargs > 0 ? (size_t)nargs : 1;

	io->in = calloc(n ? n : 1, sizeof(*io->in));
	if (!io->in) {
		tn_tool_warnx("out of memory");
		return -1;
	}
	for (; io->nin < n; io->nin++) {
		struct tn_tool_input *in = &io->in[io->nin];

		in->fd = tn_tool_open_input(nargs > 0 ? args[io->nin] : "-", &in->name, &in->st);
		if (in->fd < 0)
			return -1;
	}
	return 0;
}

static void close_inputs(struct tn_tool_io *io)
{
	for (size_t i = 0; i < io->nin; i++)
		if (io->in[i].fd != STDIN_FILENO)
			close(io->in[i].fd);
	free(io->in);
	io->in = NULL;
	io->nin = 0;
}

int tn_tool_io_open(struct tn_tool_io *io, char *const *args, int nargs,
		    const char *outpath)
{
	struct tn_error e = { 0 };

	*io = (struct tn_tool_io){ .outfd = -1, .outname = TN_TOOL_STDOUT_NAME };
	if (open_inputs(io, args, nargs) < 0 || open_output(io, outpath) < 0)
		goto fail;
	if (tn_tool_lockdown(&e) < 0) {
		tn_tool_report(&e);
		goto fail;
	}
	return 0;
fail:
	close_inputs(io);
	if (io->outfd > STDOUT_FILENO)
		close(io->outfd);
	io->outfd = -1;
	return -1;
}

int tn_tool_io_close(struct tn_tool_io *io, int write_err, int status)
{
	close_inputs(io);
	if (io->outfd > STDOUT_FILENO && close(io->outfd) < 0 && !write_err)
		write_err = -errno;
	io->outfd = -1;
	if (write_err) {
		tn_tool_warn_errno(write_err, "%s: write error", io->outname);
		status = TN_EXIT_USAGE;
	}
	return status;
}
