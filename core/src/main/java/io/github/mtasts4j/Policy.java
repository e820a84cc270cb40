package io.github.mtasts4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
    Objects.requireNonNull(mode, "mode");
    if (maxAgeSeconds < 0 || maxAgeSeconds > MAX_AGE_LIMIT) {
      throw new IllegalArgumentException(
          "max_age must be 0.." + MAX_AGE_LIMIT + " seconds: " + maxAgeSeconds);
    }
    mx = List.copyOf(mx);
    if (mx.isEmpty() && mode != Mode.NONE) {
      throw new IllegalArgumentException("mode " + mode.token() + " needs at least one mx pattern");
    }
  }

  /**
   * Parses a policy body the way a sender reads it: tolerant of surrounding whitespace, blank
   * lines, LF or CRLF; strict about keys, values and required fields (RFC 8461 §3.2, checklist
   * STS-44).
   *
   * @throws InvalidPolicyException listing every problem, with line numbers
   */
  public static Policy parse(String body) {
    Objects.requireNonNull(body, "body");
    return PolicyParser.parseForSender(body);
  }

  /** Returns {@code max_age} as a duration. */
  public Duration maxAge() {
    return Duration.ofSeconds(maxAgeSeconds);
  }

  /** Returns true when at least one MX pattern matches {@code mx}; pure, ignores the mode. */
  public boolean matches(DomainName mx) {
    for (int i = 0, n = this.mx.size(); i < n; i++) {
      if (this.mx.get(i).matches(mx)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The policy as canonical lines ({@code version: STSv1}, {@code mode: ...}, one {@code mx: ...}
   * per pattern, {@code max_age: ...}), as TLS reports carry it in {@code policy-string}.
   */
  public List<String> lines() {
    List<String> lines = new ArrayList<>(mx.size() + 3);
    lines.add("version: STSv1");
    lines.add("mode: " + mode.token());
    for (MxPattern pattern : mx) {
      lines.add("mx: " + pattern.text());
    }
    lines.add("max_age: " + maxAgeSeconds);
    return List.copyOf(lines);
  }

  /** The policy file text: {@link #lines()} joined with CRLF, ending with CRLF. */
  public String toText() {
    return String.join("\r\n", lines()) + "\r\n";
  }
}
