/* Messages, --version and option helpers shared by the tn programs. */
#include "tool.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
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
		*ret_name = "<stdin>";
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
