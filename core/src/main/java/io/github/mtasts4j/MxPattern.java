package io.github.mtasts4j;

import java.util.Objects;

/**
 * One {@code mx} line of a policy (RFC 8461 §4.1): an exact host name, or {@code *.} followed by a
 * suffix, where the wildcard stands for exactly one whole left-most label. Patterns are normalised
 * when parsed, so {@link #matches(DomainName)} does no case or IDN work per call and allocates
 * nothing.
 */
public sealed interface MxPattern permits MxPattern.Exact, MxPattern.Wildcard {

  /**
   * Returns true when {@code mx} is matched by this pattern: equal to an {@link Exact} host, or
   * exactly one label followed by a {@link Wildcard}'s suffix (checklist STS-55..57, NAME-8).
   */
  boolean matches(DomainName mx);

  /** The pattern as written in a policy file, in canonical form ({@code *.example.com}). */
  String text();

  /**
   * Parses one {@code mx} value (without the {@code mx:} key), the way a sender reads it.
   *
   * <p>Accepted: {@code ["*."] Domain} (RFC 8461 §3.2, RFC 5321 §4.1.2): dot-separated labels of
   * ASCII letters, digits and hyphens, none starting or ending with a hyphen, at most 63
   * characters each and 253 in all. Letters may be upper case (host names are case-insensitive)
   * and are lowered. One trailing dot is tolerated and removed (checklist STS-57); the strict
   * reading in {@link PolicyLint} still reports it as an error.
   *
   * <p>Rejected: non-ASCII (U-label) patterns, because RFC 8461 §3.2 says patterns MUST be
   * A-labels (checklist STS-38); underscores; a bare {@code *}; a {@code *} anywhere except as the
   * whole first label ({@code *.*.x}, {@code **.x}, {@code a.*.x}, {@code mx*.x}); surrounding
   * whitespace; and IP addresses such as {@code 1.2.3.4} or {@code *.1.2.3.4} (any name whose last
   * label is all digits, since no top-level domain is numeric).
   *
   * @throws IllegalArgumentException if the value is not {@code ["*."] Domain} with A-labels; the
   *     message says what is wrong
   */
  static MxPattern parse(String value) {
    Objects.requireNonNull(value, "value");
    return MxPatternParser.parse(value, 0, value.length());
  }

  /**
   * A pattern that matches one host name.
   *
   * @param host the host
   */
  record Exact(DomainName host) implements MxPattern {
    /** Validates the component. */
    public Exact {
      Objects.requireNonNull(host, "host");
    }

    @Override
    public boolean matches(DomainName mx) {
      return host.value().equals(mx.value());
    }

    @Override
    public String text() {
      return host.value();
    }
  }

  /**
   * {@code *.suffix}: matches a name with exactly one more label than {@code suffix}.
   *
   * @param suffix the name after {@code *.}
   */
  record Wildcard(DomainName suffix) implements MxPattern {
    /** Validates the component. */
    public Wildcard {
      Objects.requireNonNull(suffix, "suffix");
    }

    @Override
    public boolean matches(DomainName mx) {
      String name = mx.value();
      String s = suffix.value();
      // The first dot of `name` must sit right before the suffix: exactly one non-empty label.
      int dot = name.length() - s.length() - 1;
      return dot > 0
          && name.charAt(dot) == '.'
          && name.indexOf('.') == dot
          && name.regionMatches(dot + 1, s, 0, s.length());
    }

    @Override
    public String text() {
      return "*." + suffix.value();
    }
  }
}
