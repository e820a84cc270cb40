package io.github.mtasts4j.tlsrpt;

/** One failed delivery attempt; the message is a one-line reason meant for the operator. */
final class DeliveryException extends Exception {
  private static final long serialVersionUID = 1L;

  DeliveryException(String message) {
    super(message);
  }

  DeliveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
