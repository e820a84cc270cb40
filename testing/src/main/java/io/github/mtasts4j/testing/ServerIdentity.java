package io.github.mtasts4j.testing;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A server's private key and certificate chain (leaf first), as issued by {@link TestPki}.
 *
 * @param privateKey the leaf's private key
 * @param chain the certificate chain, leaf first; never empty
 */
public record ServerIdentity(PrivateKey privateKey, List<X509Certificate> chain) {

  /** Key store alias under which {@link #keyStore(char[])} stores the key entry. */
  public static final String ALIAS = "server";

  /**
   * Validates and copies the components.
   *
   * @param privateKey the leaf private key
   * @param chain certificate chain, leaf first
   */
  public ServerIdentity {
    Objects.requireNonNull(privateKey, "privateKey");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain must contain at least the leaf certificate");
    }
  }

  /**
   * Returns the leaf certificate.
   *
   * @return {@code chain().get(0)}
   */
  public X509Certificate leaf() {
    return chain.get(0);
  }

  /**
   * Builds an in-memory PKCS12 key store holding this identity under alias {@value #ALIAS}.
   *
   * @param password the store and key password
   * @return the key store
   */
  public KeyStore keyStore(char[] password) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(ALIAS, privateKey, password, chain.toArray(new Certificate[0]));
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build key store", e);
    }
  }

  /**
   * Builds a server-side TLS context presenting this identity (no client authentication).
   *
   * @return a ready {@link SSLContext}
   */
  public SSLContext serverSslContext() {
    try {
      char[] password = "changeit".toCharArray();
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore(password), password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build server SSLContext", e);
    }
  }

  @Override
  public String toString() {
    return "ServerIdentity[" + leaf().getSubjectX500Principal() + "]";
  }
}
