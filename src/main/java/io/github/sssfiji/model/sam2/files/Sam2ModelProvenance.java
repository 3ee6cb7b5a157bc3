package io.github.sssfiji.model.sam2.files;

import java.time.Instant;
import java.util.Objects;

import com.google.gson.JsonObject;

/**
 * Where the weights of a SAM 2 model file came from: the source checkpoint's file name and SHA-256,
 * when it was imported, and the SSS version that wrote the file. Immutable.
 */
public final class Sam2ModelProvenance {

	private final String sourceFile;
	private final String sourceSha256;
	private final Instant imported;
	private final String sssVersion;

	public Sam2ModelProvenance(final String sourceFile, final String sourceSha256, final Instant imported, final String sssVersion) {
		this.sourceFile = Objects.requireNonNull(sourceFile, "sourceFile");
		this.sourceSha256 = Objects.requireNonNull(sourceSha256, "sourceSha256");
		this.imported = Objects.requireNonNull(imported, "imported");
		this.sssVersion = Objects.requireNonNull(sssVersion, "sssVersion");
	}

	/** File name (without folder) of the imported checkpoint. */
	public String sourceFile() {
		return sourceFile;
	}

	/** Lower-case hex SHA-256 of the imported checkpoint file. */
	public String sourceSha256() {
		return sourceSha256;
	}

	public Instant imported() {
		return imported;
	}

	/** SSS version that wrote the model file. */
	public String sssVersion() {
		return sssVersion;
	}

	/** The same provenance, written by another SSS version. */
	public Sam2ModelProvenance writtenBy(final String version) {
		return new Sam2ModelProvenance(sourceFile, sourceSha256, imported, version);
	}

	JsonObject toJson() {
		final JsonObject o = new JsonObject();
		o.addProperty("source_file", sourceFile);
		o.addProperty("source_sha256", sourceSha256);
		o.addProperty("imported", imported.toString());
		o.addProperty("sss_version", sssVersion);
		return o;
	}

	static Sam2ModelProvenance fromJson(final JsonObject o) {
		return new Sam2ModelProvenance(o.get("source_file").getAsString(), o.get("source_sha256").getAsString(),
			Instant.parse(o.get("imported").getAsString()), o.get("sss_version").getAsString());
	}

	@Override
	public boolean equals(final Object o) {
		if (!(o instanceof Sam2ModelProvenance)) return false;
		final Sam2ModelProvenance p = (Sam2ModelProvenance) o;
		return sourceFile.equals(p.sourceFile) && sourceSha256.equals(p.sourceSha256) && imported.equals(p.imported) &&
			sssVersion.equals(p.sssVersion);
	}

	@Override
	public int hashCode() {
		return Objects.hash(sourceFile, sourceSha256, imported, sssVersion);
	}

	@Override
	public String toString() {
		return sourceFile + " (sha256 " + sourceSha256 + "), imported " + imported + ", written by SSS " + sssVersion;
	}
}
