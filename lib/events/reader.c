/* The event-stream reader: checking lines (split by tn_lines) and their members. */
#include "reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "io.h"

/* The fast scanner gives up (and jansson decides) past these. */
#define FAST_MAX_MEMBERS 64
#define FAST_MAX_DEPTH 32
#define FAST_MAX_DIGITS 18

struct tn_ev_reader {
	const char *name;
	struct tn_lines lines;  /* stops at the first line over TN_EV_LINE_MAX */
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
	r->mcap = FAST_MAX_MEMBERS;
	r->m = malloc(r->mcap * sizeof(*r->m));
	if (!r->m) {
		free(r);
		return NULL;
	}
	return r;
}

struct tn_ev_reader *tn_ev_reader_new_fd(int fd, const char *name)
{
	struct tn_ev_reader *r = reader_new(name);

	if (r && tn_lines_init_fd(&r->lines, fd, name, TN_EV_LINE_MAX, TN_LINES_STOP) < 0) {
		tn_ev_reader_free(r);
		return NULL;
	}
	return r;
}

struct tn_ev_reader *tn_ev_reader_new_mem(const void *data, size_t len, const char *name)
{
	struct tn_ev_reader *r = reader_new(name);

	if (r)
		tn_lines_init_mem(&r->lines, data, len, name, TN_EV_LINE_MAX, TN_LINES_STOP);
	return r;
}

void tn_ev_reader_free(struct tn_ev_reader *r)
{
	if (!r)
		return;
	json_decref(r->json);
	free(r->m);
	tn_lines_finish(&r->lines);
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

/*
 * At '{' or '['.  The members of the top-level object (depth 0) go to s->m,
 * and its keys must need no decoding; nested containers are only checked.
 */
static int sc_container(struct scan *s, int depth, bool obj)
{
	const unsigned char close = obj ? '}' : ']';
	const bool top = depth == 0;

	if (depth > FAST_MAX_DEPTH)
		return 1;
	s->p++;
	sc_ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		return 0;
	}
	for (;;) {
		struct tn_ev_member *m = NULL;

		if (top) {
			if (s->n == FAST_MAX_MEMBERS)
				return 1;
			m = &s->m[s->n++];
		}
		if (obj) {
			if (s->p >= s->end || *s->p != '"' ||
			    sc_str(s, top, m ? &m->key : NULL, m ? &m->klen : NULL))
				return 1;
			sc_ws(s);
			if (s->p >= s->end || *s->p != ':')
				return 1;
			s->p++;
			sc_ws(s);
		}
		if (sc_value(s, depth + 1, m))
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
	if (s.p >= s.end || *s.p != '{' || sc_container(&s, 0, true))
		return 1;
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
	size_t bad = tn_utf8_valid_prefix(line, nul ? (size_t)(nul - line) : len);
	const char *key;
	json_t *v;
	size_t n = 0;

	if (bad < (nul ? (size_t)(nul - line) : len))
		return fail(r, e, -EILSEQ, r->rec.lineno, char_col(line, bad),
			    "invalid UTF-8 (binary data?)", NULL);
	if (nul)
		return fail(r, e, -EILSEQ, r->rec.lineno, char_col(line, (size_t)(nul - line)),
			    "NUL byte in line (binary data?)", NULL);
	r->json = json_loadb(line, len, 0, &jerr);
	if (!r->json)
		return fail(r, e, -EINVAL, r->rec.lineno, jerr.column > 0 ? (unsigned long)jerr.column : 1,
			    "invalid JSON: ", jerr.text);
	if (!json_is_object(r->json))
		return fail(r, e, -EINVAL, r->rec.lineno, char_col(line, strspn(line, " \t\r")),
			    "a record must be a JSON object", NULL);
	if (json_object_size(r->json) > r->mcap) {
		struct tn_ev_member *m = realloc(r->m, json_object_size(r->json) * sizeof(*m));

		if (!m)
			return fail(r, e, -ENOMEM, r->rec.lineno, 1, "out of memory", NULL);
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

/* A last line without its newline: binary data says so, else it is cut short. */
static int truncated(struct tn_ev_reader *r, const struct tn_line *ln, struct tn_error *e)
{
	const char *nul = memchr(ln->text, '\0', ln->len);
	size_t bad = tn_utf8_valid_prefix(ln->text, ln->len);

	if (bad < ln->len && (!nul || bad < (size_t)(nul - ln->text)))
		return fail(r, e, -EILSEQ, ln->lineno, char_col(ln->text, bad),
			    "invalid UTF-8 (binary data?)", NULL);
	if (nul)
		return fail(r, e, -EILSEQ, ln->lineno, char_col(ln->text, (size_t)(nul - ln->text)),
			    "NUL byte in line (binary data?)", NULL);
	return fail(r, e, -EPIPE, ln->lineno, char_col(ln->text, ln->len),
		    "truncated line: the stream ends without a newline", NULL);
}

int tn_ev_reader_next(struct tn_ev_reader *r, const struct tn_ev_rec **rec,
		      struct tn_error *e)
{
	const struct tn_ev_member *t;
	struct tn_line ln;
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
	ret = tn_lines_next(&r->lines, &ln, &r->err);
	if (ret < 0 && e)
		*e = r->err;
	if (ret <= 0)
		return ret;
	if (!ln.nl)
		return truncated(r, &ln, e);
	if (ln.len == 0)
		return fail(r, e, -EINVAL, ln.lineno, 1, "empty line", NULL);

	r->rec.line = ln.text;
	r->rec.len = ln.len;
	r->rec.lineno = ln.lineno;
	r->rec.members = r->m;
	if (fast_scan(r, ln.text, ln.len) != 0) {
		ret = slow_parse(r, ln.text, ln.len, e);
		if (ret < 0)
			return ret;
		r->nslow++;
	} else {
		r->nfast++;
	}
	r->rec.members = r->m;
	t = tn_ev_rec_get(&r->rec, "type");
	if (!t || t->type != TN_EV_V_STR)
		return fail(r, e, -EINVAL, ln.lineno, 1,
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
