/* Parsing of -e trace=... and -e status=... */
#include "filter.h"

#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

void tn_trace_filter_init(struct tn_trace_filter *f)
{
	memset(f, 0, sizeof(*f));
	memset(f->sel, 0xff, sizeof(f->sel));
	f->all = true;
	f->status = TN_STATUS_ALL;
}

/* Add (to sel) every call one item names; returns how many it matched. */
static int add_item(uint8_t sel[TN_ARCH_COUNT][TN_NR_MAX / 8], const char *item,
		    struct tn_error *e)
{
	int matched = 0;
	uint16_t cls = 0;
	regex_t re;
	bool is_re = item[0] == '/';

	if (is_re) {
		int rc = regcomp(&re, item + 1, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			char msg[256];
			regerror(rc, &re, msg, sizeof(msg));
			return tn_error_set(e, -EINVAL, "invalid regular expression '%s': %s",
					    item + 1, msg);
		}
	} else if (item[0] == '%') {
		cls = tn_sys_class(item + 1);
		if (!cls)
			return tn_error_set(e, -EINVAL, "invalid system call class '%s'", item);
	}
	for (int a = 0; a < TN_ARCH_COUNT; a++) {
		if (!tn_arch_supported((enum tn_arch)a))
			continue;
		for (uint32_t i = 0; i < TN_NR_MAX; i++) {
			const struct tn_sysent *s = tn_sysent((enum tn_arch)a, tn_sys_nr((enum tn_arch)a, i));
			bool hit;

			if (!s->name)
				continue;
			if (is_re)
				hit = regexec(&re, s->name, 0, NULL, 0) == 0;
			else if (cls)
				hit = (s->classes & cls) != 0;
			else
				hit = !strcmp(s->name, item);
			if (hit) {
				sel[a][i >> 3] |= (uint8_t)(1u << (i & 7));
				matched++;
			}
		}
	}
	if (is_re)
		regfree(&re);
	return matched;
}

static int parse_trace(struct tn_trace_filter *f, const char *set, struct tn_error *e)
{
	uint8_t sel[TN_ARCH_COUNT][TN_NR_MAX / 8];
	bool neg = false;
	char *copy, *save = NULL;
	int rc = 0;

	memset(sel, 0, sizeof(sel));
	while (*set == '!') {
		neg = !neg;
		set++;
	}
	if (!*set)
		return tn_error_set(e, -EINVAL, "empty system call set in -e trace=");
	copy = strdup(set);
	if (!copy)
		return tn_error_set(e, -ENOMEM, "out of memory");
	for (char *it = strtok_r(copy, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
		size_t n = strlen(it);
		bool optional = n > 1 && it[n - 1] == '?';
		int m;

		if (optional)
			it[n - 1] = '\0';
		if (!strcmp(it, "all")) {
			memset(sel, 0xff, sizeof(sel));
			continue;
		}
		if (!strcmp(it, "none"))
			continue;
		m = add_item(sel, it, e);
		if (m < 0) {
			rc = m;
			break;
		}
		if (m == 0 && it[0] != '/' && !optional) {
			rc = tn_error_set(e, -EINVAL, "invalid system call '%s'", it);
			break;
		}
	}
	free(copy);
	if (rc < 0)
		return rc;
	if (neg)
		for (size_t a = 0; a < TN_ARCH_COUNT; a++)
			for (size_t i = 0; i < sizeof(sel[0]); i++)
				sel[a][i] = (uint8_t)~sel[a][i];
	memcpy(f->sel, sel, sizeof(sel));
	f->all = true;
	for (size_t a = 0; a < TN_ARCH_COUNT && f->all; a++)
		for (size_t i = 0; i < sizeof(sel[0]); i++)
			if (sel[a][i] != 0xff) {
				f->all = false;
				break;
			}
	return 0;
}

static int parse_status(struct tn_trace_filter *f, const char *set, struct tn_error *e)
{
	static const struct { const char *name; unsigned bits; } names[] = {
		{"successful", TN_STATUS_SUCCESSFUL}, {"failed", TN_STATUS_FAILED},
		{"unfinished", TN_STATUS_UNFINISHED}, {"all", TN_STATUS_ALL}, {"none", 0},
	};
	unsigned bits = 0;
	bool neg = false;
	const char *p = set;

	while (*p == '!') {
		neg = !neg;
		p++;
	}
	if (!*p)
		return tn_error_set(e, -EINVAL, "empty set in -e status=");
	while (*p) {
		size_t n = strcspn(p, ",");
		size_t k;

		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (strlen(names[k].name) == n && !strncmp(names[k].name, p, n))
				break;
		if (k == sizeof(names) / sizeof(names[0]))
			return tn_error_set(e, -EINVAL, "invalid status '%.*s'", (int)n, p);
		bits |= names[k].bits;
		p += n;
		if (*p == ',')
			p++;
	}
	f->status = neg ? (~bits & TN_STATUS_ALL) : bits;
	return 0;
}

int tn_trace_filter_parse(struct tn_trace_filter *f, const char *expr, struct tn_error *e)
{
	const char *eq = strchr(expr, '=');

	if (!eq)
		return parse_trace(f, expr, e);
	if (!strncmp(expr, "trace=", 6) || !strncmp(expr, "t=", 2))
		return parse_trace(f, eq + 1, e);
	if (!strncmp(expr, "status=", 7))
		return parse_status(f, eq + 1, e);
	return tn_error_set(e, -EINVAL, "unsupported -e qualifier '%.*s'",
			    (int)(eq - expr), expr);
}
