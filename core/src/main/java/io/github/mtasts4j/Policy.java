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

  /**
   * Validates and copies the components.
   *
   * @throws IllegalArgumentException if {@code maxAgeSeconds} is outside 0..{@link
   *     #MAX_AGE_LIMIT}, or {@code mx} is empty while the mode is not {@link Mode#NONE}
   * @throws NullPointerException if a component or an mx element is null
   */
  public Policy {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(mx, "mx");
    if (maxAgeSeconds < 0 || maxAgeSeconds > MAX_AGE_LIMIT) {
      throw new IllegalArgumentException(
          "maxAgeSeconds must be 0.." + MAX_AGE_LIMIT + ", got " + maxAgeSeconds);
    }
    mx = List.copyOf(mx);
    if (mx.isEmpty() && mode != Mode.NONE) {
      throw new IllegalArgumentException(
          "a policy in mode " + mode.token() + " needs an mx pattern");
    }
  }

  /**
   * Parses a policy body the way a sender reads it: tolerant of surrounding whitespace, blank
   * lines, LF or CRLF; strict about keys, values and required fields (RFC 8461 §3.2, checklist
   * STS-44).
   *
   * <p>In detail: a leading byte-order mark, blank lines and spaces or tabs around lines, keys and
   * values are tolerated. Every non-blank line must be {@code name: value} with a valid field name;
   * a line without a colon rejects the policy rather than being dropped. {@code version}, {@code
   * mode} and {@code max_age} are required, case-sensitive, and only their first occurrence
   * counts (STS-41). {@code max_age} is 1 to 10 digits; a value above {@link #MAX_AGE_LIMIT} is
   * capped (STS-37). Every {@code mx} line must be a valid pattern ({@link
   * MxPattern#parse(String)}), and at least one is required unless the mode is {@code none}. Other
   * fields are extensions and are ignored. Use {@link PolicyLint} for the strict, publisher-side
   * reading.
   *
   * @throws InvalidPolicyException listing every problem, with line numbers
   */
  public static Policy parse(String body) {
    Objects.requireNonNull(body, "body");
    return PolicyParser.parse(body);
  }

  /** Returns {@code max_age} as a duration. */
  public Duration maxAge() {
    return Duration.ofSeconds(maxAgeSeconds);
  }

  /** Returns true when at least one MX pattern matches {@code mx}; pure, ignores the mode. */
  public boolean matches(DomainName mx) {
    Objects.requireNonNull(mx, "mx");
    List<MxPattern> patterns = this.mx;
    for (int i = 0, n = patterns.size(); i < n; i++) {
      if (patterns.get(i).matches(mx)) {
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
    lines.add("version: " + PolicyParser.VERSION);
    lines.add("mode: " + mode.token());
    for (MxPattern p : mx) {
      lines.add("mx: " + p.text());
    }
    lines.add("max_age: " + maxAgeSeconds);
    return List.copyOf(lines);
  }

  /** The policy file text: {@link #lines()} joined with CRLF, ending with CRLF. */
  public String toText() {
    return String.join("\r\n", lines()) + "\r\n";
  }
}
