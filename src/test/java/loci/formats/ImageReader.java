package loci.formats;

/**
 * A stand-in for Bio-Formats' {@code loci.formats.ImageReader} with the same
 * {@code isThisType(String, boolean)} signature, beside the stand-in {@code loci.plugins.BF}: it
 * knows the files the stand-in reads, those named {@code *.czi}, and also {@code *.broken} and
 * {@code *.empty} (which the stand-in then fails on), by the name alone as Bio-Formats does without
 * opening the file.
 */
public final class ImageReader {

	public boolean isThisType(final String name, final boolean open) {
		return name.endsWith(".czi") || name.endsWith(".broken") || name.endsWith(".empty");
	}
}
