package io.github.mtasts4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.testing.FakeClock;
import io.github.mtasts4j.testing.LoopbackDnsServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code _smtp._tls} discovery (RPT-1..6) through the library's real DNS client on loopback. */
class TlsRptLookupTest {
  private static final DomainName EXAMPLE = DomainName.of("example.test");

  private final LoopbackDnsServer server = LoopbackDnsServer.start();
  private final DnsClient dns = DnsClient.servers(List.of(server.address()), Duration.ofMillis(500));

  @AfterEach
  void stop() {
    server.close();
  }

  private static List<URI> rua(TlsRptLookup result) {
    assertThat(result).isInstanceOf(TlsRptLookup.Published.class);
    return ((TlsRptLookup.Published) result).record().rua();
  }

  @Test
  void lookup_recordNameIsCnamedToAProvider_followed() {
    server.cname("_smtp._tls.example.test", "_smtp._tls.reports.provider.test");
    server.txt("_smtp._tls.reports.provider.test", "v=TLSRPTv1;rua=mailto:tlsrpt@provider.test");
    TlsRptLookup result = TlsRptLookup.lookup(dns, EXAMPLE);
    assertThat(rua(result)).containsExactly(URI.create("mailto:tlsrpt@provider.test"));
    assertThat(result.domain()).isEqualTo(EXAMPLE);
    assertThat(server.queries()).first().satisfies(q -> assertThat(q.is("_smtp._tls.example.test", "TXT")).isTrue());
  }

  @Test
  void lookup_multiStringRecord_joinedWithNothingBetween() { // RPT-6
    // split inside the version and inside both URIs: a space or a lost string breaks the record
    server.txt("_smtp._tls.example.test",
        "v=TLSRPT", "v1;rua=mailto:r", "@example.test,https://r.exa", "mple.test/tlsrpt");
    assertThat(rua(TlsRptLookup.lookup(dns, EXAMPLE))).containsExactly(
        URI.create("mailto:r@example.test"), URI.create("https://r.example.test/tlsrpt"));
  }

  @Test
  void lookup_cnameToMultiStringRecord_parses() {
    server.cname("_smtp._tls.example.test", "tlsrpt.provider.test");
    server.txt("tlsrpt.provider.test", "v=TLSRPTv1;", "rua=https://reports.provider.test/", "v1");
    assertThat(rua(TlsRptLookup.lookup(dns, EXAMPLE)))
        .containsExactly(URI.create("https://reports.provider.test/v1"));
  }

  @Test
  void lookup_uLabelPolicyDomain_asksTheALabelName() {
    server.txt("_smtp._tls.xn--bcher-kva.test", "v=TLSRPTv1;rua=mailto:r@xn--bcher-kva.test");
    assertThat(rua(TlsRptLookup.lookup(dns, DomainName.of("bücher.test"))))
        .containsExactly(URI.create("mailto:r@xn--bcher-kva.test"));
  }

  @Test
  void lookup_servfail_failedNotNotPublished() {
    server.servfail("_smtp._tls.example.test");
    assertThat(TlsRptLookup.lookup(dns, EXAMPLE)).isInstanceOfSatisfying(TlsRptLookup.Failed.class,
        f -> assertThat(f.detail()).contains("SERVFAIL"));
  }

  @Test
  void lookup_nxdomain_notPublished() {
    server.txt("other.test", "v=TLSRPTv1;rua=mailto:r@other.test");
    assertThat(TlsRptLookup.lookup(dns, EXAMPLE)).isInstanceOf(TlsRptLookup.NotPublished.class);
  }

  @Test
  void reporter_cnamedMultiStringRecord_destinationsTakenFromIt(@TempDir Path state) {
    server.cname("_smtp._tls.example.test", "tlsrpt.provider.test");
    server.txt("tlsrpt.provider.test", "v=TLSRPTv1;rua=https://nowhere.prov", "ider.test/tlsrpt");
    LocalDate day = LocalDate.parse("2026-03-10");
    TlsReporter reporter =
        TlsReporter.newBuilder()
            .organizationName("Sender Org")
            .contactInfo("tlsrpt@sender.example")
            .stateDirectory(state)
            .clock(FakeClock.at(Instant.parse("2026-03-10T12:00:00Z")))
            .dnsClient(dns)
            .timeout(Duration.ofSeconds(2))
            .build();
    try {
      reporter.record(SessionResult.success(EXAMPLE, null, DomainName.of("mx.example.test"), null, null,
          Instant.parse("2026-03-10T09:00:00Z")));
      // the report host does not resolve, so the attempt fails, but the destination is the record's
      assertThat(reporter.sendNow(day)).singleElement().satisfies(d -> {
        assertThat(d.destination()).isEqualTo(URI.create("https://nowhere.provider.test/tlsrpt"));
        assertThat(d.state()).isEqualTo(Delivery.State.PENDING);
      });
    } finally {
      reporter.close();
    }
  }
}
