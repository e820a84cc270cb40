package io.github.mtasts4j.smtp;

/** What TLS a sender must obtain from one MX host before handing it a message (RFC 8461 §5). */
public enum TlsRequirement {
  /**
   * STARTTLS is required and the certificate must chain to a trust anchor, be within its validity
   * period and carry a DNS-ID for the MX host name; otherwise nothing is sent (mode {@code
   * enforce}). There is no cleartext or unauthenticated fallback.
   */
  VERIFIED,
  /**
   * Use TLS when the MX host offers STARTTLS, even with a certificate that fails verification;
   * send in cleartext when STARTTLS is not offered (mode {@code testing}, {@code none}, or no
   * policy). Failures are recorded, not enforced.
   */
  OPPORTUNISTIC
}
