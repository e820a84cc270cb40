package io.github.mtasts4j.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.testing.LoopbackMx;
import io.github.mtasts4j.testing.ScriptedServer;
import io.github.mtasts4j.testing.ServerIdentity;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An MX that answers DATA with 354 and then stops reading. Once the socket buffers are full, every
 * write blocks, and a socket read timeout does not bound a write: the sender must give the write
 * up on its own and try the next MX.
 */
class StalledDataMxTest {
  /** Also bounds the good MX's replies, so it leaves room for a loaded machine. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration BOUND = Duration.ofSeconds(20);

  private final MailWorld world = new MailWorld(2);
  private @Nullable ScriptedServer stalling;

  @AfterEach
  void close() {
    if (stalling != null) {
      stalling.close();
    }
    world.close();
  }

  @Test
  void noPolicy_mxStopsReadingAfter354_writeAbandonedAndNextMxDelivers() throws Exception {
    LoopbackMx good = stallingThenGood("plainstall.test", null);

    DeliveryReport r = deliverWithinBound("bob@plainstall.test");

    assertStalledThenDelivered(r, good);
  }

  @Test
  void enforce_mxStopsReadingAfter354OverVerifiedTls_writeAbandonedAndNextMxDelivers()
      throws Exception {
    LoopbackMx good =
        stallingThenGood("tlsstall.test", MailWorld.PKI.issue("mx1.tlsstall.test"));
    world.policy("tlsstall.test", "1", "enforce", "*.tlsstall.test");

    DeliveryReport r = deliverWithinBound("bob@tlsstall.test");

    assertStalledThenDelivered(r, good);
    assertThat(r.attempts().get(0).tls()).isEqualTo(TlsState.VERIFIED);
  }

  private static void assertStalledThenDelivered(DeliveryReport r, LoopbackMx good) {
    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(r.attempts()).hasSize(2);
    assertThat(r.attempts().get(0).mx().value()).startsWith("mx1.");
    assertThat(r.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.FAILED);
    assertThat(r.attempts().get(0).detail()).contains("accepted no data for 3000 ms");
    assertThat(r.attempts().get(1).outcome()).isEqualTo(Attempt.Outcome.DELIVERED);
    assertThat(good.messages()).hasSize(1);
  }

  private DeliveryReport deliverWithinBound(String rcpt) throws Exception {
    MimeMessage big = MailWorld.message(rcpt);
    // Far more than loopback socket buffers can hold, so the sender's writes block.
    big.setText(("x".repeat(998) + "\r\n").repeat(16 * 1024));
    big.saveChanges();
    DirectDelivery delivery = world.direct().readTimeout(READ_TIMEOUT).build();
    CompletableFuture<List<DeliveryReport>> future =
        CompletableFuture.supplyAsync(() -> delivery.deliver(big));
    try {
      List<DeliveryReport> reports = future.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(reports).hasSize(1);
      return reports.get(0);
    } finally {
      stalling.close(); // unblocks a delivery stuck on the stalling MX, so the test ends anyway
    }
  }

  /**
   * mx1 (preference 10) stops reading after 354, with STARTTLS when it has an identity; mx2
   * (preference 20) is a good STARTTLS receiver.
   */
  private LoopbackMx stallingThenGood(String domain, @Nullable ServerIdentity identity) {
    stalling =
        ScriptedServer.on(world.address("mx1." + domain))
            .port(world.port())
            .receiveBufferSize(4096)
            .start(s -> serveUntilDataThenStall(s, identity));
    LoopbackMx good = world.starttls("mx2." + domain, MailWorld.PKI.issue("mx2." + domain));
    world.mx(domain, 10, "mx1." + domain);
    world.mx(domain, 20, "mx2." + domain);
    return good;
  }

  private static void serveUntilDataThenStall(Socket s, @Nullable ServerIdentity identity)
      throws IOException, InterruptedException {
    Socket conn = s;
    reply(conn, "220 stall.test ESMTP");
    BufferedReader in = reader(conn);
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String verb = line.split("[ :]", 2)[0].toUpperCase(Locale.ROOT);
      switch (verb) {
        case "EHLO" -> reply(conn, identity != null ? "250-stall.test\r\n250 STARTTLS" : "250 stall");
        case "STARTTLS" -> {
          reply(conn, "220 go ahead");
          SSLSocket tls =
              (SSLSocket)
                  identity
                      .serverSslContext()
                      .getSocketFactory()
                      .createSocket(conn, null, conn.getPort(), true);
          tls.setUseClientMode(false);
          tls.startHandshake();
          conn = tls;
          in = reader(conn);
        }
        case "DATA" -> {
          reply(conn, "354 go ahead");
          ScriptedServer.awaitClose(); // and never read again
          return;
        }
        default -> reply(conn, "250 ok");
      }
    }
  }

  private static BufferedReader reader(Socket s) throws IOException {
    return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
  }

  private static void reply(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
