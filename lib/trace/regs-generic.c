/* The return value of a call at its exit stop where tn-trace has no
 * register file of its own (every architecture but x86_64): the kernel
 * says it. */
#include "tracer.h"

bool tr_regs_ret(struct thread *t, int64_t *ret)
{
	struct __ptrace_syscall_info si;

	if (!tr_get_info(t->tid, &si) || si.op != PTRACE_SYSCALL_INFO_EXIT)
		return false;
	*ret = si.exit.rval;
	return true;
}
