package io.github.mtasts4j.smtp;

/** The outcome of delivering a message to the recipients of one domain. */
public enum DeliveryStatus {
  /** An MX host accepted the message for every recipient of the domain. */
  DELIVERED("delivered"),
  /**
   * A temporary outcome: retry later. Used for 4xx replies, unreachable MX hosts, DNS failures and
   * every refusal caused by an {@code enforce} policy (RFC 8461 §5, STS-65).
   */
  DEFERRED("deferred"),
  /** A permanent outcome: an MX host answered with a 5xx reply, or the domain does not exist. */
  FAILED("failed");

  private final String token;

  DeliveryStatus(String token) {
    this.token = token;
  }

  /** Returns the JSON spelling, such as {@code deferred}. */
  public String token() {
    return token;
  }
}
