package io.github.mtasts4j.testing;

import java.io.IOException;
import java.net.InetAddress;

/**
 * An SMTP receiver whose STARTTLS always fails for a reason other than the certificate: it
 * advertises the extension, answers 220, then writes plain text where the TLS ServerHello belongs.
 * A client that does not use STARTTLS can deliver in cleartext; those messages are recorded.
 *
 * <p>One daemon thread serves one connection at a time, which is all a single delivery needs.
 */
public final class BrokenStartTlsMx extends LineSmtpMx {

  /**
   * Starts listening.
   *
   * @param address the loopback address to bind
   * @param port the port to bind (0 for an ephemeral one)
   */
  public BrokenStartTlsMx(InetAddress address, int port) {
    super(address, port);
    start("broken-starttls-mx");
  }

  @Override
  String greeting() {
    return "220 broken.test ESMTP";
  }

  @Override
  String ehloReply() {
    return "250-broken.test\r\n250-STARTTLS\r\n250 8BITMIME";
  }

  @Override
  boolean command(String verb, String line, Session session) throws IOException {
    if (!verb.equals("STARTTLS")) {
      return super.command(verb, line, session);
    }
    session.reply("220 ready");
    session.reply("not a TLS record");
    return false;
  }
}
