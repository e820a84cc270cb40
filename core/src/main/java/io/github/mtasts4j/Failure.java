package io.github.mtasts4j;

import java.util.Objects;

/**
 * A failure classified by its RFC 8460 result type, with a one-line detail meant for a mail
 * administrator (no stack traces, no secrets).
 *
 * @param type the RFC 8460 result type
 * @param detail what was expected, what was found and where
 */
public record Failure(ResultType type, String detail) {
  /** Validates that neither component is null. */
  public Failure {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(detail, "detail");
  }

  @Override
  public String toString() {
    return type.token() + ": " + detail;
  }
}
