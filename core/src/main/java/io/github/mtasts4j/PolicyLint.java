package io.github.mtasts4j;

/**
 * The strict reading of a policy file, for publishers: reports every deviation from the RFC 8461
 * §3.2 grammar with its line number, worded for a mail administrator. No network.
 */
public final class PolicyLint {
  private PolicyLint() {}

  /** Lints {@code body}; never throws for bad content. */
  public static LintReport lint(String body) {
    java.util.Objects.requireNonNull(body, "body");
    return PolicyParser.lint(body);
  }
}
