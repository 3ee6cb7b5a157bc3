package io.github.sssfiji.sss.pcsw;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.NiftiWriter;
import io.github.sssfiji.io.OutputPaths;
import net.imglib2.img.array.ArrayImgs;

/**
 * PCSW from files to files, the job behind the {@code pcsw} CLI command and the folder-based Fiji
 * command: reads a label map or probability maps, runs {@link Pcsw}, and writes
 * {@code filtered.nii.gz} (same geometry as the input), {@code rejected.nii.gz} (1 where a component
 * was rejected) and {@code prompts.json} into the output folder.
 */
public final class PcswFiles {

	public static final String FILTERED = "filtered.nii.gz";
	public static final String REJECTED = "rejected.nii.gz";
	public static final String PROMPTS = "prompts.json";

	private PcswFiles() {}

	/**
	 * Runs PCSW on files.
	 *
	 * @param input a label map (integers; for HDF5 the {@code label} dataset), or probability maps
	 *          (X x Y x Z, or X x Y x Z x C with class 0 background) when {@code probabilities} is null
	 *          and the values are not integers
	 * @param probabilities probability maps of the same X x Y x Z as {@code input}, or null; when given,
	 *          they define labels and confidence and {@code input} only gives the geometry
	 * @param outputFolder created when missing
	 * @param outputKey how the user named {@code outputFolder}, for the message that refuses an output
	 *          that would be written outside it ({@link OutputPaths}: a symbolic link in it), e.g.
	 *          {@code key 'output'}
	 */
	public static PcswResult run(final Path input, final Path probabilities, final Path outputFolder, final String outputKey,
		final PcswParameters parameters) throws IOException
	{
		// checked before the work, so that nothing is written when one of them is refused
		final Path filtered = OutputPaths.child(outputFolder, FILTERED, outputKey), rejectedFile = OutputPaths.child(outputFolder, REJECTED, outputKey),
			promptsFile = OutputPaths.child(outputFolder, PROMPTS, outputKey);
		final MedicalImage source = ImageFiles.readLabels(input);
		final PcswResult result;
		if (probabilities != null) {
			final MedicalImage maps = ImageFiles.read(probabilities);
			final int[] volume = Arrays.copyOf(source.dims(), Math.min(3, source.numDimensions()));
			if (!Arrays.equals(Arrays.copyOf(maps.dims(), volume.length), volume))
				throw new InvalidInputException(probabilities + ": probability maps of size " + Arrays.toString(maps.dims()) +
					" do not match the input " + input + " of size " + Arrays.toString(source.dims()));
			result = Pcsw.fromProbabilities(maps.toFloatArray(), volumeDims(maps), maps.spacing(), parameters);
		}
		else if (isLabelMap(source)) {
			if (source.numDimensions() > 3)
				throw new InvalidInputException(input + ": a label map must have 2 or 3 dimensions, not " + source.numDimensions());
			result = Pcsw.fromLabels(source.toLabelArray(), source.dims(), source.spacing(), parameters);
		}
		else result = Pcsw.fromProbabilities(source.toFloatArray(), volumeDims(source), source.spacing(), parameters);

		Files.createDirectories(outputFolder);
		final MedicalImage geometry = volumeOf(source);
		NiftiWriter.create().write(labelImage(geometry, result.labels()), filtered);
		final int[] rejected = new int[result.rejected().length];
		for (int i = 0; i < rejected.length; i++)
			rejected[i] = result.rejected()[i] ? 1 : 0;
		NiftiWriter.create().write(labelImage(geometry, rejected), rejectedFile);
		PromptsJson.write(result.prompts(), promptsFile);
		return result;
	}

	private static boolean isLabelMap(final MedicalImage image) {
		try {
			image.toLabelArray();
			return true;
		}
		catch (final IllegalArgumentException e) {
			return false;
		}
	}

	/** Probability maps of 2-D images get a z extent of 1, since {@link Pcsw} wants {X, Y, Z[, C]}. */
	private static int[] volumeDims(final MedicalImage maps) {
		final int[] dims = maps.dims();
		return dims.length == 2 ? new int[] { dims[0], dims[1], 1 } : dims;
	}

	/** The input's first three axes (a 4-D probability stack gives a 3-D label map). */
	private static MedicalImage volumeOf(final MedicalImage source) {
		if (source.numDimensions() <= 3) return source;
		final int[] dims = Arrays.copyOf(source.dims(), 3);
		return new MedicalImage(source.name(), source.format(), ArrayImgs.unsignedBytes(Arrays.stream(dims).asLongStream().toArray()),
			Arrays.copyOf(source.spacing(), 3), source.niftiHeader());
	}

	private static MedicalImage labelImage(final MedicalImage geometry, final int[] labels) {
		final long[] dims = Arrays.stream(geometry.dims()).asLongStream().toArray();
		final int max = Arrays.stream(labels).max().orElse(0);
		if (max <= 255) {
			final byte[] bytes = new byte[labels.length];
			for (int i = 0; i < labels.length; i++)
				bytes[i] = (byte) labels[i];
			return geometry.withPixels(ArrayImgs.unsignedBytes(bytes, dims));
		}
		final short[] shorts = new short[labels.length];
		for (int i = 0; i < labels.length; i++)
			shorts[i] = (short) labels[i];
		return geometry.withPixels(ArrayImgs.unsignedShorts(shorts, dims));
	}
}
