package io.github.sssfiji.command;

import java.io.File;
import java.io.IOException;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.sssfiji.sss.pcsw.PcswFiles;
import io.github.sssfiji.sss.pcsw.PcswResult;

/**
 * {@code SSS Generate Prompts (PCSW) from File}: the file-to-folder variant for macros and headless
 * runs. Reads a label map or probability maps and writes {@code filtered.nii.gz},
 * {@code rejected.nii.gz} and {@code prompts.json} into the output folder.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>SSS>SSS Generate Prompts (PCSW) from File", headless = true)
public class GeneratePromptsFolderCommand extends AbstractPcswCommand {

	@Parameter(label = "Label map or probability maps", style = "open", persist = false)
	File input;

	@Parameter(label = "Output folder", style = "directory", persist = false)
	File output;

	@Parameter(required = false)
	LogService log;

	@Parameter(type = ItemIO.OUTPUT)
	int prompts;

	@Override
	public void run() {
		try {
			final PcswResult result = PcswFiles.run(input.toPath(), null, output.toPath(), "key 'output'", parameters());
			prompts = result.prompts().size();
			if (log != null) log.info("PCSW: " + result.chains().size() + " chains, " + prompts + " prompts written to " + output);
		}
		catch (final IOException e) {
			throw new IllegalStateException("PCSW could not read " + input + " or write into " + output + ": " + e.getMessage(), e);
		}
	}
}
