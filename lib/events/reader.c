/* The event-stream reader: buffering, line splitting, checking, members. */
#include "reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"

/* What one read(2) asks for at least; the buffer holds a full line besides. */
#define READ_CHUNK (256u * 1024u)
/* The fast scanner gives up (and jansson decides) past these. */
#define FAST_MAX_MEMBERS 64
#define FAST_MAX_DEPTH 32
#define FAST_MAX_DIGITS 18

struct tn_ev_reader {
	const char *name;
	int fd;
	bool is_mem;
	const unsigned char *mem;
	size_t mem_len, mem_off;

	char *buf;
	size_t cap, pos, end, scanned;
	unsigned long lineno;
	bool eof;

	struct tn_error err;    /* sticky: set once, returned ever after */
	json_t *json;           /* the tree of the current line, slow path */
	struct tn_ev_member *m;
	size_t mcap;
	struct tn_ev_rec rec;
	uint64_t nfast, nslow;
};

static struct tn_ev_reader *reader_new(const char *name)
{
	struct tn_ev_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->name = name;
	r->fd = -1;
	r->cap = TN_EV_LINE_MAX + 1 + READ_CHUNK;
	r->buf = malloc(r->cap);
	r->mcap = FAST_MAX_MEMBERS;
	r->m = malloc(r->mcap * sizeof(*r->m));
	if (!r->buf || !r->m) {
		tn_ev_reader_free(r);
		return NULL;
	}
	return r;
}

struct tn_ev_reader *tn_ev_reader_new_fd(int fd, const char *name)
{
	struct tn_ev_reader *r = reader_new(name);

	if (r)
		r->fd = fd;
	return r;
}

struct tn_ev_reader *tn_ev_reader_new_mem(const void *data, size_t len, const char *name)
{
	struct tn_ev_reader *r = reader_new(name);

	if (r) {
		r->is_mem = true;
		r->mem = data;
		r->mem_len = len;
	}
	return r;
}

void tn_ev_reader_free(struct tn_ev_reader *r)
{
	if (!r)
		return;
	json_decref(r->json);
	free(r->m);
	free(r->buf);
	free(r);
}

void tn_ev_reader_stats(const struct tn_ev_reader *r, uint64_t *fast, uint64_t *slow)
{
	*fast = r->nfast;
	*slow = r->nslow;
}

enum tn_ev_kind tn_ev_kind_of(const char *t, size_t n)
{
	static const struct { const char *s; enum tn_ev_kind k; } kinds[] = {
		{ TN_EV_SYSCALL, TN_EV_K_SYSCALL }, { TN_EV_HEADER, TN_EV_K_HEADER },
		{ TN_EV_PROC, TN_EV_K_PROC }, { TN_EV_EXEC, TN_EV_K_EXEC },
		{ TN_EV_EXIT, TN_EV_K_EXIT }, { TN_EV_SIGNAL, TN_EV_K_SIGNAL },
		{ TN_EV_SPAN, TN_EV_K_SPAN }, { TN_EV_SUMMARY, TN_EV_K_SUMMARY },
		{ TN_EV_RESULT, TN_EV_K_RESULT }, { TN_EV_ERROR, TN_EV_K_ERROR },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (strlen(kinds[i].s) == n && memcmp(kinds[i].s, t, n) == 0)
			return kinds[i].k;
	return TN_EV_K_OTHER;
}

/* 1-based column, in characters, of byte offset off of a line. */
static unsigned long char_col(const char *s, size_t off)
{
	unsigned long col = 1;

	for (size_t i = 0; i < off; i++)
		col += ((unsigned char)s[i] & 0xC0) != 0x80;
	return col;
}

/* Offset of the first byte that is not part of valid UTF-8, or len. */
static size_t utf8_check(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i], need;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1; cp = c & 0x1F; min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2; cp = c & 0x0F; min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3; cp = c & 0x07; min = 0x10000;
		} else {
			return i;
		}
		if (len - i <= need)
			return i;
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += need + 1;
	}
	return len;
}

/*
 * The fast scanner.  It returns 0 when the line is a JSON object within its
 * subset (members filled in), 1 when jansson must decide.  It never rejects:
 * anything it does not take, including every error, goes to jansson.
 */
struct scan {
	const unsigned char *p, *end;
	struct tn_ev_member *m;
	size_t n;
};

/* Bytes that end the plain run of a string: '"', '\\', controls, non-ASCII. */
static inline bool str_plain(unsigned char c)
{
	return (unsigned)(c - 0x20u) < 0x60u && c != '"' && c != '\\';
}

/*
 * The bytes of w that are '"', '\\', below 0x20 or above 0x7F (SWAR): each
 * such byte's high bit is set in the result.  Bytes above the first such
 * byte may be flagged falsely (borrows), the first one never is.
 */
