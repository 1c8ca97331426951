/* SPDX-License-Identifier: MIT */
/* Options, interning and the path rules of tn-compare's normalisation. */
#include "internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <sys/stat.h>

#include "io.h"

int tn_cmp_opts_init(struct tn_cmp_opts *o, struct tn_error *e)
{
	memset(o, 0, sizeof(*o));
	o->threshold = 1.0;
	o->context = 3;
	o->slowdown = 0.10;
	o->alpha = 0.05;
	o->min_runs = 5;
	o->judge = TN_CMP_JUDGE_ALL;
	o->max_cost = 200000000;
	memset(&o->noise, 0, sizeof(o->noise));
	return tn_cmp_opts_noise(o, TN_CMP_NOISE_DEFAULT, true, e);
}

void tn_cmp_opts_fini(struct tn_cmp_opts *o)
{
	for (size_t i = 0; i < o->nmap; i++) {
		free(o->map[i].from);
		free(o->map[i].to);
	}
	free(o->map);
	for (size_t i = 0; i < o->ntol; i++)
		free(o->tol[i].name);
	free(o->tol);
	memset(o, 0, sizeof(*o));
}

int tn_cmp_opts_noise(struct tn_cmp_opts *o, const char *set, bool add, struct tn_error *e)
{
	struct tn_trace_filter f;
	int r;

	/* tn-trace's parser, so SET means what it means to tn-trace -e trace=. */
	tn_trace_filter_init(&f);
	r = tn_trace_filter_parse(&f, set, e);
	if (r < 0)
		return r;
	for (size_t a = 0; a < TN_ARCH_COUNT; a++)
		for (size_t i = 0; i < sizeof(f.sel[a]); i++)
			o->noise.sel[a][i] = add ? (o->noise.sel[a][i] | f.sel[a][i])
						 : (o->noise.sel[a][i] & ~f.sel[a][i]);
	return 0;
}

