package io.github.mtasts4j.smtp;

import io.github.mtasts4j.Failure;
import java.security.cert.X509Certificate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the trust manager and socket factory of {@link MxTlsVerifier} saw on one connection: whether
 * TLS was started, the certificate chain presented, and the first verification failure. Use one
 * instance per connection; read it after the SMTP client's connect returns or fails. Thread-safe.
 */
public final class TlsObservation {
  private volatile boolean tlsStarted;
  private volatile boolean certificateChecked;
  private volatile List<X509Certificate> chain = List.of();
  private volatile @Nullable Failure failure;

  /** Creates an empty observation. */
  public TlsObservation() {}

  /** True once a TLS socket was layered over the connection (the server accepted STARTTLS). */
  public boolean tlsStarted() {
    return tlsStarted;
  }

  /** True once the server's certificate chain reached the trust manager. */
  public boolean certificateChecked() {
    return certificateChecked;
  }

  /** The chain the server presented, leaf first; empty until {@link #certificateChecked()}. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /**
   * The first verification failure, or null when there was none (which, after a completed
   * handshake, means the certificate was verified).
   */
  public @Nullable Failure failure() {
    return failure;
  }

  /** True when the chain was checked and passed every check. */
  public boolean verified() {
    return certificateChecked && failure == null;
  }

  void markTlsStarted() {
    tlsStarted = true;
  }

  synchronized void recordCertificate(List<X509Certificate> presented, @Nullable Failure result) {
    chain = List.copyOf(presented);
    certificateChecked = true;
    if (failure == null) {
      failure = result;
    }
  }

  @Override
  public String toString() {
    return "TlsObservation[tlsStarted="
        + tlsStarted
        + ", certificateChecked="
        + certificateChecked
        + ", failure="
        + failure
        + "]";
  }
}
