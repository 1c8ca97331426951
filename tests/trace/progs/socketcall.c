/* The i386 multiplexers from a 64-bit process (int $0x80): socketcall
 * (102) makes socketpair, sendto and recvfrom; ipc (117) makes semget and
 * semctl(IPC_RMID).  strace -c counts them by the call made, in its 32-bit
 * table.  Their arguments live below 4 GiB (MAP_32BIT), where a 32-bit
 * call can point.  Exit 0; 77 without 32-bit calls ("socketcall probe"
 * only tells, int80.h). */
#include "int80.h"

#if defined(__x86_64__)
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/socket.h>

int main(int argc, char **argv)
{
	uint32_t *m;
	long id;

	INT80_PROBE(argc, argv);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
		 -1, 0);
	if (m == MAP_FAILED)
		return 1;
	/* socketpair(AF_UNIX, SOCK_STREAM, 0, m + 16): SYS_SOCKETPAIR 8 */
	m[0] = AF_UNIX, m[1] = SOCK_STREAM, m[2] = 0, m[3] = (uint32_t)(uintptr_t)(m + 16);
	if (int80(102, 8, (long)(uintptr_t)m, 0, 0, 0) != 0)
		return 77;
	/* sendto(sv[0], m + 32, 2, 0, NULL, 0): SYS_SENDTO 11 */
	memcpy(m + 32, "hi", 2);
	m[0] = m[16], m[1] = (uint32_t)(uintptr_t)(m + 32), m[2] = 2, m[3] = 0, m[4] = 0, m[5] = 0;
	if (int80(102, 11, (long)(uintptr_t)m, 0, 0, 0) != 2)
		return 2;
	/* recvfrom(sv[1], m + 48, 16, 0, NULL, NULL): SYS_RECVFROM 12 */
	m[0] = m[17], m[1] = (uint32_t)(uintptr_t)(m + 48), m[2] = 16;
	if (int80(102, 12, (long)(uintptr_t)m, 0, 0, 0) != 2)
		return 3;
	/* ipc(SEMGET 2, IPC_PRIVATE, 1, 0600), ipc(SEMCTL 3, id, 0, IPC_RMID, ptr) */
	id = int80(117, 2, IPC_PRIVATE, 1, 0600, 0);
	if (id < 0)
		return 4;
	m[0] = 0;
	if (int80(117, 3, id, 0, IPC_RMID, (long)(uintptr_t)m) != 0)
		return 5;
	return 0;
}
#else
int main(int argc, char **argv)
{
	INT80_PROBE(argc, argv);
}
#endif