static char *dup_path(const char *s, size_t n)
{
	char *p;

	/* "/a/b/" and "/a/b" are one directory. */
	while (n > 1 && s[n - 1] == '/')
		n--;
	p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

int tn_cmp_opts_map(struct tn_cmp_opts *o, const char *arg, struct tn_error *e)
{
	const char *eq = strchr(arg, '=');
	struct tn_cmp_map *m;

	if (!eq || eq == arg)
		return tn_error_set(e, -EINVAL, "invalid --map '%s': expected OLD=NEW", arg);
	m = realloc(o->map, (o->nmap + 1) * sizeof(*m));
	if (!m)
		return tn_error_set(e, -ENOMEM, "out of memory");
	o->map = m;
	m += o->nmap;
	m->from = dup_path(arg, (size_t)(eq - arg));
	m->to = dup_path(eq + 1, strlen(eq + 1));
	if (!m->from || !m->to) {
		free(m->from);
		free(m->to);
		return tn_error_set(e, -ENOMEM, "out of memory");
	}
	o->nmap++;
	return 0;
}

int tn_cmp_opts_tolerance(struct tn_cmp_opts *o, const char *arg, struct tn_error *e)
{
	const char *colon = strrchr(arg, ':');
	struct tn_cmp_tol *t;
	char *end;
	double v;

	if (!colon || colon == arg || !colon[1])
		return tn_error_set(e, -EINVAL, "invalid --tolerance '%s': expected NAME:PERCENT%%", arg);
	errno = 0;
	v = strtod(colon + 1, &end);
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (errno || *end || end == colon + 1 || !isfinite(v) || v < 0)
		return tn_error_set(e, -EINVAL, "invalid --tolerance '%s': expected NAME:PERCENT%%", arg);
	t = realloc(o->tol, (o->ntol + 1) * sizeof(*t));
	if (!t)
		return tn_error_set(e, -ENOMEM, "out of memory");
	o->tol = t;
	t[o->ntol].name = strndup(arg, (size_t)(colon - arg));
	if (!t[o->ntol].name)
		return tn_error_set(e, -ENOMEM, "out of memory");
	t[o->ntol++].frac = v;
	return 0;
}

/* ---- interning ---- */

/* A hash of s[0..n) eight bytes at a time: interning hashes every call's
 * line, and FNV-1a's byte loop showed in profiles. */
static size_t hash_str(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	return (size_t)(h ^ (h >> 29));
}

struct ikey {
	const char *s;
	size_t n;
	uint32_t id;
};

static bool ieq(const void *ent, const void *key)
{
	const struct tn_cmp_ent *e = ent;
	const struct ikey *k = key;

	return e->len == k->n && !memcmp(e->s, k->s, k->n);
}

static void *imk(const void *key)
{
	const struct ikey *k = key;
	struct tn_cmp_ent *e = malloc(sizeof(*e) + k->n + 1);

	if (!e)
		return NULL;
	e->len = k->n;
	e->id = k->id;
	e->name = 0;
	memcpy(e->s, k->s, k->n);
	e->s[k->n] = 0;
	return e;
}

int tn_cmp_intern(struct tn_cmp_intern *t, const char *s, size_t n, uint32_t *ret_id)
{
	struct ikey k = { s, n, (uint32_t)t->tab.len };
	struct tn_cmp_ent *e = tn_tab_get(&t->tab, hash_str(s, n), ieq, &k, imk);

	if (!e)
		return -ENOMEM;
	*ret_id = e->id;
	return 0;
}

void tn_cmp_intern_fini(struct tn_cmp_intern *t)
{
	tn_tab_free(&t->tab, free);
}

/* ---- paths ---- */

/* Whether p[0..n) is dir or lies under it (dir has no trailing '/'). */
static size_t under(const char *p, size_t n, const char *dir)
{
	size_t d = dir ? strlen(dir) : 0;

	if (!d || d > n || memcmp(p, dir, d) != 0)
		return 0;
	if (d == 1 && dir[0] == '/')
		return 0;       /* "/" would rewrite everything */
	return d == n || p[d] == '/' ? d : 0;
}

struct sb { char **buf; size_t *cap; size_t len; int err; };

static void put(struct sb *b, const char *s, size_t n)
{
	if (b->len + n + 1 > *b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(*b->buf, cap);

		if (!p) {
			b->err = -ENOMEM;
			return;
		}
		*b->buf = p;
		*b->cap = cap;
	}
	memcpy(*b->buf + b->len, s, n);
	b->len += n;
	(*b->buf)[b->len] = 0;
}

/* Replace "[DIGITS]" (pipe:[1234], socket:[5678]) and /proc/DIGITS by
 * placeholders while copying rest[0..n) to b. */
static void put_rest(struct sb *b, const char *s, size_t n)
{
	size_t i = 0, from = 0;

	/* /proc/DIGITS only at the start of the path */
	if (n > 6 && !memcmp(s, "/proc/", 6) && isdigit((unsigned char)s[6])) {
		size_t j = 6;

		while (j < n && isdigit((unsigned char)s[j]))
			j++;
		if (j == n || s[j] == '/') {
			put(b, "/proc/PID", 9);
			i = from = j;
		}
	}
	for (; i < n; i++) {
		if (s[i] == '[' && i + 1 < n && isdigit((unsigned char)s[i + 1])) {
			size_t j = i + 1;

			while (j < n && isdigit((unsigned char)s[j]))
				j++;
			if (j < n && s[j] == ']') {
				put(b, s + from, i - from);
				put(b, "[N]", 3);
				from = j + 1;
				i = j;
			}
		}
	}
	put(b, s + from, n - from);
}

long tn_cmp_norm_path(const struct tn_cmp *c, const struct tn_cmp_run *r,
		      const char *p, size_t n, char **out, size_t *outcap)
{
	static const char *const tmpdirs[] = { "/tmp", "/var/tmp", "/dev/shm" };
	const struct tn_cmp_opts *o = c->o;
	struct sb b = { out, outcap, 0, 0 };
	size_t d, e;

	put(&b, "", 0);
	/* 1. the user's rules, in the order given */
	for (size_t i = 0; i < o->nmap; i++) {
		if ((d = under(p, n, o->map[i].from))) {
			put(&b, o->map[i].to, strlen(o->map[i].to));
			put_rest(&b, p + d, n - d);
			return b.err ? b.err : (long)b.len;
		}
	}
	/* 2. the directory of the program the run started, or the working
	 * directory it started in, whichever is the longer match */
	d = under(p, n, r->exedir);
	if ((e = under(p, n, r->cwd)) > d) {
		put(&b, "$CWD", 4);
		put_rest(&b, p + e, n - e);
		return b.err ? b.err : (long)b.len;
	}
	if (d) {
		put(&b, "$EXEDIR", 7);
		put_rest(&b, p + d, n - d);
		return b.err ? b.err : (long)b.len;
	}
	/* 3. home directories: $HOME here, and any /home/NAME or /root there */
	d = under(p, n, c->home);
	if (!d && n > 6 && !memcmp(p, "/home/", 6)) {
		d = 6;
		while (d < n && p[d] != '/')
			d++;
	}
	if (!d)
		d = under(p, n, "/root");
	if (d) {
		put(&b, "$HOME", 5);
		put_rest(&b, p + d, n - d);
		return b.err ? b.err : (long)b.len;
	}
	/* 4. temporary directories: the name made inside becomes '*' */
	d = under(p, n, getenv("TMPDIR"));
	for (size_t i = 0; !d && i < sizeof(tmpdirs) / sizeof(*tmpdirs); i++)
		d = under(p, n, tmpdirs[i]);
	if (d) {
		put(&b, "$TMP", 4);
		if (d < n) {
			e = d + 1;
			while (e < n && p[e] != '/')
				e++;
			put(&b, "/*", 2);
			d = e;
		}
		put_rest(&b, p + d, n - d);
		return b.err ? b.err : (long)b.len;
	}
	put_rest(&b, p, n);
	return b.err ? b.err : (long)b.len;
}

int tn_cmp_parse_fraction(const char *s, double *ret)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno)
		return -EINVAL;
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (*end || !isfinite(v) || v < 0)
		return -EINVAL;
	*ret = v;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int tn_cmp_expand(const char *arg, char ***list, size_t *n, struct tn_error *e)
{
	struct stat st;
	struct dirent *de;
	size_t first = *n;
	DIR *d;

	if (strcmp(arg, "-") == 0 || stat(arg, &st) < 0 || !S_ISDIR(st.st_mode)) {
		/* Opened (and any error reported) with the other inputs. */
		char **v = realloc(*list, (*n + 1) * sizeof(*v));

		if (!v || !(v[*n] = strdup(arg))) {
			if (v)
				*list = v;
			return tn_error_set(e, -ENOMEM, "out of memory");
		}
		*list = v;
		(*n)++;
		return 0;
	}
	d = opendir(arg);
	if (!d)
		return tn_error_set_at(e, -errno, arg, 0, 0, "%s", strerror(errno));
	while ((de = readdir(d))) {
		char *path, **v;

		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&path, "%s/%s", arg, de->d_name) < 0) {
			closedir(d);
			return tn_error_set(e, -ENOMEM, "out of memory");
		}
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		v = realloc(*list, (*n + 1) * sizeof(*v));
		if (!v) {
			free(path);
			closedir(d);
			return tn_error_set(e, -ENOMEM, "out of memory");
		}
		*list = v;
		v[(*n)++] = path;
	}
	closedir(d);
	if (*n == first)
		return tn_error_set_at(e, -ENOENT, arg, 0, 0, "no event streams in directory");
	qsort(*list + first, *n - first, sizeof(**list), cmp_str);
	return 0;
}

int tn_cmp_parse_judge(const char *s, unsigned *ret)
{
	static const char *const names[] = { "wall", "syscall", "span" };
	unsigned bits = 0;

	while (*s) {
		size_t len = strcspn(s, ",");
		unsigned k = 0;

		while (k < 3 && !(strlen(names[k]) == len && !strncmp(s, names[k], len)))
			k++;
		if (k == 3)
			return -EINVAL;
		bits |= 1u << k;
		s += len;
		if (*s == ',' && *++s == '\0')
			return -EINVAL;
	}
	if (!bits)
		return -EINVAL;
	*ret = bits;
	return 0;
}
