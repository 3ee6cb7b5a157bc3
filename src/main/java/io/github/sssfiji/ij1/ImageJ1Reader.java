package io.github.sssfiji.ij1;

import java.awt.HeadlessException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileInfo;
import ij.io.Opener;
import ij.io.TiffDecoder;
import ij.plugin.FolderOpener;

import org.scijava.Priority;
import org.scijava.plugin.Plugin;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.MedicalImageReader;

/**
 * Reads TIFF stacks, single DICOM files and DICOM series (a folder of {@code .dcm} files) through
 * ImageJ 1.x: {@link Opener} for files, {@link FolderOpener} for folders, which sorts DICOM slices
 * by their position as ImageJ does ({@code ij.util.DicomTools}) and takes the slice distance from
 * the positions rather than from Slice Thickness.
 * <p>
 * Spacing comes from the calibration (see {@link Calibrations}); values are the
 * calibrated ones, so a DICOM Rescale Intercept is applied. Headless without ij1-patcher, ImageJ
 * 1.x opens TIFF and DICOM files except DICOM files with a Rescale Slope other than 1: ImageJ
 * converts those to 32-bit through its menu commands, which need the AWT menu bar. Such files are
 * refused with an explanation instead of being read with the slope left out (in Fiji, which patches
 * ImageJ for headless use, they open). Like ImageJ's File &gt; Open, the Opener hands files it does
 * not know to Bio-Formats when that is installed; {@link #canRead} only claims TIFF and DICOM.
 * </p>
 */
@Plugin(type = MedicalImageReader.class, priority = Priority.NORMAL)
public final class ImageJ1Reader implements MedicalImageReader {

	private static final String RESCALE_SLOPE_TAG = "0028,1053";

	@Override
	public boolean canRead(final Path path) {
		if (Files.isDirectory(path)) return containsDicomFiles(path);
		if (!Files.isRegularFile(path)) return false;
		final String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
		if (name.endsWith(".tif") || name.endsWith(".tiff") || name.endsWith(".dcm") || name.endsWith(".dicom")) return true;
		return name.indexOf('.') < 0 && hasDicomPreamble(path);
	}

