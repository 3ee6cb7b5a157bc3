package io.github.sssfiji.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.scijava.Context;
import org.scijava.plugin.Plugin;
import org.scijava.plugin.PluginService;

import io.github.sssfiji.model.sam2.parity.ParityGroup;
import io.github.sssfiji.model.sam2.parity.ParityReport;
import io.github.sssfiji.model.sam2.parity.Sam2Parity;
import io.github.sssfiji.service.SssService;

/**
 * {@code parity DIR}: compares this SAM 2 implementation with the official outputs stored in a
 * folder of the parity-fixture form (config.json, weights.pt or weights.npz, manifest.json, .npy
 * files). One line per output (PASS/FAIL, name, max abs error), SKIP lines for outputs no
 * comparison covers yet, then a summary. Exit code 0 only when everything was compared and passed;
 * 1 when anything failed; 3 when all compared outputs passed but some were skipped.
 */
@Plugin(type = CliCommand.class, name = "parity")
public class ParityCliCommand implements CliCommand {

	@Override
	public String usage() {
		return "DIR " + CliOptions.DEVICE_USAGE + "  compare SAM 2 with official outputs (config.json, weights.pt|.npz, manifest.json, .npy)";
	}

	@Override
	public int run(final CliArguments args, final Context context, final PrintStream out) throws Exception {
		final Path dir = CliArguments.existing("DIR", args.singlePositional("DIR"));
		final SssService service = context.service(SssService.class);
		CliOptions.device(args, service);
		args.rejectUnknown();
		final List<ParityGroup> groups = context.service(PluginService.class).createInstancesOfType(ParityGroup.class);
		final ParityReport report = Sam2Parity.run(dir, groups, out, service.device());
		return report.exitCode();
	}
}
