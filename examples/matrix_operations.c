/* SPDX-License-Identifier: MIT */
/*
 * matrix_operations: matmul, transpose, identity, matvec, vecmat, a linear
 * layer and a batched matmul, each with a property it must satisfy.
 *
 * The matrices hold small integers, so every product and sum is exact in
 * float: the results are the same bits on every backend (whose products
 * may otherwise differ within libtn(3)'s bound), and stdout is the same
 * everywhere.  A failed property exits 1.
 */
#include "example.h"

#define TOL 1e-5f

/* Row-major m x n, leading dimension n. */
static void print_matrix(const char *title, size_t m, size_t n, const float *a)
{
	printf("%s (%zux%zu):\n", title, m, n);
	for (size_t i = 0; i < m; i++) {
		printf(" ");
		for (size_t j = 0; j < n; j++)
			printf(" %8.4f", ex_p(a[i * n + j]));
		printf("\n");
	}
}

static void report(bool ok, const char *what)
{
	ex_check(ok, "%s", what);
	printf("%-44s %s\n", what, ok ? "ok" : "FAILED");
}

/* The reference: C = A B in double, the obvious loops. */
static void matmul_ref(size_t m, size_t n, size_t k, const float *a, const float *b, float *c)
{
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++) {
			double s = 0;

			for (size_t p = 0; p < k; p++)
				s += (double)a[i * k + p] * b[p * n + j];
			c[i * n + j] = (float)s;
		}
}

static void identity(size_t n, float *a)
{
	for (size_t i = 0; i < n * n; i++)
		a[i] = (i / n == i % n) ? 1.0f : 0.0f;
}

/* Small integers in [-4, 4], a different pattern per seed. */
static void fill(size_t n, float *a, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		a[i] = (float)((int)((i * 7 + seed * 13 + (i * i) % 11) % 9) - 4);
}

/* Sizes with SIMD tails: 19 and 13 are no multiple of 4, 8 or 16. */
enum { M = 17, K = 19, N2 = 13, B = 3, BM = 5, BK = 6, BN = 7 };

static float a[M * K], b[K * N2], c[M * N2], ref[M * N2], t1[N2 * M], at[K * M],
	bt[N2 * K], t2[N2 * M], eye[K * K], x[K], y[M], y2[M], z[K], z2[K],
	ba[B * BM * BK], bb[B * BK * BN], bc[B * BM * BN], one[BM * BN];

