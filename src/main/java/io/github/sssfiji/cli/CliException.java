package io.github.sssfiji.cli;

import io.github.sssfiji.InvalidInputException;

/** A user error on the command line: printed as one line, exit code 2. */
public class CliException extends InvalidInputException {

	private static final long serialVersionUID = 1L;

	public CliException(final String message) {
		super(message);
	}
}
