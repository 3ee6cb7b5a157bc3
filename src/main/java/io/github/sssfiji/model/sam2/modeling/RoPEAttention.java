package io.github.sssfiji.model.sam2.modeling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import io.github.sssfiji.nn.Linear;
import io.github.sssfiji.nn.Ops;
import io.github.sssfiji.nn.ModelState;

/**
 * SAM 2's {@code RoPEAttention}: {@link TokenAttention}'s projections with axial rotary encoding of q
 * and k. The frequencies follow the query grid (a square of sqrt(Nq) tokens); keys longer than the
 * queries repeat them ({@code rope_k_repeat}); the last {@code numKExcludeRope} keys (object
 * pointers) are not rotated. Attention dropout only in training.
 */
final class RoPEAttention {

	private final int heads;
	private final int embeddingDim;
	private final float theta;
	private final float dropout;
	private final boolean kRepeat;
	private final Linear qProj;
	private final Linear kProj;
	private final Linear vProj;
	private final Linear outProj;

	RoPEAttention(final ModelState state, final int embeddingDim, final int heads, final int kvInDim, final float theta, final float dropout, final boolean kRepeat) {
		this.heads = heads;
		this.embeddingDim = embeddingDim;
		this.theta = theta;
		this.dropout = dropout;
		this.kRepeat = kRepeat;
		this.qProj = Linear.create(state, "q_proj", embeddingDim, embeddingDim, true, Sam2Init.WEIGHT);
		this.kProj = Linear.create(state, "k_proj", kvInDim, embeddingDim, true, Sam2Init.WEIGHT);
		this.vProj = Linear.create(state, "v_proj", kvInDim, embeddingDim, true, Sam2Init.WEIGHT);
		this.outProj = Linear.create(state, "out_proj", embeddingDim, embeddingDim, true, Sam2Init.WEIGHT);
	}

	NDArray forward(final NDArray q, final NDArray k, final NDArray v, final int numKExcludeRope,
		final boolean training)
	{
		NDArray qh = separate(qProj.forward(q));
		NDArray kh = separate(kProj.forward(k));
		final NDArray vh = separate(vProj.forward(v));
		final long nq = qh.getShape().get(2), nk = kh.getShape().get(2);
		final int side = (int) Math.round(Math.sqrt(nq));
		if ((long) side * side != nq) throw new IllegalArgumentException("RoPE needs a square query grid, got " + nq + " tokens");
		if (nq != nk - numKExcludeRope && !kRepeat) throw new IllegalArgumentException("keys differ from queries without rope_k_repeat");
		final float[][] table = RotaryEncoding.tables((int) qh.getShape().get(3), side, side, theta);
		qh = RotaryEncoding.apply(qh, table[0], table[1], (int) nq);
		final long rotated = nk - numKExcludeRope;
		if (rotated > 0) {
			final NDArray kRot = RotaryEncoding.apply(kh.get(":, :, :" + rotated + ", :"), table[0], table[1], (int) nq);
			kh = numKExcludeRope > 0 ? kRot.concat(kh.get(":, :, " + rotated + ":, :"), 2) : kRot;
		}
		final long d = qh.getShape().get(3);
		NDArray weights = Ops.mul(qh.matMul(kh.transpose(0, 1, 3, 2)), (float) (1.0 / Math.sqrt(d))).softmax(-1);
		if (training && dropout > 0) weights = Dropout.dropout(weights, dropout, true).head();
		final NDArray out = weights.matMul(vh);
		final Shape s = out.getShape();
		return outProj.forward(out.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3)));
	}

	private NDArray separate(final NDArray x) {
		final Shape s = x.getShape();
		return x.reshape(s.get(0), s.get(1), heads, s.get(2) / heads).transpose(0, 2, 1, 3);
	}
}
