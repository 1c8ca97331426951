/* tn-dispatch's jobs: one per line of at most TN_EV_LINE_MAX bytes, longer ones skipped. */
#include "dispatch.h"
#include "events.h"

int tn_dispatch_reader_init(struct tn_dispatch_reader *r, int fd, const char *name)
{
	r->line = 0;
	return tn_lines_init_fd(&r->lines, fd, name, TN_EV_LINE_MAX, TN_LINES_SKIP);
}

void tn_dispatch_reader_finish(struct tn_dispatch_reader *r)
{
	if (r)
		tn_lines_finish(&r->lines);
}

int tn_dispatch_reader_next(struct tn_dispatch_reader *r, const char **ret_text,
			    size_t *ret_len, struct tn_error *e)
{
	struct tn_line ln;
	int ret = tn_lines_next(&r->lines, &ln, e);

	r->line = r->lines.lineno;
	if (ret > 0) {
		*ret_text = ln.text;
		*ret_len = ln.len;
	}
	return ret;
}
