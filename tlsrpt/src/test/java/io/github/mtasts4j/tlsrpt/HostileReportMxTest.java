package io.github.mtasts4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.testing.FakeClock;
import io.github.mtasts4j.testing.ScriptedServer;
import io.github.mtasts4j.testing.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report recipient's MX that accepts TCP and then misbehaves in its greeting. Each reply must
 * stay bounded in size, the whole session in time, and the attempt must fail and be retried,
 * never hold the reporter.
 */
class HostileReportMxTest {
  private static final LocalDate DAY = LocalDate.parse("2026-06-02");
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static RSAPrivateKey dkimKey;

  @TempDir Path state;
  private ScriptedServer mx;

  @BeforeAll
  static void generateKey() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    dkimKey = (RSAPrivateKey) gen.generateKeyPair().getPrivate();
  }

  @AfterEach
  void close() {
    if (mx != null) {
      mx.close();
    }
  }

  private interface Behaviour {
    void run(OutputStream out) throws IOException, InterruptedException;
  }

  private void startMx(Behaviour behaviour) {
    mx =
        ScriptedServer.on(InetAddress.getLoopbackAddress())
            .start(s -> behaviour.run(s.getOutputStream()));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Records one session for receiver.example and mails its report now, within {@link #BOUND}. */
  private Delivery sendReport(Duration deliveryDeadline) throws Exception {
    MapDns dns =
        new MapDns()
            .txt("_smtp._tls.receiver.example", "v=TLSRPTv1;rua=mailto:tlsrpt@receiver.example")
            .mx("receiver.example", "mx.receiver.example")
            .address("mx.receiver.example", InetAddress.getLoopbackAddress());
    FakeClock clock = FakeClock.at(Instant.parse("2026-06-02T10:00:00Z"));
    TlsReporter r =
        TlsReporter.newBuilder()
            .organizationName("Sender Org")
            .contactInfo("tlsrpt@sender.example")
            .stateDirectory(state)
            .clock(clock)
            .dnsClient(dns)
            .sslContext(TestPki.create("unused CA").clientSslContext())
            .dkim(new DkimKey(new DomainName("sender.example"), "tlsrpt", dkimKey))
            .smtpPort(mx.port())
            .timeout(Duration.ofSeconds(30)) // every read gets bytes in time: only the bounds help
            .deliveryDeadline(deliveryDeadline)
            .build();
    r.record(SessionResult.success(new DomainName("receiver.example"), null,
        new DomainName("mx.receiver.example"), null, null, clock.instant()));
    CompletableFuture<List<Delivery>> sent = CompletableFuture.supplyAsync(() -> r.sendNow(DAY));
    try {
      List<Delivery> deliveries = sent.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(deliveries).hasSize(1);
      return deliveries.get(0);
    } finally {
      mx.close(); // unblocks a session stuck on the MX, so the test ends anyway
      r.close();
    }
  }

  private static void assertFailedAndRetried(Delivery d) {
    assertThat(d.state()).isEqualTo(Delivery.State.PENDING);
    assertThat(d.attempts()).isEqualTo(1);
    assertThat(d.detail()).contains("mx.receiver.example").doesNotContain("\n");
  }

  @Test
  void greetingDribbledFasterThanReadTimeout_sessionEndsAtDeliveryDeadline() throws Exception {
    startMx(
        out -> {
          while (true) {
            out.write(ascii("220-still here\r\n"));
            out.flush();
            Thread.sleep(100); // the hostile MX's pace, well inside the read timeout
          }
        });

    Delivery d = sendReport(Duration.ofSeconds(1));

    assertFailedAndRetried(d);
    assertThat(d.detail()).contains("did not complete within 1000 ms");
  }

  @Test
  void endlessGreetingLine_sessionAbandoned() throws Exception {
    startMx(
        out -> {
          out.write(ascii("220 "));
          byte[] junk = new byte[64 * 1024];
          Arrays.fill(junk, (byte) 'a');
          while (true) {
            out.write(junk); // no line end, ever
          }
        });

    Delivery d = sendReport(Duration.ofMinutes(5));

    assertFailedAndRetried(d);
    assertThat(d.detail()).contains("longer than").contains("bytes");
  }

  @Test
  void endlessMultilineGreeting_sessionAbandoned() throws Exception {
    startMx(
        out -> {
          byte[] lines = ascii("220-hello\r\n".repeat(4096));
          while (true) {
            out.write(lines); // a continuation line after another, never a last line
          }
        });

    Delivery d = sendReport(Duration.ofMinutes(5));

    assertFailedAndRetried(d);
    assertThat(d.detail()).contains("longer than").contains("bytes");
  }
}
