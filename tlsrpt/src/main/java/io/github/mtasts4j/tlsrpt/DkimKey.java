package io.github.mtasts4j.tlsrpt;

import io.github.mtasts4j.DomainName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * The DKIM key that signs mailed reports (RFC 8460 §3, RPT-10). Use a dedicated selector whose
 * key record declares {@code s=tlsrpt}; the signature never uses {@code l=}.
 *
 * @param domain the signing domain ({@code d=}), the reporting organization's domain
 * @param selector the selector ({@code s=}); its TXT record lives at {@code
 *     <selector>._domainkey.<domain>}
 * @param privateKey the RSA private key (2048 bits or more recommended)
 */
public record DkimKey(DomainName domain, String selector, RSAPrivateKey privateKey) {
  /**
   * Validates the components.
   *
   * @param domain the signing domain ({@code d=}), the reporting organization's domain
   * @param selector the selector ({@code s=})
   * @param privateKey the RSA private key (2048 bits or more recommended)
   */
  public DkimKey {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(privateKey, "privateKey");
    if (!selector.matches("[A-Za-z0-9][A-Za-z0-9-]*(\\.[A-Za-z0-9][A-Za-z0-9-]*)*")) {
      throw new IllegalArgumentException("not a DKIM selector: " + selector);
    }
  }

  /**
   * Loads an unencrypted PKCS#8 PEM RSA key ({@code -----BEGIN PRIVATE KEY-----}), as written by
   * {@code openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem}.
   *
   * @param domain the signing domain
   * @param selector the selector
   * @param pemFile the key file
   * @return the key
   * @throws IllegalArgumentException if the file cannot be read or holds no PKCS#8 RSA key
   */
  public static DkimKey fromPkcs8Pem(DomainName domain, String selector, Path pemFile) {
    String pem;
    try {
      pem = Files.readString(pemFile, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read DKIM key file " + pemFile);
    }
    int begin = pem.indexOf(BEGIN);
    int end = pem.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          "DKIM key file " + pemFile + " holds no \"" + BEGIN + "\" block (PKCS#8 expected)");
    }
    RSAPrivateKey key;
    try {
      byte[] der =
          Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end).trim());
      key = (RSAPrivateKey)
          KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("DKIM key file " + pemFile + " holds no valid RSA key");
    }
    return new DkimKey(domain, selector, key); // a bad selector is reported as such
  }

  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";

  @Override
  public String toString() {
    return "DkimKey[domain=" + domain + ", selector=" + selector + "]";
  }
}
