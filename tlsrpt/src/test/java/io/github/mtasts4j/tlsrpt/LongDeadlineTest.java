package io.github.mtasts4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.testing.FakeClock;
import io.github.mtasts4j.testing.TestPki;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A "practically endless" deliveryDeadline, past the 292 years a long holds in nanoseconds, still
 * gives a failed POST its typed result (pending, to be retried), not an ArithmeticException.
 */
class LongDeadlineTest {
  @TempDir Path state;

  @Test
  void veryLongDeliveryDeadline_failedPostIsAPendingDelivery_notAnArithmeticException()
      throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    MapDns dns = new MapDns()
        .txt("_smtp._tls.alpha.example",
            "v=TLSRPTv1; rua=https://reports.example:" + closedPort + "/tlsrpt")
        .address("reports.example", InetAddress.getLoopbackAddress());
    FakeClock clock = FakeClock.at(Instant.parse("2026-05-01T10:00:00Z"));
    try (TlsReporter r = TlsReporter.newBuilder()
        .organizationName("Sender Org")
        .contactInfo("tlsrpt@sender.example")
        .stateDirectory(state)
        .clock(clock)
        .dnsClient(dns)
        .sslContext(TestPki.create("unused").clientSslContext())
        .deliveryDeadline(Duration.ofDays(365L * 1000)) // "practically no deadline"
        .build()) {
      r.record(SessionResult.success(new DomainName("alpha.example"), null,
          new DomainName("mx.alpha.example"), null, null, clock.instant()));
      List<Delivery> d = r.sendNow(LocalDate.parse("2026-05-01"));
      assertThat(d).singleElement().extracting(Delivery::state)
          .isEqualTo(Delivery.State.PENDING);
    }
  }
}
