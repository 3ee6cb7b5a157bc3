package io.github.sssfiji.io.torch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * An unpickler for {@code torch.save} payloads that only knows a fixed list of globals.
 * <p>
 * Every opcode that names a Python object ({@code GLOBAL}, {@code STACK_GLOBAL}, {@code INST},
 * {@code OBJ}, the {@code EXT} registry codes) is intercepted before razorvine's own handling, which
 * would otherwise fall back to generic class-dict objects. A name outside the whitelist stops the
 * load with an error naming it and the file. {@code BUILD} is accepted only on our own
 * {@link PickledOrderedDict}, so no Java method is ever looked up from a name in the pickle.
 * </p>
 */
final class WhitelistUnpickler extends Unpickler {

	/** Resolves the persistent id of a storage to its bytes. */
	interface StorageResolver {
		StorageRef resolve(Object[] persistentId);
	}

	private final String source;
	private final StorageResolver storages;
	private final Map<String, IObjectConstructor> allowed = new HashMap<>();

	WhitelistUnpickler(final String source, final StorageResolver storages) {
		this.source = source;
		this.storages = storages;
		allowed.put("torch._utils._rebuild_tensor_v2", TorchTensors::rebuildTensorV2);
		allowed.put("torch._utils._rebuild_parameter", TorchTensors::rebuildParameter);
		allowed.put("collections.OrderedDict", args -> {
			if (args.length != 0) throw new PickleException("collections.OrderedDict with arguments is not supported");
			return new PickledOrderedDict();
		});
		for (final Map.Entry<String, TensorType> storage : TorchTensors.STORAGE_TYPES.entrySet()) {
			final TensorType type = storage.getValue();
			allowed.put("torch." + storage.getKey(), new StorageTypeMarker(type));
		}
	}

	@Override
	protected Object dispatch(final short key) throws PickleException, IOException {
		switch (key) {
			case Opcodes.GLOBAL: {
				final String module = PickleUtils.readline(input);
				final String name = PickleUtils.readline(input);
				stack.add(lookup(module, name));
				return NO_RETURN_VALUE;
			}
			case Opcodes.STACK_GLOBAL: {
				final Object name = stack.pop();
				final Object module = stack.pop();
				if (!(module instanceof String) || !(name instanceof String))
					throw refuse("a STACK_GLOBAL whose module or name is not a string");
				stack.add(lookup((String) module, (String) name));
				return NO_RETURN_VALUE;
			}
			case Opcodes.INST:
			case Opcodes.OBJ:
				throw refuse("an INST/OBJ opcode (class instantiation)");
			case Opcodes.EXT1:
			case Opcodes.EXT2:
			case Opcodes.EXT4:
				throw refuse("an EXT opcode (copyreg extension registry)");
			case Opcodes.BUILD: {
				final Object state = stack.pop();
				final Object target = stack.peek();
				if (!(target instanceof PickledOrderedDict))
					throw refuse("BUILD (__setstate__) on " + describe(target));
				((PickledOrderedDict) target).setState(state);
				return NO_RETURN_VALUE;
			}
			case Opcodes.REDUCE:
			case Opcodes.NEWOBJ: {
				final Object args = stack.pop();
				final Object callable = stack.pop();
				if (!(callable instanceof IObjectConstructor) || callable instanceof StorageTypeMarker || !(args instanceof Object[]))
					throw refuse("a call of " + describe(callable));
				stack.add(((IObjectConstructor) callable).construct((Object[]) args));
				return NO_RETURN_VALUE;
			}
			case Opcodes.EMPTY_DICT:
				// razorvine makes a HashMap; a state_dict must keep its order
				stack.add(new LinkedHashMap<Object, Object>());
				return NO_RETURN_VALUE;
			case Opcodes.DICT: {
				final java.util.List<Object> items = stack.pop_all_since_marker();
				final Map<Object, Object> dict = new LinkedHashMap<>();
				for (int i = 0; i + 1 < items.size(); i += 2) dict.put(items.get(i), items.get(i + 1));
				stack.add(dict);
				return NO_RETURN_VALUE;
			}
			case Opcodes.SETITEMS: {
				// razorvine collects the pairs in a HashMap first, which loses their order
				final java.util.List<Object> items = stack.pop_all_since_marker();
				final Object target = stack.peek();
				if (!(target instanceof Map)) throw refuse("SETITEMS on " + describe(target));
				@SuppressWarnings("unchecked")
				final Map<Object, Object> dict = (Map<Object, Object>) target;
				for (int i = 0; i + 1 < items.size(); i += 2) dict.put(items.get(i), items.get(i + 1));
				return NO_RETURN_VALUE;
			}
			case Opcodes.NEWOBJ_EX:
				throw refuse("a NEWOBJ_EX opcode");
			case Opcodes.BINSTRING:
			case Opcodes.BINUNICODE:
			case Opcodes.BINBYTES:
			case Opcodes.LONG4:
				requireDeclaredBytes(4);
				return super.dispatch(key);
			case Opcodes.BINUNICODE8:
			case Opcodes.BINBYTES8:
			case Opcodes.BYTEARRAY8:
				requireDeclaredBytes(8);
				return super.dispatch(key);
			default:
				return super.dispatch(key);
		}
	}

