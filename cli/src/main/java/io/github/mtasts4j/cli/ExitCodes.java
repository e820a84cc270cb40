package io.github.mtasts4j.cli;

/**
 * The process exit codes of the {@code mtasts4j} command, in one place. They are part of the
 * public contract (issue #5): scripts depend on them.
 */
public final class ExitCodes {
  /** Success: a policy is in effect, the file is valid, the check passed or warned, all sent. */
  public static final int OK = 0;

  /** A negative answer: no policy in effect, an invalid file, or a failed check. */
  public static final int NEGATIVE = 1;

  /**
   * A usage error: unknown option, missing argument, malformed domain or address, unreadable
   * input file.
   */
  public static final int USAGE = 2;

  /** An unexpected internal error (a bug): the message says what happened. */
  public static final int SOFTWARE = 3;

  /**
   * {@code send}: at least one recipient was not delivered; {@code report send}: a report
   * destination failed.
   */
  public static final int NOT_DELIVERED = 4;

  private ExitCodes() {}
}
