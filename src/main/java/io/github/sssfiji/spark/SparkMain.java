package io.github.sssfiji.spark;

import java.io.PrintStream;
import java.util.Arrays;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.cli.CliArguments;
import io.github.sssfiji.cli.Main;

/**
 * Entry point of {@code target/sss-spark.jar}: {@code java -jar sss-spark.jar segment ...} runs the
 * cohort job ({@link SegmentJob}), {@code sweep ...} the training sweep ({@link SweepJob}), embedded on
 * {@code local[*]}; on a cluster {@code spark-submit --class
 * io.github.sssfiji.spark.SparkMain sss-spark.jar segment ...} runs it on the master spark-submit
 * gives. Exit codes: 0 success, 1 failure (a volume failed, or the job), 2 bad usage or input.
 */
public final class SparkMain {

	private SparkMain() {}

	public static void main(final String[] args) {
		System.exit(run(args, System.out, System.err));
	}

	/** Runs one command; never calls {@code System.exit}, so tests can call it. */
	public static int run(final String[] args, final PrintStream out, final PrintStream err) {
		System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
		if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
			(args.length == 0 ? err : out).println("usage: java -jar sss-spark.jar COMMAND [--key value ...]\n  " + SegmentJob.usage() + "\n  " +
				SweepJob.usage());
			return args.length == 0 ? 2 : 0;
		}
		if (!args[0].equals("segment") && !args[0].equals("sweep")) {
			err.println("error: unknown command '" + args[0] + "' (known: segment, sweep)");
			return 2;
		}
		try {
			final CliArguments options = CliArguments.parse(Arrays.copyOfRange(args, 1, args.length));
			return args[0].equals("segment") ? SegmentJob.run(options, out) : SweepJob.run(options, out);
		}
		catch (final InvalidInputException e) {
			err.println("error: " + args[0] + ": " + Main.oneLine(e.getMessage()));
			return 2;
		}
		catch (final Exception e) {
			err.println("error: " + args[0] + " failed: " + e);
			e.printStackTrace(err);
			return 1;
		}
	}
}
