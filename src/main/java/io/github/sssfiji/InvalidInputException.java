package io.github.sssfiji;

/**
 * Input that SSS cannot use: a corrupt or unsupported file, an inconsistent dataset, a bad parameter
 * value. The message names the file or parameter and the problem, in words a Fiji user can act on.
 * The CLI reports it as one line with exit code 2; commands show it as an error.
 */
public class InvalidInputException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public InvalidInputException(final String message) {
		super(message);
	}

	public InvalidInputException(final String message, final Throwable cause) {
		super(message, cause);
	}
}
