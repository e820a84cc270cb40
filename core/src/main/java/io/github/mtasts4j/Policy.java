package io.github.mtasts4j;

import java.time.Duration;
import java.util.List;

/**
 * An MTA-STS policy (RFC 8461 §3.2), immutable.
 *
 * @param mode the mode
 * @param maxAgeSeconds {@code max_age}, capped at {@link #MAX_AGE_LIMIT}
 * @param mx the MX patterns in file order (empty only for mode {@code none})
 */
public record Policy(Mode mode, long maxAgeSeconds, List<MxPattern> mx) {

  /** The largest {@code max_age} RFC 8461 allows: 31557600 seconds (365.25 days). */
  public static final long MAX_AGE_LIMIT = 31_557_600L;

  /** Validates and copies the components. */
  public Policy {
    // TODO(parsing helper): validate (null checks, 0 <= maxAge <= limit, mx non-empty unless NONE)
    mx = List.copyOf(mx);
  }

  /**
   * Parses a policy body the way a sender reads it: tolerant of surrounding whitespace, blank
   * lines, LF or CRLF; strict about keys, values and required fields (RFC 8461 §3.2, checklist
   * STS-44).
   *
   * @throws InvalidPolicyException listing every problem, with line numbers
   */
  public static Policy parse(String body) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Returns {@code max_age} as a duration. */
  public Duration maxAge() {
    return Duration.ofSeconds(maxAgeSeconds);
  }

  /** Returns true when at least one MX pattern matches {@code mx}; pure, ignores the mode. */
  public boolean matches(DomainName mx) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * The policy as canonical lines ({@code version: STSv1}, {@code mode: ...}, one {@code mx: ...}
   * per pattern, {@code max_age: ...}), as TLS reports carry it in {@code policy-string}.
   */
  public List<String> lines() {
    throw new UnsupportedOperationException("TODO");
  }

  /** The policy file text: {@link #lines()} joined with CRLF, ending with CRLF. */
  public String toText() {
    return String.join("\r\n", lines()) + "\r\n";
  }
}
