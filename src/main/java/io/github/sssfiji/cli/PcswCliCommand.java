package io.github.sssfiji.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

import org.scijava.Context;
import org.scijava.plugin.Plugin;

import io.github.sssfiji.sss.pcsw.PcswFiles;
import io.github.sssfiji.sss.pcsw.PcswParameter;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.pcsw.PcswResult;

/**
 * {@code pcsw --input FILE [--probabilities FILE] --out DIR [--rule chains|continuity] [thresholds]}: physically
 * constrained filtering of pseudo-masks and SAM-2 prompts (see {@link io.github.sssfiji.sss.pcsw.Pcsw}).
 */
@Plugin(type = CliCommand.class, name = "pcsw")
public class PcswCliCommand implements CliCommand {

	@Override
	public String usage() {
		final StringBuilder options = new StringBuilder("--input FILE [--probabilities FILE] --out DIR");
		int line = options.length();
		for (final PcswParameter p : PcswParameter.values()) {
			final String value = switch (p.kind()) {
				case CLASSES -> "true|false|1,2,3";
				case CHOICE -> String.join("|", p.choices());
				default -> number(p.defaultValue());
			};
			final String option = " [--" + p.option() + " " + value + "]";
			if (options.length() - line + option.length() > 110) {
				options.append("\n      ");
				line = options.length() - 7;
			}
			options.append(option);
		}
		return options + "\n" +
			"       PCSW: filtered.nii.gz, rejected.nii.gz and prompts.json in DIR";
	}

	@Override
	public int run(final CliArguments args, final Context context, final PrintStream out) throws IOException {
		final Path input = args.existingPath("input");
		final Path probabilities = args.has("probabilities") ? args.existingPath("probabilities") : null;
		final Path output = Path.of(args.require("out"));
		final PcswParameters parameters = parameters(args);
		args.rejectUnknown();
		CliOptions.folder("out", output);
		final PcswResult result = PcswFiles.run(input, probabilities, output, "option --out", parameters);
		out.println("{\"chains\": " + result.chains().size() + ", \"prompts\": " + result.prompts().size() + ", \"output\": \"" +
			output.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
		return 0;
	}

	/** 10.0 as 10, 0.1 as 0.1. */
	private static String number(final Object value) {
		final double d = ((Number) value).doubleValue();
		return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
	}

	/** The PCSW parameters from the options ({@link PcswParameter#option()}), defaults for those not given. */
	static PcswParameters parameters(final CliArguments args) {
		final PcswParameters.Builder b = PcswParameters.builder();
		for (final PcswParameter p : PcswParameter.values()) {
			if (!args.has(p.option())) continue;
			switch (p.kind()) {
				case INTEGER -> p.set(b, args.getInt(p.option(), 0));
				case REAL -> p.set(b, args.getDouble(p.option(), 0));
				case CHOICE -> {
					final String value = args.get(p.option(), "");
					if (!Arrays.asList(p.choices()).contains(value.trim()))
						throw new CliException("option --" + p.option() + ": '" + value + "' is not one of " + String.join(", ", p.choices()));
					p.set(b, value.trim());
				}
				case CLASSES -> {
					final String single = args.get(p.option(), "false").trim();
					p.set(b, single.equals("true") || single.equals("false") ? (Object) Boolean.valueOf(single) : args.getIntList(p.option()));
				}
			}
		}
		return b.build();
	}
}
