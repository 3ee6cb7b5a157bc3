package io.github.sssfiji.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.github.sssfiji.io.AtomicFiles;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * Writes an {@link EvaluationResult} as JSON or CSV.
 * <p>
 * JSON: <pre>
 * {"cases": [{"case": "p1", "class": 1, "dice": .., "jaccard": .., "hd95": .., "asd": .., "assd": ..}, ...],
 *  "summary": {"per_class": {"1": {"dice": .., ..., "assd": .., "n": 10, "n_surface": 9}, ...},
 *              "mean": {"dice": .., ..., "assd": .., "n_classes": 3, "n_classes_surface": 3}}}
 * </pre> where {@code n} counts the cases of a class, {@code n_surface} those with defined surface distances
 * (over which hd95, asd and assd are averaged), and the overall mean is over classes. Undefined values
 * are {@code null}.
 * </p>
 * <p>
 * CSV: header {@code case,class,dice,jaccard,hd95,asd,assd}, one row per case and class, undefined values
 * as empty fields (so that spreadsheets and pandas read them as missing), numbers in Java's shortest
 * round-trip notation, case names quoted per RFC 4180 when they need it.
 * </p>
 * <p>
 * Files are written atomically: to a temporary file in the same folder, then moved into place.
 * </p>
 */
public final class EvaluationReport {

	private static final Gson GSON = new GsonBuilder().serializeNulls().setPrettyPrinting().create();

	private EvaluationReport() {
		// static utility
	}

	/** The JSON document. */
	public static String toJson(final EvaluationResult result) {
		final JsonArray cases = new JsonArray();
		for (final MetricsRow row : result.rows()) {
			final JsonObject o = new JsonObject();
			o.addProperty("case", row.caseName());
			o.addProperty("class", row.classLabel());
			addScores(o, row.metrics());
			cases.add(o);
		}
		final JsonObject perClass = new JsonObject();
		for (final Map.Entry<Integer, MetricsSummary> entry : result.perClass().entrySet()) {
			final JsonObject o = new JsonObject();
			addScores(o, entry.getValue().means());
			o.addProperty("n", entry.getValue().count());
			o.addProperty("n_surface", entry.getValue().surfaceCount());
			perClass.add(Integer.toString(entry.getKey()), o);
		}
		final JsonObject mean = new JsonObject();
		addScores(mean, result.mean().means());
		mean.addProperty("n_classes", result.mean().count());
		mean.addProperty("n_classes_surface", result.mean().surfaceCount());
		final JsonObject summary = new JsonObject();
		summary.add("per_class", perClass);
		summary.add("mean", mean);
		final JsonObject root = new JsonObject();
		root.add("cases", cases);
		root.add("summary", summary);
		return GSON.toJson(root) + "\n";
	}

	/** The CSV table. */
	public static String toCsv(final EvaluationResult result) {
		final StringBuilder out = new StringBuilder("case,class,dice,jaccard,hd95,asd,assd\n");
		for (final MetricsRow row : result.rows()) {
			final ClassMetrics m = row.metrics();
			out.append(csvText(row.caseName())).append(',').append(row.classLabel());
			for (final double v : new double[] { m.dice(), m.jaccard(), m.hd95(), m.asd(), m.assd() })
				out.append(',').append(Double.isNaN(v) ? "" : Double.toString(v));
			out.append('\n');
		}
		return out.toString();
	}

	/** Writes {@link #toJson} to {@code file} atomically. */
	public static void writeJson(final EvaluationResult result, final Path file) throws IOException {
		writeAtomically(file, toJson(result));
	}

	/** Writes {@link #toCsv} to {@code file} atomically. */
	public static void writeCsv(final EvaluationResult result, final Path file) throws IOException {
		writeAtomically(file, toCsv(result));
	}

	private static void addScores(final JsonObject o, final ClassMetrics m) {
		o.add("dice", number(m.dice()));
		o.add("jaccard", number(m.jaccard()));
		o.add("hd95", number(m.hd95()));
		o.add("asd", number(m.asd()));
		o.add("assd", number(m.assd()));
	}

	private static JsonElement number(final double v) {
		return Double.isNaN(v) ? JsonNull.INSTANCE : new JsonPrimitive(v);
	}

	private static String csvText(final String s) {
		if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
		return '"' + s.replace("\"", "\"\"") + '"';
	}

	private static void writeAtomically(final Path file, final String text) throws IOException {
		final Path target = file.toAbsolutePath();
		Files.createDirectories(target.getParent());
		AtomicFiles.writeString(target, text);
	}
}
