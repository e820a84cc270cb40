package io.github.mtasts4j.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.testing.ServerIdentity;
import io.github.mtasts4j.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * After STARTTLS, a TLS 1.3 server sends one endless reply and, between chunks, a KeyUpdate with
 * update_requested. JSSE answers each with a KeyUpdate of its own: a write through the bounded
 * socket below, which must not count as a new command, or the server could reset the bounds of
 * its reply for ever (Angus reads a reply line without limit, so the heap would fill).
 */
class BoundedSocketKeyUpdateTest {
  private static final TestPki PKI = TestPki.create("keyupdate test CA");

  @Test
  void serverRequestsKeyUpdatesDuringAnEndlessReply_replyBoundStillTrips() throws Exception {
    ServerIdentity id = PKI.issue("mx.example");
    try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> endlessReplyWithKeyUpdates(listener, id), "keyupdate-mx");
      server.setDaemon(true);
      server.start();

      Socket raw = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
      BoundedSocket bounded =
          new BoundedSocket(raw, BoundedSocket.MAX_REPLY_BYTES, Duration.ofSeconds(30));
      Socket tls =
          BoundedSocket.layered(
              bounded,
              PKI.clientSslContext()
                  .getSocketFactory()
                  .createSocket(bounded, "mx.example", listener.getLocalPort(), true));
      assertThat(tls).isInstanceOf(SSLSocket.class);
      ((SSLSocket) tls).setEnabledProtocols(new String[] {"TLSv1.3"});
      tls.getOutputStream().write("EHLO out.example\r\n".getBytes(StandardCharsets.US_ASCII));

      long read = 0;
      String stoppedBy = "the end of the stream";
      InputStream in = tls.getInputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          read += n;
        }
      } catch (IOException e) {
        stoppedBy = e.getMessage();
      } finally {
        tls.close();
      }
      assertThat(read).as("bytes of one reply accepted").isLessThan(BoundedSocket.MAX_REPLY_BYTES);
      assertThat(stoppedBy).contains("longer than " + BoundedSocket.MAX_REPLY_BYTES + " bytes");
    }
  }

  /** Sends a 4 MiB reply line with a KeyUpdate request after every 64 KiB. */
  private static void endlessReplyWithKeyUpdates(ServerSocket listener, ServerIdentity id) {
    try (Socket plain = listener.accept()) {
      SSLSocket tls =
          (SSLSocket)
              id.serverSslContext()
                  .getSocketFactory()
                  .createSocket(plain, null, plain.getPort(), true);
      tls.setUseClientMode(false);
      tls.setEnabledProtocols(new String[] {"TLSv1.3"});
      tls.startHandshake();
      InputStream in = tls.getInputStream();
      while (in.read() != '\n') {
        // the EHLO command
      }
      OutputStream out = tls.getOutputStream();
      out.write("250-".getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      Arrays.fill(chunk, (byte) 'x');
      for (int i = 0; i < 64; i++) {
        out.write(chunk);
        out.flush();
        tls.startHandshake(); // in TLS 1.3: a KeyUpdate with update_requested
      }
    } catch (IOException e) {
      // the client gave up, as it should
    }
  }
}
