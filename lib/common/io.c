/* SPDX-License-Identifier: MIT */
/* The one I/O layer of tn: write-all, a monotonic clock, a hash, UTF-8. */
#include "io.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>

int tn_write_all(int fd, const void *p, size_t n, size_t *ret_done)
{
	const char *c = p;
	size_t done = 0;
	int ret = 0;

	while (done < n) {
		ssize_t k = write(fd, c + done, n - done);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (k == 0) {           /* not for regular files or pipes; be safe */
			ret = -EIO;
			break;
		}
		done += (size_t)k;
	}
	if (ret_done)
		*ret_done = done;
	return ret;
}

uint64_t tn_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t tn_fnv1a64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

size_t tn_utf8_char_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)
			return 0;       /* overlong */
		if (c == 0xed && s[1] > 0x9f)
			return 0;       /* surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)
			return 0;       /* overlong */
		if (c == 0xf4 && s[1] > 0x8f)
			return 0;       /* past U+10FFFF */
		return 4;
	}
	return 0;
}

size_t tn_utf8_valid_prefix(const void *s, size_t n)
{
	const unsigned char *b = s;
	size_t i = 0;

	while (i < n) {
		size_t k = tn_utf8_char_len(b + i, n - i);

		if (!k)
			break;
		i += k;
	}
	return i;
}
