/* SPDX-License-Identifier: MIT */
/*
 * ml_similarity: TF-IDF vectors of a tiny built-in corpus, their cosine
 * similarities, L2 normalisation, and nearest-neighbour classification of
 * a few queries.
 *
 * TF-IDF here: tf = count / words in the document, idf = ln((1 + N) /
 * (1 + df)) + 1 (the smoothed form), vector = tf * idf.  libtn does the
 * arithmetic (log, mul, norm_l2, scale, cosine, cosine_batch, argmax);
 * the similarities are printed to 4 decimals, the same on every backend.
 * A failed property (or a misclassified query) exits 1.
 */
#include "example.h"

#include <ctype.h>

#define MAXV 96                 /* vocabulary */
#define MAXW 24                 /* letters of a word */

struct doc {
	const char *label, *text;
};

static const struct doc corpus[] = {
	{"sport", "the team won the match with a late goal"},
	{"sport", "the striker scored a goal and the team won the cup"},
	{"sport", "a tennis match of five sets and a tired player"},
	{"food", "bake the bread with flour water salt and yeast"},
	{"food", "the soup needs salt pepper and fresh bread"},
	{"food", "a cake of flour sugar eggs and butter"},
	{"tech", "the compiler turns the source code into machine code"},
	{"tech", "a vector unit adds eight floats in one instruction"},
	{"tech", "the kernel schedules threads on every core of the machine"},
};
#define NDOC (sizeof(corpus) / sizeof(corpus[0]))

static const struct doc queries[] = {
	{"sport", "who scored the goal in the cup match"},
	{"food", "fresh bread needs flour and salt"},
	{"tech", "code for the vector instruction of the machine"},
};
#define NQ (sizeof(queries) / sizeof(queries[0]))

static char vocab[MAXV][MAXW];
static size_t nvocab;

/* The lower-case words of text into out[max]; returns how many. */
static size_t words(const char *text, char out[][MAXW], size_t max)
{
	size_t n = 0;

	while (*text) {
		size_t len = 0;

		while (*text && !isalpha((unsigned char)*text))
			text++;
		while (isalpha((unsigned char)*text)) {
			if (len + 1 < MAXW && n < max)
				out[n][len++] = (char)tolower((unsigned char)*text);
			text++;
		}
		if (len && n < max)
			out[n++][len] = '\0';
	}
	return n;
}

