package io.github.mtasts4j.smtp;

/** How TLS went in one delivery attempt; {@link #token()} is the spelling in the CLI's JSON. */
public enum TlsState {
  /** TLS was established and the certificate passed every RFC 8461 §4.2 check. */
  VERIFIED("verified"),
  /** TLS was established, but the certificate failed a check (opportunistic delivery only). */
  UNVERIFIED("unverified"),
  /** STARTTLS was attempted but the command or the handshake failed, or verification refused it. */
  FAILED("failed"),
  /** The MX host did not advertise STARTTLS. */
  NOT_OFFERED("not-offered"),
  /** No TLS was attempted: the MX was skipped, unreachable, or failed before EHLO. */
  NOT_ATTEMPTED("not-attempted");

  private final String token;

  TlsState(String token) {
    this.token = token;
  }

  /** Returns the JSON spelling, such as {@code not-offered}. */
  public String token() {
    return token;
  }
}
