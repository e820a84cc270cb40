package io.github.mtasts4j.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.testing.ServerIdentity;
import io.github.mtasts4j.testing.TestPki;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Closing a TLS socket layered on a bounded socket (what Angus does after STARTTLS) asks the
 * bounded socket for SO_LINGER; answered by java.net.Socket itself, that would create a native
 * socket for the never-connected wrapper, one file descriptor per TLS session left to the GC.
 */
class BoundedSocketFdLeakTest {
  private static final int SESSIONS = 40;

  private static int openFileDescriptors() {
    return new File("/proc/self/fd").list().length;
  }

  @Test
  void closingTlsLayeredOnABoundedSocket_leavesNoFileDescriptorOpen() throws Exception {
    TestPki pki = TestPki.create("fd test CA");
    ServerIdentity id = pki.issue("localhost");
    CountDownLatch serverClosed = new CountDownLatch(SESSIONS);
    try (SSLServerSocket listener =
        (SSLServerSocket)
            id.serverSslContext()
                .getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread server =
          new Thread(
              () -> {
                while (!listener.isClosed()) {
                  try (Socket s = listener.accept()) {
                    s.getInputStream().read(); // until the client closes
                  } catch (IOException e) {
                    // the next one
                  } finally {
                    serverClosed.countDown();
                  }
                }
              },
              "fd-test-server");
      server.setDaemon(true);
      server.start();

      int before = openFileDescriptors();
      for (int i = 0; i < SESSIONS; i++) {
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        raw.setSoLinger(true, 3);
        BoundedSocket bounded =
            new BoundedSocket(raw, BoundedSocket.MAX_REPLY_BYTES, Duration.ofSeconds(5));
        assertThat(bounded.getSoLinger()).isEqualTo(3); // the raw socket's, not the wrapper's
        SSLSocket tls =
            (SSLSocket)
                pki.clientSslContext()
                    .getSocketFactory()
                    .createSocket(bounded, "localhost", listener.getLocalPort(), true);
        tls.startHandshake();
        tls.close();
      }
      assertThat(serverClosed.await(30, TimeUnit.SECONDS)).isTrue();

      assertThat(openFileDescriptors() - before)
          .as("file descriptors left open after %d closed TLS sessions", SESSIONS)
          .isLessThan(SESSIONS / 4);
    }
  }
}
