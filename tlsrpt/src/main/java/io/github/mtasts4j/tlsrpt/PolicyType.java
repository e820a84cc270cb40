package io.github.mtasts4j.tlsrpt;

/** The {@code policy-type} of a reported policy (RFC 8460 §4.4, RPT-18). DANE is not covered yet. */
public enum PolicyType {
  /** An MTA-STS policy was applied. */
  STS("sts"),
  /** No policy was found for the domain (including failed MTA-STS discovery). */
  NO_POLICY_FOUND("no-policy-found");

  private final String token;

  PolicyType(String token) {
    this.token = token;
  }

  /**
   * Returns the wire spelling.
   *
   * @return the token, such as {@code no-policy-found}
   */
  public String token() {
    return token;
  }

  /** Returns the type spelled {@code token}, or null when unknown. */
  static @org.jspecify.annotations.Nullable PolicyType fromToken(String token) {
    for (PolicyType t : values()) {
      if (t.token.equals(token)) {
        return t;
      }
    }
    return null;
  }
}
