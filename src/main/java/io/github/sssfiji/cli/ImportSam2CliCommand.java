package io.github.sssfiji.cli;

import java.io.PrintStream;
import java.nio.file.Path;

import org.scijava.Context;
import org.scijava.plugin.Plugin;

import io.github.sssfiji.command.ImportSam2WeightsCommand;
import io.github.sssfiji.model.sam2.files.Sam2ModelFiles;

/**
 * {@code import-sam2 CHECKPOINT --out FILE [--config auto|tiny|small|base_plus|large|CONFIG.json]}: an
 * official SAM 2 checkpoint ({@code sam2_hiera_tiny.pt} as Meta publishes it, read without running
 * pickled code, or an {@code .npz}) becomes an SSS SAM-2 model file for {@code train --pretrained}, as
 * {@code SSS Import SAM-2 Weights} does in Fiji: every key and shape is checked first, and nothing is
 * written when the check fails.
 */
@Plugin(type = CliCommand.class, name = "import-sam2")
public class ImportSam2CliCommand implements CliCommand {

	@Override
	public String usage() {
		return "CHECKPOINT --out FILE" + Sam2ModelFiles.EXTENSION + " [--config auto|tiny|small|base_plus|large|CONFIG.json]\n" +
			"       an official SAM 2 checkpoint (.pt as published, or .npz) to an SSS SAM-2 model file for train --pretrained";
	}

	@Override
	public int run(final CliArguments args, final Context context, final PrintStream out) throws Exception {
		final Path checkpoint = CliArguments.existing("CHECKPOINT", args.singlePositional("CHECKPOINT"));
		final Path file = Path.of(args.require("out"));
		final String config = args.get("config", ImportSam2WeightsCommand.AUTO);
		args.rejectUnknown();
		CliOptions.newFile("out", file);
		final ImportSam2WeightsCommand.Imported imported = ImportSam2WeightsCommand.importCheckpoint(checkpoint, config, file, null);
		out.println(imported.keyCheck());
		out.println("wrote " + file + " (source SHA-256 " + imported.provenance().sourceSha256() + ")");
		return 0;
	}
}