static inline uint64_t word_stops(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');

	return (((q - ones) & ~q) | ((b - ones) & ~b) | (w - ones * 0x20) | w) & high;
}

static void sc_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r'))
		s->p++;
}

/* At '"'.  Top-level strings must need no decoding (no escapes). */
static int sc_str(struct scan *s, bool plain, const char **out, size_t *len)
{
	const unsigned char *start = ++s->p;

	for (;;) {
		/* Eight bytes at a time, straight to the first that ends the run. */
		while (s->end - s->p >= 8) {
			uint64_t w, m;

			memcpy(&w, s->p, 8);
			m = word_stops(w);
			if (m) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				s->p += (unsigned)__builtin_ctzll(m) >> 3;
#endif
				break;
			}
			s->p += 8;
		}
		while (s->p < s->end && str_plain(*s->p))
			s->p++;
		if (s->p >= s->end)
			return 1;
		if (*s->p == '"')
			break;
		if (*s->p != '\\' || plain)
			return 1;
		if (s->end - s->p < 2 || !s->p[1] || !strchr("\"\\/bfnrt", s->p[1]))
			return 1;
		s->p += 2;
	}
	if (out) {
		*out = (const char *)start;
		*len = (size_t)(s->p - start);
	}
	s->p++;
	return 0;
}

static int sc_num(struct scan *s, int64_t *v)
{
	bool neg = false;
	int64_t x = 0;
	int digits = 0;

	if (*s->p == '-') {
		neg = true;
		s->p++;
	}
	if (s->p >= s->end)
		return 1;
	if (*s->p == '0') {
		s->p++;
	} else if (*s->p >= '1' && *s->p <= '9') {
		while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
			if (++digits > FAST_MAX_DIGITS)
				return 1;
			x = x * 10 + (*s->p++ - '0');
		}
	} else {
		return 1;
	}
	if (s->p < s->end && (*s->p == '.' || *s->p == 'e' || *s->p == 'E' ||
			      (*s->p >= '0' && *s->p <= '9')))
		return 1;       /* reals (and "01") are jansson's */
	*v = neg ? -x : x;
	return 0;
}

static int sc_value(struct scan *s, int depth, struct tn_ev_member *m);

static int sc_container(struct scan *s, int depth, bool obj)
{
	const unsigned char close = obj ? '}' : ']';

	if (depth > FAST_MAX_DEPTH)
		return 1;
	s->p++;
	sc_ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		return 0;
	}
	for (;;) {
		if (obj) {
			if (s->p >= s->end || *s->p != '"' || sc_str(s, false, NULL, NULL))
				return 1;
			sc_ws(s);
			if (s->p >= s->end || *s->p != ':')
				return 1;
			s->p++;
			sc_ws(s);
		}
		if (sc_value(s, depth + 1, NULL))
			return 1;
		sc_ws(s);
		if (s->p >= s->end)
			return 1;
		if (*s->p == close) {
			s->p++;
			return 0;
		}
		if (*s->p != ',')
			return 1;
		s->p++;
		sc_ws(s);
	}
}

static int sc_lit(struct scan *s, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n) != 0)
		return 1;
	s->p += n;
	return 0;
}

/* A value at s->p (no leading white space); m, when given, receives it. */
static int sc_value(struct scan *s, int depth, struct tn_ev_member *m)
{
	struct tn_ev_member dummy;

	if (!m)
		m = &dummy;
	if (s->p >= s->end)
		return 1;
	switch (*s->p) {
	case '"':
		m->type = TN_EV_V_STR;
		/* Nested strings may have simple escapes; top-level ones must be plain. */
		return sc_str(s, m != &dummy, &m->s, &m->slen);
	case '{':
		m->type = TN_EV_V_OBJECT;
		return sc_container(s, depth, true);
	case '[':
		m->type = TN_EV_V_ARRAY;
		return sc_container(s, depth, false);
	case 't':
		m->type = TN_EV_V_BOOL;
		m->b = true;
		return sc_lit(s, "true");
	case 'f':
		m->type = TN_EV_V_BOOL;
		m->b = false;
		return sc_lit(s, "false");
	case 'n':
		m->type = TN_EV_V_NULL;
		return sc_lit(s, "null");
	default:
		m->type = TN_EV_V_INT;
		return sc_num(s, &m->i);
	}
}

