package io.github.sssfiji.sss.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.sss.DfeNetwork;
import io.github.sssfiji.sss.Network;
import io.github.sssfiji.sss.Sam2Network;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.util.Sha256;

/**
 * The weights a run starts from when its configuration names a model file ({@code init}): a trained
 * model goes on training, typically with the labels of the slices {@code suggest} proposed added to its
 * data, instead of starting again from fresh weights. The file's network must be the one the run builds
 * (backbone, classes and every architecture setting), except DFE: a run with DFE from a model without
 * (or with DFE of another form, scope or levels) starts its DFE fresh, and a run without DFE leaves the
 * file's DFE tensors unused (with DFE's default scope, {@code strong}, a model predicts without DFE, so
 * what it predicted with carries over whole).
 */
final class InitialWeights {

	/** The file's name and SHA-256, as a model file's provenance and the training state record them. */
	record Source(String file, String sha256) {

		JsonObject toJson() {
			final JsonObject json = new JsonObject();
			json.addProperty("file", file);
			json.addProperty("sha256", sha256);
			return json;
		}

		/** The source {@link #toJson()} wrote. */
		static Source of(final JsonObject json) {
			return new Source(json.get("file").getAsString(), json.get("sha256").getAsString());
		}
	}

	private InitialWeights() {}

	/**
	 * Copies the weights and buffers of the model file {@code file} into {@code student}, in place.
	 *
	 * @param classNames the run's classes: names other than the file's are reported, not refused (class k of
	 *          the file starts as class k of the run)
	 * @param log gets a line saying what was loaded, or {@code null}
	 * @return the file and its SHA-256
	 * @throws InvalidInputException (key 'init') if the file is missing, is not an SSS model file or holds
	 *           another network than the run's, naming what differs
	 */
	static Source load(final Path file, final Network student, final List<String> classNames, final NDManager parent, final PrintStream log)
		throws IOException
	{
		if (!Files.isRegularFile(file))
			throw new InvalidInputException("key 'init': " + file + " is not a file; give an SSS model file (.sss) to start from, or leave 'init' empty");
		final String sha256 = Sha256.file(file);
		try (NDManager manager = parent.newSubManager(); SssModel model = load(file, manager)) {
			final Network source = model.network();
			if (!source.kind().equals(student.kind()))
				throw new InvalidInputException("key 'init': " + file + " holds a " + source.kind() + " model; this run trains backbone '" + student.kind() +
					"' (set 'backbone' to " + source.kind() + " to go on training it)");
			final String differences = differences(comparable(student.architecture()), comparable(source.architecture()));
			if (!differences.isEmpty())
				throw new InvalidInputException("key 'init': the network in " + file + " is not the one this run builds: " + differences);
			// DFE's tensors carry over only where both networks have the same DFE
			final boolean sameDfe = student.dfe() != null && withoutProvenance(student.architecture()).equals(withoutProvenance(source.architecture()));
			final Map<String, NDArray> from = source.state().allTensors();
			int copied = 0;
			for (final Map.Entry<String, NDArray> e : student.state().allTensors().entrySet()) {
				if (e.getKey().startsWith(DfeNetwork.PREFIX) && !sameDfe) continue;
				final NDArray value = from.get(e.getKey());
				// equal architectures give equal tensors; a difference here is a bug, not bad input
				if (value == null || !value.getShape().equals(e.getValue().getShape()))
					throw new IllegalStateException(file + ": tensor '" + e.getKey() + "' " + (value == null ? "missing" : "has shape " + value.getShape()) +
						" for a network of the same architecture");
				e.getValue().set(value.toFloatArray());
				copied++;
			}
			final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "init: weights from %s (%d tensors", file, copied));
			if (student.dfe() != null && !sameDfe) line.append("; DFE fresh: ").append(source.dfe() == null ? "the file has none" : "the file's differs");
			line.append(')');
			if (!model.classNames().equals(classNames))
				line.append("; its classes ").append(model.classNames()).append(" start as this run's ").append(classNames);
			if (log != null) log.println(line);
			return new Source(file.toAbsolutePath().normalize().toString(), sha256);
		}
	}

	private static SssModel load(final Path file, final NDManager manager) throws IOException {
		try {
			return SssModel.load(file, manager);
		}
		catch (final InvalidInputException e) {
			throw new InvalidInputException("key 'init': " + e.getMessage(), e);
		}
	}

	/** An architecture record without DFE's entries and those that are provenance only. */
	private static JsonObject comparable(final JsonObject architecture) {
		return withoutProvenance(DfeNetwork.innerArchitecture(architecture));
	}

	private static JsonObject withoutProvenance(final JsonObject architecture) {
		final JsonObject copy = architecture.deepCopy();
		copy.remove(Sam2Network.IMPORTED_FROM);
		return copy;
	}

	/** The architecture entries that differ, as "key: V in this run, W in the file", or empty. */
	static String differences(final JsonObject run, final JsonObject file) {
		final List<String> out = new ArrayList<>();
		final TreeSet<String> keys = new TreeSet<>(run.keySet());
		keys.addAll(file.keySet());
		for (final String key : keys) {
			final JsonElement a = run.get(key), b = file.get(key);
			if (a == null ? b != null : !a.equals(b)) out.add(key + ": " + a + " in this run, " + b + " in the file");
		}
		return String.join("; ", out);
	}
}
