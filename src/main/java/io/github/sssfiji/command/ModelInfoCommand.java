package io.github.sssfiji.command;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.sssfiji.sss.modelfile.ModelInfo;

/**
 * {@code Plugins > Segmentation > SSS > SSS Model Info}: what a model file says about itself as JSON
 * ({@link ModelInfo}, as {@code info MODEL} prints it): for a trained {@code .sss} model its classes,
 * backbone, sizes, validation and provenance (SSS version, creation time, the data files with their
 * SHA-256, split lists, seed, threads, device, best and last validation). The JSON is the output
 * {@code info}, which Fiji shows in a text window (a macro gets it in the log); headless it also goes
 * to the log.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>SSS>SSS Model Info", headless = true)
public class ModelInfoCommand implements Command {

	@Parameter(required = false)
	LogService log;

	@Parameter(label = "Model file (.sss or .sam2.zip)", style = "open", persist = false)
	File model;

	@Parameter(label = "Model info", type = ItemIO.OUTPUT)
	String info;

	@Override
	public void run() {
		try {
			info = ModelInfo.toJson(ModelInfo.describe(model.toPath()));
			if (GraphicsEnvironment.isHeadless() && log != null) log.info("SSS Model Info: " + model + "\n" + info);
		}
		catch (final IOException e) {
			throw new IllegalStateException("SSS Model Info: " + e.getMessage(), e);
		}
	}
}
