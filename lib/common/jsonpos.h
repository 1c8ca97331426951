/* SPDX-License-Identifier: MIT */
/* Where a member's value starts in the text of a JSON object. */
#pragma once

#include <stddef.h>

/* Past the white space (JSON's four characters) at t[i]. */
size_t tn_json_skip_ws(const char *t, size_t len, size_t i);

/*
 * The byte offset in t[0..len) of the value of the last top-level member
 * whose key is spelt key in the text (a key written with escapes is not
 * found), or of element idx of it (idx >= 0, when the value is an array);
 * (size_t)-1 when there is none.  t must be a JSON object that a parser
 * accepted: the scan does not check it.  For error positions: both
 * tn-dispatch and tn-summarize point at the value at fault.
 */
size_t tn_json_member_at(const char *t, size_t len, const char *key, long idx);
