package io.github.mtasts4j;

import java.util.Objects;

/**
 * One deviation found in a policy file or TXT record.
 *
 * @param line the 1-based line number (1 for a TXT record; 0 when the problem concerns the whole
 *     text, such as a missing required field)
 * @param message what is wrong, worded for a mail administrator
 */
public record LintProblem(int line, String message) {
  /** Validates the components. */
  public LintProblem {
    if (line < 0) {
      throw new IllegalArgumentException("line must be >= 0: " + line);
    }
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return line == 0 ? message : "line " + line + ": " + message;
  }
}
