/* Bounded line reading for tn-dispatch: one job per line, at most TN_EV_LINE_MAX bytes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dispatch.h"
#include "events.h"

enum { READ_CHUNK = 64 * 1024 };

int tn_dispatch_reader_init(struct tn_dispatch_reader *r, int fd, const char *name)
{
	*r = (struct tn_dispatch_reader){ .fd = fd, .name = name };
	r->cap = TN_EV_LINE_MAX + 1 + READ_CHUNK;
	r->buf = malloc(r->cap);
	return r->buf ? 0 : -ENOMEM;
}

void tn_dispatch_reader_finish(struct tn_dispatch_reader *r)
{
	if (!r)
		return;
	free(r->buf);
	r->buf = NULL;
}

/* The line [start, start + len) is returned; the next one starts at next. */
static int give(struct tn_dispatch_reader *r, size_t len, size_t next,
		const char **ret_text, size_t *ret_len)
{
	*ret_text = r->buf + r->start;
	*ret_len = len;
	r->start = next;
	r->line++;
	return 1;
}

static int too_long(struct tn_dispatch_reader *r, struct tn_error *e)
{
	r->line++;
	return tn_error_set_at(e, -E2BIG, r->name, r->line, 1, "line longer than %u bytes",
			       TN_EV_LINE_MAX);
}

int tn_dispatch_reader_next(struct tn_dispatch_reader *r, const char **ret_text,
			    size_t *ret_len, struct tn_error *e)
{
	bool skipping = false;  /* the rest of an over-long line */

	for (;;) {
		char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		ssize_t got;

		if (nl) {
			size_t next = (size_t)(nl - r->buf) + 1;

			if (skipping) {
				r->start = next;
				return -E2BIG;
			}
			if ((size_t)(nl - r->buf) - r->start > TN_EV_LINE_MAX) {
				r->start = next;
				return too_long(r, e);
			}
			return give(r, (size_t)(nl - r->buf) - r->start, next, ret_text, ret_len);
		}
		if (skipping || r->end - r->start > TN_EV_LINE_MAX) {
			if (!skipping) {
				too_long(r, e);
				skipping = true;
			}
			r->start = r->end = 0;
		}
		if (r->eof) {
			if (skipping)
				return -E2BIG;
			if (r->start < r->end)
				return give(r, r->end - r->start, r->end, ret_text, ret_len);
			return 0;
		}
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
		do
			got = read(r->fd, r->buf + r->end, r->cap - r->end);
		while (got < 0 && errno == EINTR);
		if (got < 0)
			return tn_error_set_at(e, -errno, r->name, 0, 0, "read error: %s",
					       strerror(errno));
		if (got == 0)
			r->eof = true;
		r->end += (size_t)got;
	}
}
