package io.github.mtasts4j.tlsrpt;

import io.github.mtasts4j.DomainName;
import java.security.interfaces.RSAPrivateKey;
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

  @Override
  public String toString() {
    return "DkimKey[domain=" + domain + ", selector=" + selector + "]";
  }
}