	@Override
	public MedicalImage read(final Path path) throws IOException {
		if (!Files.exists(path)) throw new NoSuchFileException(path.toString());
		final boolean folder = Files.isDirectory(path);
		if (!folder && isTiffName(path)) requireTiffData(path);
		final ImagePlus imp;
		try {
			imp = folder ? FolderOpener.open(path.toString(), "") : new Opener().openImage(path.toString());
		}
		catch (final HeadlessException e) {
			// in ImageJ 1.54 only the DICOM opener runs menu commands, for a Rescale Slope other than 1
			if (folder || path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".dcm") || hasDicomPreamble(path))
				throw rescaleSlopeRefused(path);
			throw new InvalidInputException(path + ": ImageJ 1.x needs a display to open this file, and this JVM is headless", e);
		}
		if (imp == null)
			throw new InvalidInputException(path + ": ImageJ 1.x could not open " + (folder ? "the images in this folder" : "this file") +
				" (unsupported format or corrupt file)");
		final boolean dicom = isDicom(imp);
		if (dicom && !rescaleSlopeApplied(imp)) throw rescaleSlopeRefused(path);
		final String name = ImageFiles.titleBaseName(path.getFileName().toString());
		final String format = dicom ? (folder ? "dicom-series" : "dicom") : (folder ? "image-series" : "tiff");
		return MedicalImagePlus.fromImagePlus(imp, name, format);
	}

	private static boolean isTiffName(final Path path) {
		final String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
		return name.endsWith(".tif") || name.endsWith(".tiff");
	}

	/**
	 * Refuses a TIFF whose header places image data beyond the end of the file: ImageJ 1.x would read
	 * the missing part as zeros and only log the error, so a cut-off download would train or predict
	 * as if it were whole.
	 */
	private static void requireTiffData(final Path path) throws IOException {
		final FileInfo[] images;
		try {
			images = new TiffDecoder(path.getParent() == null ? "" : path.getParent().toString() + java.io.File.separator,
				path.getFileName().toString()).getTiffInfo();
		}
		catch (final IOException | RuntimeException e) {
			// the Opener below reports files that are not TIFF at all
			return;
		}
		if (images == null) return;
		final long size = Files.size(path);
		for (final FileInfo fi : images) {
			long end = 0;
			if (fi.stripOffsets != null && fi.stripLengths != null)
				for (int i = 0; i < Math.min(fi.stripOffsets.length, fi.stripLengths.length); i++)
					end = Math.max(end, (fi.stripOffsets[i] & 0xffffffffL) + (fi.stripLengths[i] & 0xffffffffL));
			if (fi.compression == FileInfo.COMPRESSION_NONE && fi.fileType != FileInfo.BITMAP && fi.getBytesPerPixel() > 0) {
				final long image = (long) fi.width * fi.height * fi.getBytesPerPixel();
				end = Math.max(end, fi.getOffset() + Math.max(1, fi.nImages) * image + (Math.max(1, fi.nImages) - 1) * fi.gapBetweenImages);
			}
			if (end > size)
				throw new InvalidInputException(path + " is truncated: its TIFF header places image data up to byte " + end + ", but the file has only " +
					size + " bytes");
		}
	}

	private static InvalidInputException rescaleSlopeRefused(final Path path) {
		return new InvalidInputException(path + ": DICOM Rescale Slope other than 1; ImageJ 1.x applies it with menu commands that " +
			"do not work headless without ij1-patcher. Open it in Fiji, or convert it to NIfTI or TIFF first");
	}

	private static boolean containsDicomFiles(final Path folder) {
		try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.{dcm,DCM,dicom,DICOM}")) {
			for (final Path file : files)
				if (Files.isRegularFile(file)) return true;
			return false;
		}
		catch (final IOException e) {
			return false;
		}
	}

	/** DICOM Part 10 files have 128 bytes of preamble, then "DICM". */
	private static boolean hasDicomPreamble(final Path path) {
		try (InputStream in = Files.newInputStream(path)) {
			final byte[] head = in.readNBytes(132);
			return head.length == 132 && new String(head, 128, 4, StandardCharsets.US_ASCII).equals("DICM");
		}
		catch (final IOException e) {
			return false;
		}
	}

	/** ImageJ keeps a DICOM header as the image's Info property, or per slice in the slice labels for series. */
	private static boolean isDicom(final ImagePlus imp) {
		return dicomHeader(imp, 1) != null;
	}

	private static String dicomHeader(final ImagePlus imp, final int slice) {
		final String info = imp.getStackSize() == 1 ? imp.getInfoProperty() : null;
		final String header = info != null ? info : imp.getStack().getSliceLabel(slice);
		return header != null && header.contains("0028,0010") ? header : null;
	}

	/**
	 * Whether every slice's Rescale Slope is 1 or is in the pixel values: ImageJ converted the image
	 * to 32-bit, or (with "fixed DICOM scaling") put the slope into the calibration function.
	 */
	private static boolean rescaleSlopeApplied(final ImagePlus imp) {
		if (imp.getBitDepth() == 32) return true;
		final double calibratedSlope = imp.getCalibration().calibrated() ? imp.getCalibration().getCValue(1) - imp.getCalibration().getCValue(0) : 1;
		final ImageStack stack = imp.getStack();
		for (int s = 1; s <= stack.getSize(); s++) {
			final double slope = tagValue(dicomHeader(imp, s), RESCALE_SLOPE_TAG, 1);
			if (Math.abs(slope - calibratedSlope) > 1e-9 * Math.max(1, Math.abs(slope))) return false;
		}
		return true;
	}

	/** The number after "tag  Name:" in an ImageJ DICOM header, or {@code fallback}. */
	static double tagValue(final String header, final String tag, final double fallback) {
		if (header == null) return fallback;
		for (final String line : header.split("\n")) {
			if (!line.startsWith(tag)) continue;
			final int colon = line.indexOf(':');
			if (colon < 0) return fallback;
			try {
				return Double.parseDouble(line.substring(colon + 1).trim());
			}
			catch (final NumberFormatException e) {
				return fallback;
			}
		}
		return fallback;
	}
}
