package io.github.mtasts4j.tlsrpt;

/**
 * A {@code _smtp._tls} TXT record that does not follow the RFC 8460 §3 grammar. The message names
 * the offending field.
 */
public final class InvalidTlsRptRecordException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was expected and what was found
   */
  public InvalidTlsRptRecordException(String message) {
    super(message);
  }
}
