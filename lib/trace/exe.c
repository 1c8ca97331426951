/* tn_trace_find_exe(): the command as execvp(3) would find it, checked
 * before anything runs.  Nothing to do with ptrace. */
#include "trace.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The interpreter of a "#!" line (the kernel reads BINPRM_BUF_SIZE bytes):
 * it must exist and be a program we may run. */
static int check_interp(const char *cmd, char *line, size_t n, struct tn_error *e)
{
	struct stat st;
	char *interp, *end;

	line[n] = '\0';
	interp = line + 2 + strspn(line + 2, " \t");
	end = interp + strcspn(interp, " \t\n");
	*end = '\0';
	if (!*interp)
		return tn_error_set(e, -ENOEXEC, "%s: Exec format error (no interpreter after #!)", cmd);
	if (stat(interp, &st) < 0)
		return tn_error_set(e, -errno, "%s: bad interpreter %s: %s", cmd, interp,
				    strerror(errno));
	if (!S_ISREG(st.st_mode) || access(interp, X_OK) < 0)
		return tn_error_set(e, -EACCES, "%s: bad interpreter %s: Permission denied",
				    cmd, interp);
	return 0;
}

/*
 * What the kernel checks before it runs path, checked before forking so
 * that a command it would refuse is one line and exit 2, not a silent 127:
 * a whole ELF header of an executable or a shared object (PIE), or a "#!"
 * line whose interpreter can be run.  (What only execve can tell, such as
 * bad program headers, is reported after it failed: exec_error.)
 */
static int check_format(const char *cmd, const char *path, struct tn_error *e)
{
	char head[256 + 1] = {0};   /* BINPRM_BUF_SIZE, and a NUL */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	size_t need;
	unsigned type;

	if (fd < 0)
		return tn_error_set(e, -errno, "%s: %s", cmd, strerror(errno));
	n = read(fd, head, sizeof(head) - 1);
	close(fd);
	if (n >= 2 && !memcmp(head, "#!", 2))
		return check_interp(cmd, head, (size_t)n, e);
	if (n < SELFMAG || memcmp(head, ELFMAG, SELFMAG) != 0)
		return tn_error_set(e, -ENOEXEC, "%s: Exec format error", cmd);
	need = n > EI_CLASS && head[EI_CLASS] == ELFCLASS32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
	if ((size_t)n < need || (head[EI_CLASS] != ELFCLASS32 && head[EI_CLASS] != ELFCLASS64))
		return tn_error_set(e, -ENOEXEC, "%s: Exec format error (truncated ELF header)", cmd);
	/* e_type: the same offset in both classes, in the file's byte order */
	type = head[EI_DATA] == ELFDATA2MSB ?
	       (unsigned)(unsigned char)head[16] << 8 | (unsigned char)head[17] :
	       (unsigned)(unsigned char)head[17] << 8 | (unsigned char)head[16];
	if (type != ET_EXEC && type != ET_DYN)
		return tn_error_set(e, -ENOEXEC, "%s: Exec format error (ELF type %u is not a program)",
				    cmd, type);
	return 0;
}

int tn_trace_find_exe(const char *cmd, char *buf, size_t size, struct tn_error *e)
{
	const char *path = getenv("PATH");
	struct stat st;
	int last = -ENOENT;

	if (!cmd || !*cmd)
		return tn_error_set(e, -ENOENT, "empty command name");
	if (strchr(cmd, '/')) {
		if ((size_t)snprintf(buf, size, "%s", cmd) >= size)
			return tn_error_set(e, -ENAMETOOLONG, "%s: name too long", cmd);
		goto check;
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path;; p++) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if ((size_t)snprintf(buf, size, "%.*s%s%s", (int)n, p, n ? "/" : "", cmd) < size &&
		    stat(buf, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(buf, X_OK) == 0)
				goto check;
			last = -EACCES;
		}
		if (!end)
			break;
		p = end;
	}
	if (last == -EACCES)
		return tn_error_set(e, -EACCES, "%s: Permission denied", cmd);
	return tn_error_set(e, -ENOENT, "%s: command not found", cmd);
check:
	if (stat(buf, &st) < 0)
		return tn_error_set(e, -errno, "%s: %s", cmd, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return tn_error_set(e, -EISDIR, "%s: Is a directory", cmd);
	if (!S_ISREG(st.st_mode) || access(buf, X_OK) < 0)
		return tn_error_set(e, -EACCES, "%s: Permission denied", cmd);
	return check_format(cmd, buf, e);
}
