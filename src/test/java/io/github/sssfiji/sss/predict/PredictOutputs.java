package io.github.sssfiji.sss.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.github.sssfiji.io.ImageFiles;

/** Checks on the output folder of an interrupted {@link PredictFiles#run} (predict, SSS Segment Folder). */
public final class PredictOutputs {

	private PredictOutputs() {}

	/** The files of {@code folder}, by name; hidden ones (temporary files) included. */
	public static List<String> names(final Path folder) throws IOException {
		if (!Files.isDirectory(folder)) return List.of();
		try (Stream<Path> files = Files.list(folder)) {
			return files.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

	/**
	 * Every file of {@code killed} that is not hidden is whole and holds what the uninterrupted run
	 * wrote into {@code reference}; hidden files may only be temporary files. Returns the outputs found.
	 */
	public static List<String> assertOnlyComplete(final Path killed, final Path reference) throws IOException {
		final List<String> complete = new ArrayList<>();
		for (final String name : names(killed)) {
			if (name.startsWith(".")) {
				assertTrue(name.endsWith(".tmp"), "an unexpected file " + name);
				continue;
			}
			// reading decompresses to the end and checks the gzip trailer: a cut file fails here
			assertArrayEquals(ImageFiles.read(reference.resolve(name)).toFloatArray(), ImageFiles.read(killed.resolve(name)).toFloatArray(), name);
			complete.add(name);
		}
		return complete;
	}

	/** The label maps among {@code outputs} (not the confidence and entropy maps). */
	public static long labelMaps(final List<String> outputs) {
		return outputs.stream().filter(n -> !n.endsWith(".confidence.nii.gz") && !n.endsWith(".entropy.nii.gz")).count();
	}
}
