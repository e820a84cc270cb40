package io.github.mtasts4j;

/**
 * A host or domain name in canonical form: ASCII (IDN U-labels converted to A-labels), lower case,
 * no trailing dot, every label 1..63 characters of letters, digits, hyphens or underscores, at most
 * 253 characters in all. Two names are equal exactly when they denote the same DNS name.
 *
 * @param value the canonical form
 */
public record DomainName(String value) {
  /** Validates that {@code value} is already canonical; use {@link #of(String)} to normalise. */
  public DomainName {
    // TODO(parsing helper): validate canonical form
  }

  /**
   * Normalises and validates {@code name}: strips one trailing dot, converts U-labels to A-labels,
   * lower-cases ASCII.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid domain name, naming the problem
   */
  public static DomainName of(String name) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Returns {@code label + "." + this}, for names such as {@code _mta-sts.<domain>}. */
  public DomainName prefixed(String label) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public String toString() {
    return value;
  }
}
