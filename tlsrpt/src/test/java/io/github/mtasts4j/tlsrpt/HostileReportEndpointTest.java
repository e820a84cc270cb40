package io.github.mtasts4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.testing.FakeClock;
import io.github.mtasts4j.testing.ScriptedServer;
import io.github.mtasts4j.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code https:} report endpoint that accepts the POST and then misbehaves while answering.
 * Each POST must end within the delivery deadline (or sooner) and count as a failed, retried
 * attempt, never hold the reporter.
 */
class HostileReportEndpointTest {
  private static final LocalDate DAY = LocalDate.parse("2026-05-01");
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final TestPki PKI = TestPki.create("tlsrpt hostile endpoint CA");

  @TempDir Path state;
  private final CompletableFuture<IOException> serverStopped = new CompletableFuture<>();
  private ScriptedServer endpoint;

  @AfterEach
  void close() {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  private interface Behaviour {
    void answer(OutputStream out) throws IOException, InterruptedException;
  }

  /** Starts an HTTPS endpoint for reports.example that reads one request, then behaves as told. */
  private void startEndpoint(Behaviour behaviour) {
    endpoint =
        ScriptedServer.on(InetAddress.getLoopbackAddress())
            .tls(PKI.issue("reports.example").serverSslContext())
            .start(
                s -> {
                  try {
                    readRequest(s.getInputStream());
                    behaviour.answer(s.getOutputStream());
                  } catch (IOException e) {
                    serverStopped.complete(e); // the client hung up, or the test is over
                    throw e;
                  }
                });
  }

  private static void readRequest(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("request ended early");
      }
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    in.readNBytes(length);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Records one session for alpha.example and sends its report now, within {@link #BOUND}. */
  private Delivery sendReport(Duration deliveryDeadline) throws Exception {
    MapDns dns =
        new MapDns()
            .txt("_smtp._tls.alpha.example",
                "v=TLSRPTv1; rua=https://reports.example:" + endpoint.port() + "/tlsrpt")
            .address("reports.example", InetAddress.getLoopbackAddress());
    FakeClock clock = FakeClock.at(Instant.parse("2026-05-01T10:00:00Z"));
    TlsReporter r =
        TlsReporter.newBuilder()
            .organizationName("Sender Org")
            .contactInfo("tlsrpt@sender.example")
            .stateDirectory(state)
            .clock(clock)
            .dnsClient(dns)
            .sslContext(PKI.clientSslContext())
            .timeout(Duration.ofSeconds(30)) // every read gets bytes in time: only the deadline helps
            .deliveryDeadline(deliveryDeadline)
            .build();
    r.record(SessionResult.success(new DomainName("alpha.example"), null,
        new DomainName("mx.alpha.example"), null, null, clock.instant()));
    CompletableFuture<List<Delivery>> sent = CompletableFuture.supplyAsync(() -> r.sendNow(DAY));
    try {
      List<Delivery> deliveries = sent.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(deliveries).hasSize(1);
      return deliveries.get(0);
    } finally {
      // The endpoint stays open until the test ends: closing it here would drop its connection,
      // and serverStopped would no longer prove that the sender hung up.
      r.close();
    }
  }

  @Test
  void post_responseHeadDripped_failsAtDeliveryDeadline_andIsRetried() throws Exception {
    startEndpoint(
        out -> {
          out.write(ascii("HTTP/1.1 200 OK\r\n"));
          while (true) {
            out.write(ascii("X-Still-Here: yes\r\n")); // never the empty line that ends the head
            out.flush();
            Thread.sleep(100); // the hostile endpoint's pace, well inside the read timeout
          }
        });

    Delivery d = sendReport(Duration.ofSeconds(1));

    assertThat(d.state()).isEqualTo(Delivery.State.PENDING);
    assertThat(d.attempts()).isEqualTo(1);
    assertThat(d.detail())
        .contains("https://reports.example:" + endpoint.port() + "/tlsrpt")
        .contains("did not complete within 1000 ms")
        .doesNotContain("\n");
  }

  @Test
  void post_endlessResponseBody_deliveredWithoutReadingTheBody() throws Exception {
    startEndpoint(
        out -> {
          out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
          byte[] chunk = ascii("4000\r\n" + "a".repeat(0x4000) + "\r\n");
          while (true) {
            out.write(chunk); // the last chunk never comes
          }
        });

    Delivery d = sendReport(Duration.ofMinutes(5));

    assertThat(d.state()).isEqualTo(Delivery.State.DELIVERED);
    // the sender hung up on the body instead of reading it to its end
    assertThat(serverStopped.get(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isNotNull();
  }
}