static int fast_scan(struct tn_ev_reader *r, const char *line, size_t len)
{
	struct scan s = { (const unsigned char *)line, (const unsigned char *)line + len, r->m, 0 };

	sc_ws(&s);
	if (s.p >= s.end || *s.p != '{')
		return 1;
	s.p++;
	sc_ws(&s);
	if (s.p < s.end && *s.p == '}') {
		s.p++;
	} else {
		for (;;) {
			struct tn_ev_member *m;

			if (s.n == FAST_MAX_MEMBERS)
				return 1;
			m = &s.m[s.n++];
			if (s.p >= s.end || *s.p != '"' || sc_str(&s, true, &m->key, &m->klen))
				return 1;
			sc_ws(&s);
			if (s.p >= s.end || *s.p != ':')
				return 1;
			s.p++;
			sc_ws(&s);
			if (sc_value(&s, 1, m))
				return 1;
			sc_ws(&s);
			if (s.p >= s.end)
				return 1;
			if (*s.p == '}') {
				s.p++;
				break;
			}
			if (*s.p != ',')
				return 1;
			s.p++;
			sc_ws(&s);
		}
	}
	sc_ws(&s);
	if (s.p != s.end)
		return 1;
	r->rec.nmembers = s.n;
	return 0;
}

static int fail(struct tn_ev_reader *r, struct tn_error *e, int code,
		unsigned long line, unsigned long col, const char *msg, const char *detail)
{
	tn_error_set_at(&r->err, code, r->name, line, col, "%s%s", msg, detail ? detail : "");
	if (e)
		*e = r->err;
	return code;
}

/* The slow path: jansson parses (and judges) the whole line. */
static int slow_parse(struct tn_ev_reader *r, const char *line, size_t len,
		      struct tn_error *e)
{
	json_error_t jerr;
	const char *nul = memchr(line, '\0', len);
	size_t bad = utf8_check((const unsigned char *)line, nul ? (size_t)(nul - line) : len);
	const char *key;
	json_t *v;
	size_t n = 0;

	if (bad < (nul ? (size_t)(nul - line) : len))
		return fail(r, e, -EILSEQ, r->lineno, char_col(line, bad),
			    "invalid UTF-8 (binary data?)", NULL);
	if (nul)
		return fail(r, e, -EILSEQ, r->lineno, char_col(line, (size_t)(nul - line)),
			    "NUL byte in line (binary data?)", NULL);
	r->json = json_loadb(line, len, 0, &jerr);
	if (!r->json)
		return fail(r, e, -EINVAL, r->lineno, jerr.column > 0 ? (unsigned long)jerr.column : 1,
			    "invalid JSON: ", jerr.text);
	if (!json_is_object(r->json))
		return fail(r, e, -EINVAL, r->lineno, char_col(line, strspn(line, " \t\r")),
			    "a record must be a JSON object", NULL);
	if (json_object_size(r->json) > r->mcap) {
		struct tn_ev_member *m = realloc(r->m, json_object_size(r->json) * sizeof(*m));

		if (!m)
			return fail(r, e, -ENOMEM, r->lineno, 1, "out of memory", NULL);
		r->m = m;
		r->mcap = json_object_size(r->json);
	}
	json_object_foreach(r->json, key, v) {
		struct tn_ev_member *m = &r->m[n++];

		m->key = key;
		m->klen = strlen(key);
		switch (json_typeof(v)) {
		case JSON_OBJECT: m->type = TN_EV_V_OBJECT; break;
		case JSON_ARRAY: m->type = TN_EV_V_ARRAY; break;
		case JSON_STRING:
			m->type = TN_EV_V_STR;
			m->s = json_string_value(v);
			m->slen = json_string_length(v);
			break;
		case JSON_INTEGER:
			m->type = TN_EV_V_INT;
			m->i = json_integer_value(v);
			break;
		case JSON_REAL:
			m->type = TN_EV_V_REAL;
			m->d = json_real_value(v);
			break;
		case JSON_TRUE: m->type = TN_EV_V_BOOL; m->b = true; break;
		case JSON_FALSE: m->type = TN_EV_V_BOOL; m->b = false; break;
		case JSON_NULL: m->type = TN_EV_V_NULL; break;
		}
	}
	r->rec.nmembers = n;
	return 0;
}

