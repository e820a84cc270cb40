package io.github.mtasts4j;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.X509TrustManager;

/**
 * The CA certificates a sender trusts, used for the policy host (HTTPS) and MX hosts (STARTTLS)
 * alike. Immutable and thread-safe.
 */
public final class TrustAnchors {
  // TODO(network helper): implement

  private TrustAnchors() {}

  /** The JDK's default trust store ({@code cacerts}). */
  public static TrustAnchors jdkDefault() {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Every certificate in a PEM file.
   *
   * @throws IllegalArgumentException if the file cannot be read or holds no certificate
   */
  public static TrustAnchors fromPem(Path pemFile) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Every trusted certificate entry of {@code keyStore}. */
  public static TrustAnchors fromKeyStore(KeyStore keyStore) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Exactly {@code certificates}. */
  public static TrustAnchors of(Collection<X509Certificate> certificates) {
    throw new UnsupportedOperationException("TODO");
  }

  /** A PKIX trust manager over these anchors (chain and validity only; names are checked apart). */
  public X509TrustManager trustManager() {
    throw new UnsupportedOperationException("TODO");
  }
}
