package io.github.mtasts4j.testing;

import java.util.Objects;

/**
 * One SMTP {@code AUTH} exchange a test receiver saw, as far as it got. A password is never
 * recorded.
 *
 * @param mechanism the SASL mechanism named in the {@code AUTH} command, upper case
 * @param username the user name the client sent, or empty if the exchange ended before it did
 * @param accepted whether the receiver accepted the credentials
 * @param overTls whether STARTTLS had completed before the {@code AUTH} command
 */
public record AuthAttempt(String mechanism, String username, boolean accepted, boolean overTls) {

  /**
   * Validates the components.
   *
   * @param mechanism the SASL mechanism
   * @param username the user name, or empty
   * @param accepted whether the credentials were accepted
   * @param overTls whether STARTTLS had completed
   */
  public AuthAttempt {
    Objects.requireNonNull(mechanism, "mechanism");
    Objects.requireNonNull(username, "username");
  }
}
