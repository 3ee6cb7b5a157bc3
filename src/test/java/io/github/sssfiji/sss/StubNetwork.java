package io.github.sssfiji.sss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;

import io.github.sssfiji.nn.ModelState;

/**
 * A {@link Network} for tests of what surrounds a network (refreshes, propagation, suggestions): no
 * parameters, one feature level that is the input itself, and logits that a subclass computes from
 * the image (and prompts) by a rule the test can work out by hand.
 */
public abstract class StubNetwork implements Network {

	private final ModelState state;
	private final int classes;

	protected StubNetwork(final NDManager parent, final int classes) {
		this.state = new ModelState(parent);
		this.classes = classes;
	}

	@Override
	public String kind() {
		return getClass().getSimpleName();
	}

	@Override
	public int classes() {
		return classes;
	}

	@Override
	public int inputChannels() {
		return 1;
	}

	@Override
	public int sizeMultiple() {
		return 1;
	}

	@Override
	public int[] featureChannels() {
		return new int[] { 1 };
	}

	@Override
	public NDList encode(final NDArray x, final boolean training) {
		return new NDList(x);
	}

	@Override
	public NDArray decode(final NDList features, final boolean training) {
		return decode(features, null, training);
	}

	/** Logits (batch, classes, height, width) of the images {@code features.get(0)} with {@code prompts} (or {@code null}). */
	@Override
	public abstract NDArray decode(NDList features, SlicePrompts prompts, boolean training);

	@Override
	public ModelState state() {
		return state;
	}

	@Override
	public JsonObject architecture() {
		return new JsonObject();
	}

	@Override
	public Network newInstance(final NDManager parent, final long seed) {
		throw new UnsupportedOperationException("a stub network has no fresh instance");
	}

	@Override
	public void close() {
		state.close();
	}
}