static int cmp_word(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int find(const char *w)
{
	const char *p = bsearch(w, vocab, nvocab, MAXW, cmp_word);

	return p ? (int)((p - vocab[0]) / MAXW) : -1;
}

/* Term frequencies of text over the vocabulary (words not in it dropped). */
static void tf(const char *text, float *v)
{
	char w[64][MAXW];
	size_t n = words(text, w, 64);

	memset(v, 0, MAXV * sizeof(float));
	for (size_t i = 0; i < n; i++) {
		int k = find(w[i]);

		if (k >= 0)
			v[k] += 1.0f;
	}
	if (n)
		tn_scale(nvocab, 1.0f / (float)n, v, v);
}

static float docs[NDOC][MAXV], unit[NDOC][MAXV], idf[MAXV];

static void check(bool ok, const char *what)
{
	ex_check(ok, "%s", what);
	printf("%-52s %s\n", what, ok ? "ok" : "FAILED");
}

int main(void)
{
	float df[MAXV] = {0}, sim[NDOC][NDOC], q[MAXV], qs[NDOC];
	int correct = 0;
	bool ok;

	ex_init("ml_similarity");

	/* the vocabulary: every word of the corpus, sorted, once */
	for (size_t d = 0; d < NDOC; d++) {
		char w[64][MAXW];
		size_t n = words(corpus[d].text, w, 64);

		for (size_t i = 0; i < n; i++) {
			bool seen = false;

			for (size_t k = 0; k < nvocab && !seen; k++)
				seen = strcmp(vocab[k], w[i]) == 0;
			if (!seen && nvocab < MAXV)
				memcpy(vocab[nvocab++], w[i], MAXW);
		}
	}
	qsort(vocab, nvocab, MAXW, cmp_word);

	/* idf = ln((1 + N) / (1 + df)) + 1 */
	for (size_t d = 0; d < NDOC; d++) {
		tf(corpus[d].text, docs[d]);
		for (size_t k = 0; k < nvocab; k++)
			df[k] += docs[d][k] > 0.0f ? 1.0f : 0.0f;
	}
	for (size_t k = 0; k < nvocab; k++)
		idf[k] = (1.0f + (float)NDOC) / (1.0f + df[k]);
	tn_log(nvocab, idf, idf);
	for (size_t k = 0; k < nvocab; k++)
		idf[k] += 1.0f;
	for (size_t d = 0; d < NDOC; d++)
		tn_mul(nvocab, docs[d], idf, docs[d]);

	printf("ml_similarity: TF-IDF, cosine similarity, nearest neighbour\n\n");
	printf("corpus: %zu documents, vocabulary of %zu words\n", NDOC, nvocab);
	printf("idf(\"the\") = %.4f, idf(\"goal\") = %.4f, idf(\"yeast\") = %.4f\n\n",
	       ex_p(idf[find("the")]), ex_p(idf[find("goal")]), ex_p(idf[find("yeast")]));

	/* L2 normalisation: v / |v| */
	ok = true;
	for (size_t d = 0; d < NDOC; d++) {
		float norm = tn_norm_l2(nvocab, docs[d]);

		tn_scale(nvocab, 1.0f / norm, docs[d], unit[d]);
		ok = ok && ex_close(tn_norm_l2(nvocab, unit[d]), 1.0f, 1e-6f);
	}
	check(ok, "every normalised vector has length 1");

	/* cosine similarities, one row per document (tn_cosine_batch) */
	printf("\ncosine similarity:\n%6s", "");
	for (size_t j = 0; j < NDOC; j++)
		printf(" %6s%zu", corpus[j].label, j);
	printf("\n");
	for (size_t i = 0; i < NDOC; i++) {
		ex_check(tn_cosine_batch(nvocab, docs[i], NDOC, docs[0], MAXV, sim[i]) == 0,
			 "tn_cosine_batch");
		printf("%5s%zu", corpus[i].label, i);
		for (size_t j = 0; j < NDOC; j++)
			printf(" %7.4f", ex_p(sim[i][j]));
		printf("\n");
	}
	printf("\n");

	ok = true;
	for (size_t i = 0; i < NDOC; i++)
		for (size_t j = 0; j < NDOC; j++)
			ok = ok && ex_close(sim[i][j], sim[j][i], 1e-6f) &&
			     sim[i][j] >= 0.0f && sim[i][j] <= 1.0f &&
			     (i != j || ex_close(sim[i][j], 1.0f, 1e-6f));
	check(ok, "symmetric, in [0, 1], 1 on the diagonal");
	ok = true;
	for (size_t i = 0; i < NDOC; i++)
		for (size_t j = 0; j < NDOC; j++)
			ok = ok && ex_close(tn_cosine(nvocab, docs[i], docs[j]), sim[i][j], 0) &&
			     ex_close(tn_dot(nvocab, unit[i], unit[j]), sim[i][j], 1e-5f) &&
			     ex_close(tn_cosine(nvocab, unit[i], unit[j]), sim[i][j], 1e-6f);
	check(ok, "cosine == batch row == dot of the normalised vectors");

	/* nearest neighbour: the label of the most similar document */
	for (size_t i = 0; i < NQ; i++) {
		size_t best;

		tf(queries[i].text, q);
		tn_mul(nvocab, q, idf, q);
		tn_cosine_batch(nvocab, q, NDOC, docs[0], MAXV, qs);
		best = tn_argmax(NDOC, qs);
		printf("query \"%s\"\n  nearest: document %zu (%s), similarity %.4f: %s\n",
		       queries[i].text, best, corpus[best].label, ex_p(qs[best]),
		       strcmp(corpus[best].label, queries[i].label) == 0 ? "right" : "WRONG");
		if (ex_check(strcmp(corpus[best].label, queries[i].label) == 0,
			     "query %zu classified as %s, not %s", i, corpus[best].label,
			     queries[i].label))
			correct++;
	}
	printf("\n");
	check(correct == (int)NQ, "every query classified right");
	return ex_finish();
}
