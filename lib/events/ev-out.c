/* Buffered record output: write(2) only at record boundaries. */
#include "ev-out.h"

#include <string.h>

#include "record-write.h"

void tn_ev_out_init(struct tn_ev_out *o, int fd)
{
	o->fd = fd;
	o->err = 0;
	o->len = 0;
}

/* Whole records only: a failed write leaves the file at the last whole one. */
static int write_all(struct tn_ev_out *o, const char *p, size_t n)
{
	if (!o->err)
		o->err = tn_write_records(o->fd, p, n);
	return o->err;
}

int tn_ev_out_flush(struct tn_ev_out *o)
{
	if (o->len && !o->err)
		write_all(o, o->buf, o->len);
	o->len = 0;
	return o->err;
}

int tn_ev_out_line(struct tn_ev_out *o, const char *text, size_t len)
{
	if (o->err)
		return o->err;
	if (o->len + len > sizeof(o->buf) && tn_ev_out_flush(o))
		return o->err;
	if (len > sizeof(o->buf))
		return write_all(o, text, len);
	memcpy(o->buf + o->len, text, len);
	o->len += len;
	return 0;
}