/* Make sure a whole line is in the buffer: 1 when it is, 0 at a clean end. */
static int fill_line(struct tn_ev_reader *r, char **nl, struct tn_error *e)
{
	for (;;) {
		size_t avail = r->end - r->pos;
		ssize_t n;

		*nl = memchr(r->buf + r->scanned, '\n', r->end - r->scanned);
		if (*nl)
			return 1;
		r->scanned = r->end;
		if (avail > TN_EV_LINE_MAX)
			return fail(r, e, -E2BIG, r->lineno + 1, TN_EV_LINE_MAX + 1,
				    "line longer than 1048576 bytes", NULL);
		if (r->eof) {
			const char *line = r->buf + r->pos;
			const char *nul = memchr(line, '\0', avail);
			size_t bad = utf8_check((const unsigned char *)line, avail);

			if (avail == 0)
				return 0;
			/* Binary data says so, even without a newline in it. */
			r->lineno++;
			if (bad < avail && (!nul || bad < (size_t)(nul - line)))
				return fail(r, e, -EILSEQ, r->lineno, char_col(line, bad),
					    "invalid UTF-8 (binary data?)", NULL);
			if (nul)
				return fail(r, e, -EILSEQ, r->lineno,
					    char_col(line, (size_t)(nul - line)),
					    "NUL byte in line (binary data?)", NULL);
			return fail(r, e, -EPIPE, r->lineno, char_col(line, avail),
				    "truncated line: the stream ends without a newline", NULL);
		}
		if (r->pos > 0) {
			memmove(r->buf, r->buf + r->pos, avail);
			r->pos = 0;
			r->end = r->scanned = avail;
		}
		if (r->is_mem) {
			n = (ssize_t)(r->mem_len - r->mem_off);
			if ((size_t)n > r->cap - r->end)
				n = (ssize_t)(r->cap - r->end);
			memcpy(r->buf + r->end, r->mem + r->mem_off, (size_t)n);
			r->mem_off += (size_t)n;
		} else {
			do
				n = read(r->fd, r->buf + r->end, r->cap - r->end);
			while (n < 0 && errno == EINTR);
		}
		if (n < 0) {
			int code = -errno;

			return fail(r, e, code, 0, 0, "read error: ", strerror(-code));
		}
		if (n == 0)
			r->eof = true;
		r->end += (size_t)n;
	}
}

int tn_ev_reader_next(struct tn_ev_reader *r, const struct tn_ev_rec **rec,
		      struct tn_error *e)
{
	const struct tn_ev_member *t;
	char *line, *nl;
	size_t len;
	int ret;

	if (r->err.code) {
		if (e)
			*e = r->err;
		return r->err.code;
	}
	if (r->json) {
		json_decref(r->json);
		r->json = NULL;
	}
	ret = fill_line(r, &nl, e);
	if (ret <= 0)
		return ret;
	line = r->buf + r->pos;
	len = (size_t)(nl - line);
	r->pos = r->scanned = (size_t)(nl - r->buf) + 1;
	r->lineno++;
	if (len > TN_EV_LINE_MAX)
		return fail(r, e, -E2BIG, r->lineno, TN_EV_LINE_MAX + 1,
			    "line longer than 1048576 bytes", NULL);
	if (len == 0)
		return fail(r, e, -EINVAL, r->lineno, 1, "empty line", NULL);

	r->rec.line = line;
	r->rec.len = len;
	r->rec.lineno = r->lineno;
	r->rec.members = r->m;
	if (fast_scan(r, line, len) != 0) {
		ret = slow_parse(r, line, len, e);
		if (ret < 0)
			return ret;
		r->nslow++;
	} else {
		r->nfast++;
	}
	r->rec.members = r->m;
	t = tn_ev_rec_get(&r->rec, "type");
	if (!t || t->type != TN_EV_V_STR)
		return fail(r, e, -EINVAL, r->lineno, 1,
			    "a record needs a string member \"type\"", NULL);
	r->rec.type = t->s;
	r->rec.type_len = t->slen;
	r->rec.kind = tn_ev_kind_of(t->s, t->slen);
	*rec = &r->rec;
	return 1;
}

const struct tn_ev_member *tn_ev_rec_get(const struct tn_ev_rec *rec, const char *key)
{
	size_t kl = strlen(key);

	for (size_t i = rec->nmembers; i-- > 0;) {
		const struct tn_ev_member *m = &rec->members[i];

		if (m->klen == kl && (kl == 0 || m->key[0] == key[0]) && memcmp(m->key, key, kl) == 0)
			return m;
	}
	return NULL;
}

bool tn_ev_rec_int(const struct tn_ev_rec *rec, const char *key, int64_t *v)
{
	const struct tn_ev_member *m = tn_ev_rec_get(rec, key);

	if (!m || m->type != TN_EV_V_INT)
		return false;
	*v = m->i;
	return true;
}

bool tn_ev_rec_str(const struct tn_ev_rec *rec, const char *key, const char **s, size_t *n)
{
	const struct tn_ev_member *m = tn_ev_rec_get(rec, key);

	if (!m || m->type != TN_EV_V_STR)
		return false;
	*s = m->s;
	*n = m->slen;
	return true;
}

bool tn_ev_rec_bool(const struct tn_ev_rec *rec, const char *key, bool *v)
{
	const struct tn_ev_member *m = tn_ev_rec_get(rec, key);

	if (!m || m->type != TN_EV_V_BOOL)
		return false;
	*v = m->b;
	return true;
}
