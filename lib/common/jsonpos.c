/* SPDX-License-Identifier: MIT */
/* Positions of members in the text of a JSON object (jsonpos.h). */
#include "jsonpos.h"

#include <stdint.h>
#include <string.h>

size_t tn_json_skip_ws(const char *t, size_t len, size_t i)
{
	while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n'))
		i++;
	return i;
}

/* Past the string starting at t[i] == '"'. */
static size_t skip_string(const char *t, size_t len, size_t i)
{
	for (i++; i < len && t[i] != '"'; i++)
		if (t[i] == '\\')
			i++;
	return i + 1;
}

/* Past the value starting at t[i]. */
static size_t skip_value(const char *t, size_t len, size_t i)
{
	int depth = 0;

	do {
		if (t[i] == '"') {
			i = skip_string(t, len, i);
			continue;
		}
		if (t[i] == '[' || t[i] == '{')
			depth++;
		else if (t[i] == ']' || t[i] == '}')
			depth--;
		else if (depth == 0 && (t[i] == ',' || t[i] == ' ' || t[i] == '\t' ||
					t[i] == '\r' || t[i] == '\n'))
			return i;
		i++;
	} while (i < len && depth > 0);
	if (depth == 0)
		while (i < len && t[i] != ',' && t[i] != '}' && t[i] != ']' && t[i] != ' ' &&
		       t[i] != '\t' && t[i] != '\r' && t[i] != '\n')
			i++;
	return i;
}

size_t tn_json_member_at(const char *t, size_t len, const char *key, long idx)
{
	size_t klen = strlen(key), i = tn_json_skip_ws(t, len, 0) + 1, at = SIZE_MAX;

	while (i < len) {
		size_t k0, v;

		i = tn_json_skip_ws(t, len, i);
		if (i >= len || t[i] != '"')
			break;
		k0 = i + 1;
		i = skip_string(t, len, i);
		v = tn_json_skip_ws(t, len, tn_json_skip_ws(t, len, i) + 1);
		if (i - 1 - k0 == klen && memcmp(t + k0, key, klen) == 0) {
			at = v;
			if (idx >= 0 && v < len && t[v] == '[') {
				at = tn_json_skip_ws(t, len, v + 1);
				for (long n = 0; n < idx && at < len; n++)
					at = tn_json_skip_ws(t, len,
							     tn_json_skip_ws(t, len, skip_value(t, len, at)) + 1);
			}
		}
		if (v >= len)
			break;
		i = tn_json_skip_ws(t, len, skip_value(t, len, v)) + 1;
	}
	return at;
}
