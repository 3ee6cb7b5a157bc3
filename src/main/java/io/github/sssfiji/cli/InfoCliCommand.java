package io.github.sssfiji.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import org.scijava.Context;
import org.scijava.plugin.Plugin;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.github.sssfiji.io.Hdf5ImageReader;
import io.github.sssfiji.io.Hdf5Images;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.ImageStatistics;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.NiftiDatatype;
import io.github.sssfiji.io.NiftiFile;
import io.github.sssfiji.io.NiftiReader;
import io.github.sssfiji.sss.modelfile.ModelInfo;

/**
 * {@code info FILE}: one JSON object describing an image file: format, dims and spacing in file
 * order, stored datatype, min, max, sum, and voxel counts per value for label maps. For an HDF5
 * file the {@code image} dataset is described and its {@code label} dataset, when present, is
 * described under {@code "label"}. For a model file ({@code .sss}, training state or
 * {@code .sam2.zip}, known by its content) what it says about itself ({@link ModelInfo}): classes,
 * backbone, architecture, sizes, validation and provenance.
 */
@Plugin(type = CliCommand.class, name = "info")
public class InfoCliCommand implements CliCommand {

	@Override
	public String usage() {
		return "FILE                      describe an image file (NIfTI, HDF5, ...) or a model file (.sss, .sam2.zip: classes, provenance) as JSON";
	}

	@Override
	public int run(final CliArguments args, final Context context, final PrintStream out) throws IOException {
		final Path file = CliArguments.existing("FILE", args.singlePositional("FILE"));
		args.rejectUnknown();
		if (ModelInfo.isModelFile(file)) out.println(ModelInfo.toJson(ModelInfo.describe(file)));
		else out.println(new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(describe(file)));
		return 0;
	}

	/** The JSON description of {@code file}. */
	public static JsonObject describe(final Path file) throws IOException {
		final NiftiReader nifti = new NiftiReader();
		if (nifti.canRead(file)) {
			final NiftiFile read = nifti.readWithInfo(file);
			return describe(read.image(), read.datatypeName());
		}
		final Hdf5ImageReader hdf5 = Hdf5ImageReader.images();
		if (hdf5.canRead(file)) {
			final JsonObject json = describe(hdf5.read(file), null);
			if (Hdf5Images.hasDataset(file, Hdf5Images.LABEL_DATASET)) json.add("label", describe(Hdf5ImageReader.labels().read(file), null));
			return json;
		}
		return describe(ImageFiles.read(file), null);
	}

	private static JsonObject describe(final MedicalImage image, final String storedDatatype) {
		final ImageStatistics stats = ImageStatistics.of(image);
		final JsonObject json = new JsonObject();
		json.addProperty("format", image.format());
		final JsonArray dims = new JsonArray(), spacing = new JsonArray();
		for (final int d : image.dims())
			dims.add(d);
		for (final double s : image.spacing())
			spacing.add(s);
		json.add("dims", dims);
		json.add("spacing", spacing);
		json.addProperty("datatype", storedDatatype != null ? storedDatatype :
			NiftiDatatype.forType(image.image().getType()).label());
		json.addProperty("min", stats.min());
		json.addProperty("max", stats.max());
		json.addProperty("sum", stats.sum());
		if (stats.labelCounts() != null) {
			final JsonObject counts = new JsonObject();
			for (final Map.Entry<Long, Long> e : stats.labelCounts().entrySet())
				counts.addProperty(Long.toString(e.getKey()), e.getValue());
			json.add("label_counts", counts);
		}
		return json;
	}
}
