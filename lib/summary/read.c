/* tn_sum_read_fd(): one event stream into a summary. */
#include "read.h"

#include <errno.h>
#include <string.h>

int tn_sum_read_fd(struct tn_sum *s, int fd, const char *name, struct tn_ev_out *pass,
		   struct tn_error *e)
{
	struct tn_ev_reader *r = tn_ev_reader_new_fd(fd, name);
	const struct tn_ev_rec *rec;
	int ret;

	if (!r)
		return tn_error_set_at(e, -ENOMEM, name, 0, 0, "out of memory");
	s->input = name;        /* for the positions of tn_sum_add()'s errors */
	while ((ret = tn_ev_reader_next(r, &rec, e)) > 0) {
		ret = tn_sum_add(s, rec, e);
		if (ret < 0)
			break;
		if (pass && rec->kind == TN_EV_K_OTHER) {
			/* Pass records of kinds we do not know through untouched
			 * (the reader keeps each line's '\n' after it). */
			ret = tn_ev_out_line(pass, rec->line, rec->len + 1);
			if (ret < 0) {
				tn_error_set(e, ret, "write error: %s", strerror(-ret));
				break;
			}
		}
	}
	tn_ev_reader_free(r);
	return ret;
}
