package io.github.mtasts4j.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One complete SMTP transaction received by a {@link LoopbackMx}.
 *
 * @param envelopeFrom the MAIL FROM address (empty for the null reverse-path)
 * @param recipients the accepted RCPT TO addresses, in order
 * @param data the message bytes as received after DATA (dot-unstuffed, without the final dot)
 * @param overTls whether STARTTLS had completed before the transaction
 * @param authenticatedUser the user name the session authenticated as with SMTP {@code AUTH}, or
 *     null when it did not authenticate
 */
public record ReceivedMessage(
    String envelopeFrom,
    List<String> recipients,
    byte[] data,
    boolean overTls,
    @Nullable String authenticatedUser) {

  /**
   * Validates and copies the components.
   *
   * @param envelopeFrom MAIL FROM address
   * @param recipients accepted RCPT TO addresses
   * @param data message bytes
   * @param overTls whether STARTTLS had completed
   * @param authenticatedUser the authenticated user name, or null
   */
  public ReceivedMessage {
    Objects.requireNonNull(envelopeFrom, "envelopeFrom");
    recipients = List.copyOf(recipients);
    data = data.clone();
  }

  /**
   * A transaction of a session that did not authenticate.
   *
   * @param envelopeFrom MAIL FROM address
   * @param recipients accepted RCPT TO addresses
   * @param data message bytes
   * @param overTls whether STARTTLS had completed
   */
  public ReceivedMessage(
      String envelopeFrom, List<String> recipients, byte[] data, boolean overTls) {
    this(envelopeFrom, recipients, data, overTls, null);
  }

  /**
   * Returns a copy of the message bytes.
   *
   * @return the data
   */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /**
   * Returns the message decoded as UTF-8, convenient for assertions.
   *
   * @return the data as text
   */
  public String text() {
    return new String(data, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ReceivedMessage[from=" + envelopeFrom + ", to=" + recipients + ", " + data.length
        + " bytes, overTls=" + overTls + ", authenticatedUser=" + authenticatedUser + "]";
  }
}
