/* The header record every producer writes first. */
#include "events.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "tn-config.h"

static void run_id(char out[33])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	ssize_t n = getrandom(b, sizeof(b), GRND_NONBLOCK);

	if (n != (ssize_t)sizeof(b)) {
		/* No entropy yet: time and pid still make the id unique enough. */
		uint64_t t = tn_ev_now();
		uint64_t p = (uint64_t)getpid();
		memcpy(b, &t, 8);
		memcpy(b + 8, &p, 8);
	}
	for (int i = 0; i < 16; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[32] = '\0';
}

int tn_ev_header_build(struct tn_jw *w, const struct tn_ev_header *h)
{
	char id[33], when[64], host[256], cwd[4096];
	struct timespec rt;
	struct tm tm;
	struct utsname un;
	uint64_t mono;

	/* Take both clocks back to back so a reader can map one onto the other. */
	mono = h->start_ts ? h->start_ts : tn_ev_now();
	clock_gettime(CLOCK_REALTIME, &rt);
	gmtime_r(&rt.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + strlen(when), sizeof(when) - strlen(when), ".%09ldZ", rt.tv_nsec);
	run_id(id);
	if (gethostname(host, sizeof(host)) < 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	if (uname(&un) < 0)
		return -errno;

	tn_jw_obj_begin(w);
	tn_jw_kstr(w, "type", TN_EV_HEADER);
	tn_jw_kint(w, "schema", TN_EV_SCHEMA);
	tn_jw_kstr(w, "producer", h->producer);
	tn_jw_kstr(w, "version", TN_VERSION);
	tn_jw_kstr(w, "run", id);
	tn_jw_kstr(w, "clock", "monotonic");
	tn_jw_kuint(w, "start_ts", mono);
	tn_jw_kstr(w, "start_time", when);
	tn_jw_kstr(w, "host", host);
	tn_jw_kstr(w, "arch", un.machine);
	tn_jw_kint(w, "pid", getpid());
	/* Where relative paths start: tn-compare(1) rewrites it, so that a
	 * run from another directory compares equal.  Left out when unknown. */
	if (getcwd(cwd, sizeof(cwd)))
		tn_jw_kstr(w, "cwd", cwd);
	if (h->backend)
		tn_jw_kstr(w, "backend", h->backend);
	tn_jw_key(w, "argv");
	tn_jw_arr_begin(w);
	for (int i = 0; h->argv && i < h->argc; i++)
		tn_jw_str(w, h->argv[i]);
	tn_jw_arr_end(w);
	tn_jw_obj_end(w);
	return w->oom ? -ENOMEM : 0;
}
