package io.github.mtasts4j;

/**
 * One {@code mx} line of a policy (RFC 8461 §4.1): an exact host name, or {@code *.} followed by a
 * suffix, where the wildcard stands for exactly one whole left-most label. Patterns are normalised
 * when parsed, so {@link #matches(DomainName)} does no case or IDN work per call.
 */
public sealed interface MxPattern permits MxPattern.Exact, MxPattern.Wildcard {

  /** Returns true when {@code mx} is matched by this pattern. */
  boolean matches(DomainName mx);

  /** The pattern as written in a policy file, in canonical form ({@code *.example.com}). */
  String text();

  /**
   * Parses one {@code mx} value (without the {@code mx:} key).
   *
   * @throws IllegalArgumentException if the value is not {@code ["*."] Domain} with A-labels
   */
  static MxPattern parse(String value) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * A pattern that matches one host name.
   *
   * @param host the host
   */
  record Exact(DomainName host) implements MxPattern {
    @Override
    public boolean matches(DomainName mx) {
      throw new UnsupportedOperationException("TODO");
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
    @Override
    public boolean matches(DomainName mx) {
      throw new UnsupportedOperationException("TODO");
    }

    @Override
    public String text() {
      return "*." + suffix.value();
    }
  }
}
