package io.github.mtasts4j;

/**
 * The {@code mode} of an MTA-STS policy (RFC 8461 §3.2, §5).
 *
 * <p>Wire tokens are case-sensitive: only {@code enforce}, {@code testing} and {@code none} are
 * valid.
 */
public enum Mode {
  /** Deliver only over verified TLS to an MX host that matches the policy. */
  ENFORCE("enforce"),
  /** Deliver as usual, but report what would have failed under {@link #ENFORCE}. */
  TESTING("testing"),
  /** The domain has withdrawn its policy: treat it as having no active policy. */
  NONE("none");

  private final String token;

  Mode(String token) {
    this.token = token;
  }

  /** Returns the wire spelling, such as {@code enforce}. */
  public String token() {
    return token;
  }

  /**
   * Returns the mode spelled exactly {@code token}, or {@code null} when the token is not one of
   * the three registered values (the comparison is case-sensitive).
   */
  public static @org.jspecify.annotations.Nullable Mode fromToken(String token) {
    for (Mode mode : values()) {
      if (mode.token.equals(token)) {
        return mode;
      }
    }
    return null;
  }
}
