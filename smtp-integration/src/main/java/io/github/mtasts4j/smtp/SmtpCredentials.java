package io.github.mtasts4j.smtp;

import java.util.Objects;

/**
 * The user name and password for SMTP AUTH with a smart host. The password array is a private
 * copy, never exposed and never printed: {@link #toString()} shows only the user name. Immutable
 * (the copy is never changed) and thread-safe.
 */
final class SmtpCredentials {
  private final String username;
  private final char[] password;

  private SmtpCredentials(String username, char[] password) {
    this.username = username;
    this.password = password;
  }

  /**
   * Copies {@code password}; the caller may wipe its array afterwards.
   *
   * @throws IllegalArgumentException if {@code username} is blank or contains a line break
   */
  static SmtpCredentials of(String username, char[] password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.isBlank() || username.indexOf('\r') >= 0 || username.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("SMTP user name must be non-blank and on one line");
    }
    return new SmtpCredentials(username, password.clone());
  }

  String username() {
    return username;
  }

  /** The password as Angus Mail takes it; the String lives only as long as one AUTH exchange. */
  String passwordString() {
    return new String(password);
  }

  @Override
  public String toString() {
    return "SmtpCredentials[username=" + username + ", password=(hidden)]";
  }
}
