/*
 * emu16-ops.h's one call per instruction, written once over the vocabulary
 * in scope (emu16.c's, or isa-avx512.h's in emu16-avx512.c) as EMU16_OP_FN.
 */
void EMU16_OP_FN(enum emu16_op op, const float *a, const float *b, int32_t table, float *y)
{
	vf va = vload(a), vb = vload(b), r = va;

	switch (op) {
	case EMU16_SCALEF: r = vscalef(va, vb); break;
	case EMU16_ROUND: r = vround(va); break;
	case EMU16_GETEXP: r = vgetexp(va); break;
	case EMU16_GETMANT: r = vgetmant12(va); break;
	case EMU16_NEGABS_MIN: r = vnegabs_min(va, vb); break;
	case EMU16_FIXUP: r = vfixup(vb, va, table); break;
	case EMU16_NOPS: break;
	}
	vstore(y, r);
}