	/**
	 * Checks the length that the opcode about to run reads in its next {@code width} bytes (little
	 * endian) against the bytes left in the pickle: razorvine allocates the declared length at once,
	 * so a pickle of a few bytes could otherwise ask for up to 2 GiB (or 2^63). The pickle is read
	 * from memory ({@link ByteArrayInputStream}), whose {@code available()} is exactly what is left.
	 */
	private void requireDeclaredBytes(final int width) throws IOException {
		if (!(input instanceof ByteArrayInputStream)) throw new IllegalStateException("the pickle must be read from memory");
		input.mark(width);
		final byte[] b = input.readNBytes(width);
		input.reset();
		// a cut-off length field: razorvine reports the premature end itself
		if (b.length < width) return;
		final long length = width == 4 ? ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL
			: ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
		final long left = input.available() - width;
		if (length < 0 || length > left)
			throw new PickleException("refused to load " + source + ": its pickle declares a value of " + Long.toUnsignedString(length) + " bytes where " +
				left + " remain (truncated or damaged)");
	}

	@Override
	protected Object persistentLoad(final Object pid) {
		if (!(pid instanceof Object[])) throw refuse("a persistent id that is not a tuple: " + describe(pid));
		return storages.resolve((Object[]) pid);
	}

	private IObjectConstructor lookup(final String module, final String name) {
		final IObjectConstructor c = allowed.get(module + "." + name);
		if (c == null)
			throw new PickleException("refused to load " + source + ": it references the Python global '" + module + "." + name +
				"', which is not a tensor, storage or OrderedDict (only plain state_dict checkpoints are accepted)");
		return c;
	}

	private PickleException refuse(final String what) {
		return new PickleException("refused to load " + source + ": its pickle contains " + what);
	}

	private static String describe(final Object o) {
		return o == null ? "None" : o.getClass().getSimpleName();
	}

	/** A storage class such as {@code torch.FloatStorage}: only a type tag inside a persistent id. */
	static final class StorageTypeMarker implements IObjectConstructor {
		final TensorType type;

		StorageTypeMarker(final TensorType type) {
			this.type = type;
		}

		@Override
		public Object construct(final Object[] args) {
			throw new PickleException("storage types cannot be called");
		}
	}

	/** {@code collections.OrderedDict}; its {@code __setstate__} state (the state_dict {@code _metadata}) is kept, not used. */
	static final class PickledOrderedDict extends LinkedHashMap<Object, Object> {
		private static final long serialVersionUID = 1L;
		Object state;

		void setState(final Object newState) {
			this.state = newState;
		}
	}
}
