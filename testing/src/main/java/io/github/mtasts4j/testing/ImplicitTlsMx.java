package io.github.mtasts4j.testing;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An SMTP receiver that speaks TLS from the first byte (implicit TLS, the submission port 465 of
 * RFC 8314) with the given identity, then plain SMTP inside it; it offers no STARTTLS and no AUTH.
 * Messages received are recorded as over TLS.
 *
 * <p>One daemon thread serves one connection at a time, which is all a single delivery needs.
 */
public final class ImplicitTlsMx extends LineSmtpMx {

  /**
   * Starts listening.
   *
   * @param address the loopback address to bind
   * @param port the port to bind (0 for an ephemeral one)
   * @param identity the certificate chain and key presented in every handshake
   * @throws IllegalArgumentException if {@code address} is not a loopback address
   */
  public ImplicitTlsMx(InetAddress address, int port, ServerIdentity identity) {
    super(loopback(address), port, Objects.requireNonNull(identity, "identity").serverSslContext());
    start("implicit-tls-mx");
  }

  private static InetAddress loopback(InetAddress address) {
    if (!address.isLoopbackAddress()) {
      throw new IllegalArgumentException("ImplicitTlsMx binds to loopback addresses only: " + address);
    }
    return address;
  }

  /**
   * Returns the bound port.
   *
   * @return the port
   */
  public int port() {
    return localPort();
  }

  @Override
  String greeting() {
    return "220 implicit-tls.test ESMTP";
  }

  @Override
  String ehloReply() {
    return "250-implicit-tls.test\r\n250 8BITMIME";
  }
}
