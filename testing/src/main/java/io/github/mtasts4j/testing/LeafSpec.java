package io.github.mtasts4j.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a leaf (server) certificate issued by {@link TestPki#issue(LeafSpec)} should contain.
 *
 * @param dnsNames the subjectAltName dNSName entries, in order; empty means no SAN extension at all
 * @param commonName the subject CN, or null for a subject without CN
 * @param notBefore start of validity
 * @param notAfter end of validity
 */
public record LeafSpec(
    List<String> dnsNames, @Nullable String commonName, Instant notBefore, Instant notAfter) {

  /**
   * Validates and copies the components.
   *
   * @param dnsNames SAN dNSName entries
   * @param commonName subject CN or null
   * @param notBefore start of validity
   * @param notAfter end of validity
   */
  public LeafSpec {
    dnsNames = List.copyOf(dnsNames);
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    if (notAfter.isBefore(notBefore)) {
      throw new IllegalArgumentException("notAfter " + notAfter + " is before notBefore " + notBefore);
    }
    if (dnsNames.isEmpty() && commonName == null) {
      throw new IllegalArgumentException("a leaf needs at least one DNS name or a common name");
    }
  }

  /**
   * A spec with these SAN names, CN equal to the first name, valid from one day ago until 30 days
   * from now (real clock).
   *
   * @param dnsNames at least one DNS name (wildcards such as {@code *.example.com} allowed)
   * @return the spec
   */
  public static LeafSpec of(String... dnsNames) {
    if (dnsNames.length == 0) {
      throw new IllegalArgumentException("at least one DNS name is required");
    }
    Instant now = Instant.now();
    return new LeafSpec(
        List.of(dnsNames), dnsNames[0], now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
  }

  /**
   * Returns a copy with another validity period.
   *
   * @param from new notBefore
   * @param until new notAfter
   * @return the changed spec
   */
  public LeafSpec validity(Instant from, Instant until) {
    return new LeafSpec(dnsNames, commonName, from, until);
  }

  /**
   * Returns a copy with another subject common name.
   *
   * @param cn the new CN, or null for none
   * @return the changed spec
   */
  public LeafSpec withCommonName(@Nullable String cn) {
    return new LeafSpec(dnsNames, cn, notBefore, notAfter);
  }
}
