package io.github.sssfiji.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import io.github.sssfiji.InvalidInputException;

/**
 * Where an output named inside a chosen output folder goes: the one place SSS turns an output name
 * (a label map named after its input, PCSW's files, a training run folder and its checkpoints) into a
 * path, refusing any name that would write outside the folder the user chose: {@code ../x}, an
 * absolute path, or a symbolic link inside the folder that points out of it. The chosen folder itself
 * may be a link: that is where the user pointed.
 */
public final class OutputPaths {

	private OutputPaths() {}

	/**
	 * {@code folder/name}, absolute and normalised.
	 *
	 * @param key how the user named the folder, for the message: {@code key 'output'}, {@code option --out}
	 * @throws InvalidInputException naming {@code key} if {@code name} is empty or absolute, leads out of
	 *           {@code folder}, or passes through a symbolic link (in {@code folder}) to a place outside it
	 */
	public static Path child(final Path folder, final String name, final String key) {
		final Path root = folder.toAbsolutePath().normalize();
		final Path relative;
		try {
			relative = Path.of(name);
		}
		catch (final InvalidPathException e) {
			throw new InvalidInputException(key + ": the output name '" + name + "' is not a valid file name (" + e.getReason() + ")");
		}
		if (name.isBlank()) throw new InvalidInputException(key + ": an output name is empty");
		if (relative.isAbsolute() || relative.getRoot() != null)
			throw new InvalidInputException(key + ": the output name '" + name + "' is an absolute path; outputs go into the output folder " + root);
		final Path target = root.resolve(relative).normalize();
		if (!target.startsWith(root) || target.equals(root))
			throw new InvalidInputException(key + ": the output name '" + name + "' leads out of the output folder " + root);
		checkLinks(root, target, key);
		return target;
	}

	/** Refuses a symbolic link on the way from {@code root} (excluded) to {@code target} (included) that points out of {@code root}. */
	private static void checkLinks(final Path root, final Path target, final String key) {
		Path real = null;
		Path step = root;
		for (final Path part : root.relativize(target)) {
			step = step.resolve(part);
			if (!Files.isSymbolicLink(step)) {
				if (!Files.exists(step)) return;
				continue;
			}
			try {
				if (real == null) real = root.toRealPath();
				final Path destination = step.getParent().resolve(Files.readSymbolicLink(step)).normalize();
				final Path resolved = Files.exists(destination) ? destination.toRealPath() : destination;
				if (!resolved.startsWith(real)) throw new InvalidInputException(key + ": " + step + " is a symbolic link to " + resolved +
					", outside the output folder " + root + "; remove the link or choose another output folder");
			}
			catch (final IOException e) {
				throw new InvalidInputException(key + ": cannot follow the symbolic link " + step + " (" + e.getMessage() + ")", e);
			}
		}
	}
}
