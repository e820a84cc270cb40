package io.github.mtasts4j;

import java.security.cert.CertificateException;
import java.util.Objects;

/**
 * Thrown by the trust managers of {@link CertificateVerifier} when a TLS peer's certificate fails
 * the RFC 8461 checks; {@link #failure()} carries the classified result, so code that catches the
 * TLS handshake exception can find it in the cause chain.
 */
public final class CertificateRejectedException extends CertificateException {
  private static final long serialVersionUID = 1L;

  private final transient Failure failure;

  /**
   * Creates an exception for {@code failure}.
   *
   * @param failure the classified failure; its detail becomes the message
   */
  public CertificateRejectedException(Failure failure) {
    super(Objects.requireNonNull(failure, "failure").toString());
    this.failure = failure;
  }

  /** The classified failure ({@code certificate-expired}, {@code certificate-not-trusted}, ...). */
  public Failure failure() {
    return failure;
  }
}
