/* SPDX-License-Identifier: MIT */
/*
 * activation_functions: every activation libtn has, on -3 .. 3 in steps of
 * 0.5, as a table; softmax and log_softmax on [2, 1, 0.1]; and the
 * properties that tie them together.
 *
 * libtn's activations give the same bits on every backend (libtn(3),
 * ACCURACY), so the table is the same everywhere.  A failed property exits 1.
 */
#include "example.h"

#define NX 13                   /* -3, -2.5, ..., 3 */

struct act {
	const char *name;
	float y[NX];
};

enum { RELU, LEAKY, ELU, SELU, SIGMOID, TANH, GELU, GELU_TANH, SWISH, HARDSWISH, MISH, NACT };

static struct act acts[NACT] = {
	[RELU] = {"relu", {0}}, [LEAKY] = {"leaky.01", {0}}, [ELU] = {"elu", {0}},
	[SELU] = {"selu", {0}}, [SIGMOID] = {"sigmoid", {0}}, [TANH] = {"tanh", {0}},
	[GELU] = {"gelu", {0}}, [GELU_TANH] = {"gelu_tanh", {0}}, [SWISH] = {"swish", {0}},
	[HARDSWISH] = {"hardswish", {0}}, [MISH] = {"mish", {0}},
};

static void check(bool ok, const char *what)
{
	ex_check(ok, "%s", what);
	printf("%-50s %s\n", what, ok ? "ok" : "FAILED");
}

int main(void)
{
	float x[NX], t[NX], u[NX];
	bool ok;

	ex_init("activation_functions");
	for (int i = 0; i < NX; i++)
		x[i] = -3.0f + 0.5f * (float)i;

	tn_relu(NX, x, acts[RELU].y);
	tn_leaky_relu(NX, 0.01f, x, acts[LEAKY].y);
	tn_elu(NX, 1.0f, x, acts[ELU].y);
	tn_selu(NX, x, acts[SELU].y);
	tn_sigmoid(NX, x, acts[SIGMOID].y);
	tn_tanh(NX, x, acts[TANH].y);
	tn_gelu(NX, x, acts[GELU].y);
	tn_gelu_tanh(NX, x, acts[GELU_TANH].y);
	tn_swish(NX, x, acts[SWISH].y);
	tn_hardswish(NX, x, acts[HARDSWISH].y);
	tn_mish(NX, x, acts[MISH].y);

	printf("activation_functions: every libtn activation on -3 .. 3\n\n");
	printf("%6s", "x");
	for (int a = 0; a < NACT; a++)
		printf(" %9s", acts[a].name);
	printf("\n");
	for (int i = 0; i < NX; i++) {
		printf("%6.2f", ex_p(x[i]));
		for (int a = 0; a < NACT; a++)
			printf(" %9.4f", ex_p(acts[a].y[i]));
		printf("\n");
	}

	/* softmax and log_softmax on [2, 1, 0.1] */
	{
		const float v[3] = {2.0f, 1.0f, 0.1f};
		float s[3], ls[3], els[3];

		tn_softmax(3, v, s);
		tn_log_softmax(3, v, ls);
		tn_exp(3, ls, els);
		printf("\n%-12s %9s %9s %9s\n", "", "2", "1", "0.1");
		printf("%-12s %9.4f %9.4f %9.4f\n", "softmax", ex_p(s[0]), ex_p(s[1]), ex_p(s[2]));
		printf("%-12s %9.4f %9.4f %9.4f\n", "log_softmax", ex_p(ls[0]), ex_p(ls[1]),
		       ex_p(ls[2]));
		printf("\n");
		check(ex_close(tn_sum(3, s), 1.0f, 1e-6f), "softmax sums to 1");
		check(s[0] > s[1] && s[1] > s[2], "softmax keeps the order of its inputs");
		check(ex_all_close(3, els, s, 1e-6f), "exp(log_softmax) == softmax");
		check(ex_close(ls[0] - ls[1], 1.0f, 1e-6f), "log_softmax differences == input differences");
	}

	/* properties of the table */
	tn_maximum(NX, x, (float[NX]){0}, t);
	check(ex_same(NX, t, acts[RELU].y), "relu(x) == max(x, 0)");
	ok = true;
	for (int i = 0; i < NX; i++)
		ok = ok && acts[SIGMOID].y[i] > 0.0f && acts[SIGMOID].y[i] < 1.0f &&
		     (i == 0 || acts[SIGMOID].y[i] > acts[SIGMOID].y[i - 1]);
	check(ok && acts[SIGMOID].y[6] == 0.5f, "sigmoid in (0, 1), increasing, sigmoid(0) == 0.5");
	ok = true;
	for (int i = 0; i < NX; i++)
		ok = ok && acts[TANH].y[i] == -acts[TANH].y[NX - 1 - i] &&
		     ex_close(acts[SIGMOID].y[i] + acts[SIGMOID].y[NX - 1 - i], 1.0f, 1e-6f);
	check(ok, "tanh odd, sigmoid(x) + sigmoid(-x) == 1");
	tn_mul(NX, x, acts[SIGMOID].y, t);
	check(ex_all_close(NX, t, acts[SWISH].y, 1e-6f), "swish(x) == x sigmoid(x)");
	tn_tanh(NX, x, t);                              /* tanh(x) == 2 sigmoid(2x) - 1 */
	tn_scale(NX, 2.0f, x, u);
	tn_sigmoid(NX, u, u);
	for (int i = 0; i < NX; i++)
		u[i] = 2.0f * u[i] - 1.0f;
	check(ex_all_close(NX, t, u, 1e-6f), "tanh(x) == 2 sigmoid(2x) - 1");
	check(ex_all_close(NX, acts[GELU].y, acts[GELU_TANH].y, 1e-3f),
	      "gelu and its tanh approximation within 1e-3");
	ok = true;
	for (int i = 6; i < NX; i++)            /* x >= 0 */
		ok = ok && acts[ELU].y[i] == x[i] && acts[LEAKY].y[i] == x[i];
	for (int i = 0; i < 6; i++)             /* x < 0 */
		ok = ok && acts[ELU].y[i] > -1.0f && acts[ELU].y[i] < 0.0f &&
		     acts[LEAKY].y[i] == 0.01f * x[i];
	check(ok, "elu and leaky_relu: x for x >= 0, bounded below x < 0");
	check(acts[HARDSWISH].y[0] == 0.0f && acts[HARDSWISH].y[NX - 1] == 3.0f,
	      "hardswish(-3) == 0, hardswish(3) == 3");
	return ex_finish();
}
