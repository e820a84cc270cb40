package io.github.mtasts4j.cli;

/**
 * A problem with what the user asked for (an unreadable file, a resolver that cannot be used),
 * reported as one line on stderr with {@link #exitCode()}; never a stack trace unless {@code
 * --verbose}.
 */
final class UserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  UserException(String message) {
    this(message, ExitCodes.USAGE, null);
  }

  UserException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
