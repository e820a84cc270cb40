package io.github.mtasts4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The CA certificates a sender trusts, used for the policy host (HTTPS) and MX hosts (STARTTLS)
 * alike. Immutable and thread-safe.
 *
 * <p>Host names are never checked here: use {@link CertificateVerifier} for the full RFC 8461
 * check (chain, validity at the injected clock, DNS-ID).
 */
public final class TrustAnchors {
  private final List<X509Certificate> certificates;

  private TrustAnchors(Collection<X509Certificate> certificates) {
    Set<X509Certificate> unique = new LinkedHashSet<>();
    for (X509Certificate certificate : certificates) {
      unique.add(Objects.requireNonNull(certificate, "certificate"));
    }
    if (unique.isEmpty()) {
      throw new IllegalArgumentException("trust anchors need at least one certificate");
    }
    this.certificates = List.copyOf(unique);
  }

  /** The JDK's default trust store ({@code cacerts}). */
  public static TrustAnchors jdkDefault() {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      List<X509Certificate> certificates = new ArrayList<>();
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          Collections.addAll(certificates, x509.getAcceptedIssuers());
        }
      }
      return new TrustAnchors(certificates);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK default trust store cannot be read: " + e, e);
    }
  }

  /**
   * Every certificate in a PEM file.
   *
   * @throws IllegalArgumentException if the file cannot be read or holds no certificate
   */
  public static TrustAnchors fromPem(Path pemFile) {
    Objects.requireNonNull(pemFile, "pemFile");
    List<X509Certificate> certificates = new ArrayList<>();
    try (InputStream in = Files.newInputStream(pemFile)) {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Certificate certificate : factory.generateCertificates(in)) {
        if (certificate instanceof X509Certificate x509) {
          certificates.add(x509);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read trust anchors from " + pemFile + ": " + e.getMessage(), e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "trust anchor file " + pemFile + " holds no valid PEM certificate: " + e.getMessage(),
          e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("trust anchor file " + pemFile + " holds no certificate");
    }
    return new TrustAnchors(certificates);
  }

  /**
   * Every trusted certificate entry of {@code keyStore}.
   *
   * @throws IllegalArgumentException if the key store is not loaded or has no trusted certificate
   */
  public static TrustAnchors fromKeyStore(KeyStore keyStore) {
    Objects.requireNonNull(keyStore, "keyStore");
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      for (String alias : Collections.list(keyStore.aliases())) {
        if (keyStore.isCertificateEntry(alias)
            && keyStore.getCertificate(alias) instanceof X509Certificate x509) {
          certificates.add(x509);
        }
      }
    } catch (KeyStoreException e) {
      throw new IllegalArgumentException("key store is not loaded: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("key store holds no trusted certificate entry");
    }
    return new TrustAnchors(certificates);
  }

  /**
   * Exactly {@code certificates}.
   *
   * @throws IllegalArgumentException if {@code certificates} is empty
   */
  public static TrustAnchors of(Collection<X509Certificate> certificates) {
    Objects.requireNonNull(certificates, "certificates");
    return new TrustAnchors(certificates);
  }

  /** The anchor certificates, without duplicates, in the order given. */
  public List<X509Certificate> certificates() {
    return certificates;
  }

  /** The anchors as PKIX {@link TrustAnchor}s, for {@code java.security.cert} APIs. */
  public Set<TrustAnchor> pkixAnchors() {
    Set<TrustAnchor> anchors = new LinkedHashSet<>();
    for (X509Certificate certificate : certificates) {
      anchors.add(new TrustAnchor(certificate, null));
    }
    return anchors;
  }

  /** A PKIX trust manager over these anchors (chain and validity only; names are checked apart). */
  public X509TrustManager trustManager() {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (X509Certificate certificate : certificates) {
        store.setCertificateEntry("anchor-" + i++, certificate);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the PKIX TrustManagerFactory made no X509TrustManager");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a PKIX trust manager: " + e, e);
    }
  }

  /**
   * A TLS {@link SSLContext} whose only trust decision is {@link #trustManager()}: chain and
   * validity, with no host name check. Callers that connect to a named host must also check the
   * name, for instance with {@link CertificateVerifier#matchesDnsId}, or use {@link
   * CertificateVerifier#sslContext(DomainName)} which does both.
   */
  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager()}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "TrustAnchors[" + certificates.size() + " certificates]";
  }
}
