package io.github.mtasts4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.spi.DnsAnswer;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.spi.MxHost;
import io.github.mtasts4j.testing.LoopbackDnsServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DnsjavaClientTest {
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  private final LoopbackDnsServer server = LoopbackDnsServer.start();
  private final DnsClient dns = DnsClient.servers(List.of(server.address()), TIMEOUT);

  @AfterEach
  void stop() {
    server.close();
  }

  private static DomainName n(String name) {
    return DomainName.of(name);
  }

  @Test
  void txt_multiStringRecord_joinedWithNothingBetween() {
    server.txt("_mta-sts.example.test", 600, "v=STSv1; ", "id=2024", "0101");
    DnsAnswer<String> answer = dns.txt(n("_mta-sts.example.test"));
    assertThat(answer).isInstanceOfSatisfying(DnsAnswer.Found.class, f -> {
      assertThat(f.records()).containsExactly("v=STSv1; id=20240101");
      assertThat(f.ttl()).isEqualTo(Duration.ofSeconds(600));
    });
  }

  @Test
  void txt_quotesAndBackslashes_notEscaped() {
    server.txt("q.example.test", "a\"b\\c");
    assertThat(dns.txt(n("q.example.test")))
        .isEqualTo(new DnsAnswer.Found<>(List.of("a\"b\\c"), Duration.ofSeconds(300)));
  }

  @Test
  void txt_severalRecords_allReturned() {
    server.txt("multi.example.test", "one");
    server.txt("multi.example.test", "two");
    assertThat(((DnsAnswer.Found<String>) dns.txt(n("multi.example.test"))).records())
        .containsExactlyInAnyOrder("one", "two");
  }

  @Test
  void txt_nxdomain_notFoundWithNxdomainFlag() {
    server.txt("other.example.test", "x");
    DnsAnswer<String> answer = dns.txt(n("missing.example.test"));
    assertThat(answer).isInstanceOfSatisfying(DnsAnswer.NotFound.class, nf -> {
      assertThat(nf.nxdomain()).isTrue();
      assertThat(nf.detail()).contains("missing.example.test");
    });
  }

  @Test
  void txt_nodata_notFoundWithoutNxdomainFlag() {
    server.a("host.example.test", "192.0.2.1");
    DnsAnswer<String> answer = dns.txt(n("host.example.test"));
    assertThat(answer).isInstanceOfSatisfying(DnsAnswer.NotFound.class, nf -> {
      assertThat(nf.nxdomain()).isFalse();
      assertThat(nf.detail()).contains("host.example.test", "TXT");
    });
  }

  @Test
  void txt_servfail_errorNamingNameTypeAndRcode() {
    server.servfail("_mta-sts.broken.test");
    DnsAnswer<String> answer = dns.txt(n("_mta-sts.broken.test"));
    assertThat(answer).isInstanceOfSatisfying(DnsAnswer.Error.class, e ->
        assertThat(e.detail()).contains("_mta-sts.broken.test", "TXT", "SERVFAIL")
            .doesNotContain("\n"));
  }

  @Test
  void txt_refused_error() {
    server.refuse("_mta-sts.refused.test");
    assertThat(dns.txt(n("_mta-sts.refused.test")))
        .isInstanceOfSatisfying(DnsAnswer.Error.class, e ->
            assertThat(e.detail()).contains("REFUSED"));
  }

  @Test
  void txt_blackholedServer_errorWithinBoundedTime() {
    server.blackhole("_mta-sts.slow.test");
    long start = System.nanoTime();
    DnsAnswer<String> answer = dns.txt(n("_mta-sts.slow.test"));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertThat(answer).isInstanceOfSatisfying(DnsAnswer.Error.class, e ->
        assertThat(e.detail()).contains("_mta-sts.slow.test", "timed out"));
    // one server, two attempts of TIMEOUT each: well under 5 x TIMEOUT
    assertThat(elapsed).isLessThan(TIMEOUT.multipliedBy(5));
    assertThat(server.count("_mta-sts.slow.test", "TXT")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void txt_truncatedOverUdp_retriedOverTcp() {
    server.txt("_mta-sts.big.test", "v=STSv1; id=big");
    server.truncateOverUdp("_mta-sts.big.test");
    assertThat(dns.txt(n("_mta-sts.big.test")))
        .isEqualTo(new DnsAnswer.Found<>(List.of("v=STSv1; id=big"), Duration.ofSeconds(300)));
    assertThat(server.queries())
        .anySatisfy(q -> {
          assertThat(q.is("_mta-sts.big.test", "TXT")).isTrue();
          assertThat(q.transport()).isEqualTo("tcp");
        });
  }

  @Test
  void txt_cnameChain_followedAndTtlIsMinimumAlongChain() {
    server.cname("_mta-sts.a.test", "_mta-sts.b.test");
    server.cname("_mta-sts.b.test", "_mta-sts.c.test");
    server.cname("_mta-sts.c.test", "_mta-sts.provider.test");
    server.txt("_mta-sts.provider.test", 3600, "v=STSv1; id=chain");
    assertThat(dns.txt(n("_mta-sts.a.test")))
        .isEqualTo(new DnsAnswer.Found<>(List.of("v=STSv1; id=chain"), Duration.ofSeconds(300)));
  }

  @Test
  void txt_cnameToNodata_notFound() {
    server.cname("_mta-sts.a.test", "target.test");
    server.a("target.test", "192.0.2.7");
    assertThat(dns.txt(n("_mta-sts.a.test"))).isInstanceOfSatisfying(DnsAnswer.NotFound.class,
        nf -> assertThat(nf.nxdomain()).isFalse());
  }

  @Test
  void txt_cnameLoop_error() {
    server.cname("loop1.test", "loop2.test");
    server.cname("loop2.test", "loop1.test");
    assertThat(dns.txt(n("loop1.test"))).isInstanceOfSatisfying(DnsAnswer.Error.class,
        e -> assertThat(e.detail()).contains("loop1.test"));
  }

  @Test
  void mx_sortedByPreferenceStable() {
    server.mx("example.test", 20, "b.example.test");
    server.mx("example.test", 10, "a.example.test");
    server.mx("example.test", 20, "c.example.test");
    DnsAnswer<MxHost> answer = dns.mx(n("example.test"));
    assertThat(((DnsAnswer.Found<MxHost>) answer).records())
        .extracting(mx -> mx.host().value() + "/" + mx.preference())
        .containsExactly("a.example.test/10", "b.example.test/20", "c.example.test/20");
  }

  @Test
  void mx_trailingDotAndCaseNormalised() {
    server.mx("example.test", 5, "MX1.Example.TEST.");
    assertThat(((DnsAnswer.Found<MxHost>) dns.mx(n("example.test"))).records())
        .containsExactly(new MxHost(n("mx1.example.test"), 5));
  }

  @Test
  void mx_onlyNullMx_notFoundMarkedUnusableNamingNullMx() { // RFC 7505
    server.mx("nomail.test", 0, ".");
    assertThat(dns.mx(n("nomail.test"))).isInstanceOfSatisfying(DnsAnswer.NotFound.class, nf -> {
      assertThat(nf.nxdomain()).isFalse();
      assertThat(nf.unusable()).isTrue();
      assertThat(nf.detail()).contains("null MX").contains("nomail.test");
    });
  }

  @Test
  void mx_nullMxBesideRealMx_onlyTheRealHost() {
    server.mx("mixed.test", 0, ".");
    server.mx("mixed.test", 10, "mx.mixed.test");
    assertThat(((DnsAnswer.Found<MxHost>) dns.mx(n("mixed.test"))).records())
        .containsExactly(new MxHost(n("mx.mixed.test"), 10));
  }

  @Test
  void mx_onlyTargetsThatAreNoHostNames_notFoundMarkedUnusable() { // RFC 5321 §5.1
    server.mx("odd.test", 10, "-bad.odd.test");
    assertThat(dns.mx(n("odd.test"))).isInstanceOfSatisfying(DnsAnswer.NotFound.class, nf -> {
      assertThat(nf.nxdomain()).isFalse();
      assertThat(nf.unusable()).isTrue();
      assertThat(nf.detail()).contains("odd.test");
    });
  }

  @Test
  void mx_noMxRecord_notFoundNotUnusable() {
    server.a("plain.test", "127.0.0.1");
    assertThat(dns.mx(n("plain.test"))).isInstanceOfSatisfying(DnsAnswer.NotFound.class, nf -> {
      assertThat(nf.nxdomain()).isFalse();
      assertThat(nf.unusable()).isFalse();
    });
  }

  @Test
  void addresses_aAndAaaa_bothReturnedCarryingTheName() throws Exception {
    server.a("mta-sts.example.test", "127.0.0.1");
    server.aaaa("mta-sts.example.test", "::1");
    DnsAnswer<InetAddress> answer = dns.addresses(n("mta-sts.example.test"));
    List<InetAddress> records = ((DnsAnswer.Found<InetAddress>) answer).records();
    assertThat(records).containsExactlyInAnyOrder(
        InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"));
    assertThat(records).allSatisfy(a -> assertThat(a.getHostName()).isEqualTo(
        "mta-sts.example.test"));
  }

  @Test
  void addresses_viaCname_carryQueriedName() {
    server.cname("mta-sts.example.test", "web.provider.test");
    server.a("web.provider.test", "127.0.0.2");
    List<InetAddress> records =
        ((DnsAnswer.Found<InetAddress>) dns.addresses(n("mta-sts.example.test"))).records();
    assertThat(records).singleElement().satisfies(a -> {
      assertThat(a.getHostName()).isEqualTo("mta-sts.example.test");
      assertThat(a.getHostAddress()).isEqualTo("127.0.0.2");
    });
  }

  @Test
  void addresses_nxdomain_notFound() {
    server.a("something.test", "127.0.0.1");
    assertThat(dns.addresses(n("nothing.test"))).isInstanceOfSatisfying(DnsAnswer.NotFound.class,
        nf -> assertThat(nf.nxdomain()).isTrue());
  }

  @Test
  void addresses_servfail_error() {
    server.servfail("down.test");
    assertThat(dns.addresses(n("down.test"))).isInstanceOf(DnsAnswer.Error.class);
  }

  @Test
  void servers_nonPositiveTimeout_iae() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DnsClient.servers(List.of(server.address()), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DnsClient.servers(List.of(), TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void twoClients_doNotShareState() {
    LoopbackDnsServer second = LoopbackDnsServer.start();
    try {
      second.txt("name.test", "from-second");
      server.txt("name.test", "from-first");
      DnsClient other = DnsClient.servers(List.of(second.address()), TIMEOUT);
      assertThat(((DnsAnswer.Found<String>) other.txt(n("name.test"))).records())
          .containsExactly("from-second");
      assertThat(((DnsAnswer.Found<String>) dns.txt(n("name.test"))).records())
          .containsExactly("from-first");
    } finally {
      second.close();
    }
  }
}
