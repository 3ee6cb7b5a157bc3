package io.github.sssfiji.io.torch;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import net.razorvine.pickle.PickleException;

/**
 * The torch functions a state_dict pickle calls to rebuild tensors, re-implemented as pure data
 * copies: a (possibly strided, offset) view of a storage becomes a contiguous C-order array.
 */
final class TorchTensors {

	/** Legacy storage class names (as in {@code torch.FloatStorage}) and their element types. */
	static final Map<String, TensorType> STORAGE_TYPES;

	static {
		final Map<String, TensorType> m = new LinkedHashMap<>();
		m.put("FloatStorage", TensorType.FLOAT32);
		m.put("HalfStorage", TensorType.FLOAT16);
		m.put("BFloat16Storage", TensorType.BFLOAT16);
		m.put("DoubleStorage", TensorType.FLOAT64);
		m.put("LongStorage", TensorType.INT64);
		m.put("IntStorage", TensorType.INT32);
		m.put("ShortStorage", TensorType.INT16);
		m.put("CharStorage", TensorType.INT8);
		m.put("ByteStorage", TensorType.UINT8);
		m.put("BoolStorage", TensorType.BOOL);
		STORAGE_TYPES = Collections.unmodifiableMap(m);
	}

	/**
	 * The most elements of a view that repeats its storage's (stride 0): 64 MiB of float32. Real
	 * state dicts hold views no larger than their storage.
	 */
	static final long MAX_REPEATED_ELEMENTS = 1L << 24;

	private TorchTensors() {}

	/** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
	static Object rebuildTensorV2(final Object[] args) {
		if (args.length < 4 || !(args[0] instanceof StorageRef))
			throw new PickleException("_rebuild_tensor_v2 expects (storage, offset, size, stride, ...), got " + args.length + " arguments");
		final StorageRef storage = (StorageRef) args[0];
		final long offset = toLong(args[1], "storage_offset");
		final long[] size = toLongs(args[2], "size");
		final long[] stride = toLongs(args[3], "stride");
		return view(storage, offset, size, stride);
	}

	/** {@code _rebuild_parameter(data, requires_grad, backward_hooks)}: the data tensor itself. */
	static Object rebuildParameter(final Object[] args) {
		if (args.length < 1 || !(args[0] instanceof TensorData))
			throw new PickleException("_rebuild_parameter expects a tensor as first argument");
		return args[0];
	}

	static TensorData view(final StorageRef storage, final long offset, final long[] size, final long[] stride) {
		if (size.length != stride.length)
			throw new PickleException("tensor on storage " + storage.key + " has size " + Arrays.toString(size) + " but stride " +
				Arrays.toString(stride));
		for (int d = 0; d < size.length; d++)
			if (size[d] < 0 || stride[d] < 0) throw new PickleException("negative size or stride on storage " + storage.key + ": size " +
				Arrays.toString(size) + ", stride " + Arrays.toString(stride));
		// checked before the product: a negative size made it negative (a Jazzer finding: cast to int, it asked for 8 GB)
		final long numel = TensorData.numel(size);
		if (numel > Integer.MAX_VALUE - 8)
			throw new PickleException("tensor on storage " + storage.key + " has too many elements: size " + Arrays.toString(size));
		// more elements than its storage means repeated ones (a stride of 0, as expand() makes): the copy is not bounded by
		// the file's size, so a few bytes could ask for gigabytes (a Jazzer finding)
		if (numel > storage.numel && numel > MAX_REPEATED_ELEMENTS)
			throw new PickleException("tensor on storage " + storage.key + " has " + numel + " elements that repeat the storage's " + storage.numel +
				" (strides " + Arrays.toString(stride) + "); SSS copies at most " + MAX_REPEATED_ELEMENTS + " repeated elements");
		if (numel > 0) {
			long last = offset;
			try {
				for (int d = 0; d < size.length; d++)
					last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
			}
			catch (final ArithmeticException e) {
				last = Long.MAX_VALUE;
			}
			if (offset < 0 || last >= storage.numel)
				throw new PickleException("tensor view [offset " + offset + ", size " + Arrays.toString(size) + ", stride " +
					Arrays.toString(stride) + "] reaches outside storage " + storage.key + " of " + storage.numel + " elements");
		}
		final Object values = storage.values();
		final int n = (int) numel;
		final int[] index = new int[size.length];
		if (values instanceof float[]) {
			final float[] src = (float[]) values;
			final float[] dst = new float[n];
			long pos = offset;
			for (int i = 0; i < n; i++) {
				dst[i] = src[(int) pos];
				pos = advance(index, size, stride, pos);
			}
			return TensorData.ofFloats(storage.type, size, dst);
		}
		final long[] src = (long[]) values;
		final long[] dst = new long[n];
		long pos = offset;
		for (int i = 0; i < n; i++) {
			dst[i] = src[(int) pos];
			pos = advance(index, size, stride, pos);
		}
		return TensorData.ofLongs(storage.type, size, dst);
	}

	/** Steps the multi-index in C order (last axis fastest) and returns the new storage position. */
	private static long advance(final int[] index, final long[] size, final long[] stride, long pos) {
		for (int d = index.length - 1; d >= 0; d--) {
			index[d]++;
			pos += stride[d];
			if (index[d] < size[d]) return pos;
			pos -= stride[d] * index[d];
			index[d] = 0;
		}
		return pos;
	}

	static long toLong(final Object o, final String what) {
		if (o instanceof Number) return ((Number) o).longValue();
		throw new PickleException(what + " is not an integer: " + o);
	}

	static long[] toLongs(final Object o, final String what) {
		if (!(o instanceof Object[])) throw new PickleException(what + " is not a tuple");
		final Object[] a = (Object[]) o;
		final long[] out = new long[a.length];
		for (int i = 0; i < a.length; i++) out[i] = toLong(a[i], what);
		return out;
	}
}
