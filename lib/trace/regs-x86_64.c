/* The x86_64 register file, as strace's linux/x86_64/: the return value
 * of a call at its exit stop. */
#include "tracer.h"

#include <errno.h>
#include <stddef.h>
#include <sys/user.h>

/* The return value of the call t is leaving: rax (one PTRACE_PEEKUSER);
 * a 32-bit call's is eax, sign-extended. */
bool tr_regs_ret(struct thread *t, int64_t *ret)
{
	long v;

	errno = 0;
	v = ptrace(PTRACE_PEEKUSER, t->tid, (void *)offsetof(struct user_regs_struct, rax), 0L);
	if (v == -1 && errno)
		return false;
	*ret = t->arch == TN_ARCH_X86 ? (int32_t)(uint32_t)v : (int64_t)v;
	return true;
}