int main(void)
{
	ex_init("matrix_operations");
	printf("matrix_operations: libtn's matrix products and their properties\n\n");

	/* matmul on a small case, printed */
	{
		const float a2[2 * 3] = {1, 2, 3, 4, 5, 6};
		const float b2[3 * 2] = {7, 8, 9, 10, 11, 12};
		float c2[2 * 2], r2[2 * 2];

		ex_check(tn_matmul(2, 2, 3, a2, 3, b2, 2, c2, 2) == 0, "tn_matmul 2x3 3x2");
		print_matrix("A", 2, 3, a2);
		print_matrix("B", 3, 2, b2);
		print_matrix("C = A B", 2, 2, c2);
		matmul_ref(2, 2, 3, a2, b2, r2);
		report(ex_all_close(4, c2, r2, TOL), "matmul 2x3 . 3x2 == reference");
	}

	fill(M * K, a, 1);
	fill(K * N2, b, 2);
	fill(K, x, 3);

	/* matmul against the double reference */
	ex_check(tn_matmul(M, N2, K, a, K, b, N2, c, N2) == 0, "tn_matmul");
	matmul_ref(M, N2, K, a, b, ref);
	report(ex_all_close(M * N2, c, ref, TOL), "matmul 17x19 . 19x13 == reference");
	printf("  sum of C = %.1f, C[0][0] = %.1f, C[16][12] = %.1f\n",
	       ex_p(tn_sum(M * N2, c)), ex_p(c[0]), ex_p(c[M * N2 - 1]));

	/* identity: A I == A */
	identity(K, eye);
	{
		static float ai[M * K];

		tn_matmul(M, K, K, a, K, eye, K, ai, K);
		report(ex_same(M * K, ai, a), "A . I == A");
	}

	/* transpose: (A^T)^T == A, and (AB)^T == B^T A^T */
	ex_check(tn_transpose(M, K, a, K, at, M) == 0, "tn_transpose");
	{
		static float att[M * K];

		tn_transpose(K, M, at, M, att, K);
		report(ex_same(M * K, att, a), "(A^T)^T == A");
	}
	tn_transpose(M, N2, c, N2, t1, M);              /* (AB)^T */
	tn_transpose(K, N2, b, N2, bt, K);              /* B^T */
	tn_matmul(N2, M, K, bt, K, at, M, t2, M);       /* B^T A^T */
	report(ex_all_close(N2 * M, t1, t2, TOL), "(A B)^T == B^T A^T");

	/* matvec: A x == the matmul with x as a column */
	ex_check(tn_matvec(M, K, a, K, x, y) == 0, "tn_matvec");
	tn_matmul(M, 1, K, a, K, x, 1, y2, 1);
	report(ex_all_close(M, y, y2, TOL), "matvec A x == matmul(A, x)");
	printf("  A x = [%.1f %.1f %.1f ... %.1f]\n", ex_p(y[0]), ex_p(y[1]), ex_p(y[2]),
	       ex_p(y[M - 1]));

	/* vecmat: y A == A^T y */
	ex_check(tn_vecmat(M, K, y, a, K, z) == 0, "tn_vecmat");
	tn_matvec(K, M, at, M, y, z2);
	report(ex_all_close(K, z, z2, TOL), "vecmat y A == matvec(A^T, y)");

	/* a linear layer: relu(W x + bias), one input and a batch of four */
	{
		enum { IN = 6, OUT = 4, BATCH = 4 };
		float w[OUT * IN], bias[OUT], xin[BATCH * IN], wt[IN * OUT], out1[OUT],
			outb[BATCH * OUT], rows[BATCH * OUT];
		bool ok = true;

		fill(OUT * IN, w, 4);
		fill(OUT, bias, 5);
		fill(BATCH * IN, xin, 6);
		tn_transpose(OUT, IN, w, IN, wt, OUT);
		/* the batch: X W^T, plus the bias on every row, then relu */
		tn_matmul(BATCH, OUT, IN, xin, IN, wt, OUT, outb, OUT);
		for (int r = 0; r < BATCH; r++)
			tn_add(OUT, outb + r * OUT, bias, outb + r * OUT);
		tn_relu(BATCH * OUT, outb, outb);
		/* each row alone: W x + bias, relu */
		for (int r = 0; r < BATCH; r++) {
			tn_matvec(OUT, IN, w, IN, xin + r * IN, out1);
			tn_add(OUT, out1, bias, out1);
			tn_relu(OUT, out1, rows + r * OUT);
		}
		ok = ex_all_close(BATCH * OUT, outb, rows, TOL);
		for (int i = 0; i < BATCH * OUT; i++)
			ok = ok && outb[i] >= 0.0f;
		print_matrix("linear layer relu(X W^T + b)", BATCH, OUT, outb);
		report(ok, "linear layer: batch == row by row, all >= 0");
	}

	/* batched matmul: each product == the single matmul */
	{
		bool ok = true;

		fill(B * BM * BK, ba, 7);
		fill(B * BK * BN, bb, 8);
		ex_check(tn_matmul_batched(B, BM, BN, BK, ba, BK, BM * BK, bb, BN, BK * BN,
					   bc, BN, BM * BN) == 0, "tn_matmul_batched");
		for (int i = 0; i < B; i++) {
			tn_matmul(BM, BN, BK, ba + i * BM * BK, BK, bb + i * BK * BN, BN, one, BN);
			ok = ok && ex_all_close(BM * BN, bc + i * BM * BN, one, TOL);
		}
		report(ok, "batched matmul (3 of 5x6 . 6x7) == 3 matmuls");
		printf("  sum of the batch = %.1f\n", ex_p(tn_sum(B * BM * BN, bc)));
	}

	/* shapes that do not fit are refused */
	report(tn_matmul(2, 2, 3, a, 2, b, 2, c, 2) == -EINVAL,
	       "matmul with lda < k is refused (-EINVAL)");

	return ex_finish();
}
