/*
 * libFuzzer harness: tn-assert's budgets (lib/assert/budget.c) and, when
 * they are accepted, a check of a small fixed stream against them, with
 * oracles beyond the sanitizers (tests/fuzz/README.md):
 *
 *  - the parser accepts or refuses with -EINVAL (-ENOMEM never happens
 *    here); a refusal names this input and says something;
 *  - accepted budgets have at least one enabled assertion, every name is
 *    non-empty and unique, every limit is a finite number not below zero;
 *  - checking and reporting them (text, JSON and JUnit) cannot fail but for
 *    a write error, and gives 0 or 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assert.h"

#define NAME "fuzz"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond) do { if (!(cond)) fail(#cond, __LINE__); } while (0)

static void fail(const char *what, int line)
{
	fprintf(stderr, "fuzz-budget.c:%d: oracle failed: %s\n", line, what);
	abort();
}

static const char stream[] =
	"{\"type\":\"header\",\"schema\":1,\"pid\":1}\n"
	"{\"type\":\"proc\",\"ts\":1,\"pid\":1,\"tid\":1,\"via\":\"spawn\",\"thread\":false}\n"
	"{\"type\":\"exec\",\"ts\":2,\"pid\":1,\"tid\":1,\"path\":\"/bin/make\"}\n"
	"{\"type\":\"syscall\",\"ts\":3,\"pid\":1,\"tid\":1,\"name\":\"mmap\",\"nr\":9,\"arch\":\"x86_64\","
	"\"args\":[0,\"0x2000\",3,34,-1,0],\"ret\":4096,\"dur\":50}\n"
	"{\"type\":\"proc\",\"ts\":4,\"pid\":2,\"tid\":2,\"ppid\":1,\"via\":\"fork\",\"thread\":false}\n"
	"{\"type\":\"syscall\",\"ts\":5,\"pid\":2,\"tid\":2,\"name\":\"write\",\"nr\":1,\"arch\":\"x86_64\","
	"\"args\":[1,\"0x10\",3],\"ret\":3,\"dur\":700}\n"
	"{\"type\":\"syscall\",\"ts\":6,\"pid\":2,\"tid\":2,\"name\":\"openat\",\"nr\":257,"
	"\"ret\":-2,\"err\":\"ENOENT\",\"dur\":300}\n"
	"{\"type\":\"span\",\"ts\":7,\"pid\":2,\"tid\":2,\"name\":\"dot\",\"backend\":\"avx2\",\"n\":10,"
	"\"bytes\":80,\"phase\":\"kernel\",\"dur\":40}\n"
	"{\"type\":\"exit\",\"ts\":8,\"pid\":2,\"tid\":2,\"thread\":false,\"code\":0,\"maxrss\":4096}\n"
	"{\"type\":\"syscall\",\"ts\":9,\"pid\":1,\"tid\":1,\"name\":\"wait4\",\"nr\":61,\"ret\":2,\"dur\":5}\n"
	"{\"type\":\"exit\",\"ts\":20,\"pid\":1,\"tid\":1,\"thread\":false,\"code\":0,\"maxrss\":8192}\n";

static int devnull = -1;

static void run(const struct tn_asr_budget *b, bool json)
{
	static struct tn_ev_out out, ju;
	struct tn_asr *a = tn_asr_new(b);
	struct tn_ev_reader *r = tn_ev_reader_new_mem(stream, sizeof(stream) - 1, NAME);
	const struct tn_ev_rec *rec;
	struct tn_error e = { 0 };
	int ret;

	check(a && r);
	while ((ret = tn_ev_reader_next(r, &rec, &e)) > 0)
		check(tn_asr_add(a, rec, &e) == 0);
	check(ret == 0);
	tn_ev_out_init(&out, devnull);
	tn_ev_out_init(&ju, devnull);
	ret = tn_asr_report(a, &out, json, &ju, &e);
	check(ret == 0 || ret == 1);
	check(tn_ev_out_flush(&out) == 0 && tn_ev_out_flush(&ju) == 0);
	tn_ev_reader_free(r);
	tn_asr_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tn_asr_budget b;
	struct tn_error e = { 0 };
	size_t enabled = 0;
	int r;

	if (devnull < 0)
		check((devnull = open("/dev/null", O_WRONLY | O_CLOEXEC)) >= 0);
	r = tn_asr_budget_parse(&b, (const char *)data, size, NAME, &e);
	if (r < 0) {
		check(r == -EINVAL);
		check(e.msg[0]);
		check(e.file && !strcmp(e.file, NAME));
		check(b.n == 0 && !b.rule);
		return 0;
	}
	for (size_t i = 0; i < b.n; i++) {
		const struct tn_asr_rule *ru = &b.rule[i];

		enabled += ru->enabled;
		check(ru->name && ru->name[0]);
		check(ru->type < TN_ASR_TYPE_COUNT);
		check(isfinite(ru->limit) && ru->limit >= 0);
		check(ru->set_text);
		for (size_t j = 0; j < i; j++)
			check(strcmp(b.rule[j].name, ru->name));
	}
	check(enabled >= 1);
	run(&b, size & 1);
	tn_asr_budget_fini(&b);
	return 0;
}
