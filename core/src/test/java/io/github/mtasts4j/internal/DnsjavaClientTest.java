package io.github.mtasts4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.spi.DnsAnswer;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.spi.MxHost;
import io.github.mtasts4j.testing.LoopbackDnsServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DnsjavaClientTest {
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  private final LoopbackDnsServer server = LoopbackDnsServer.start();
  private final DnsClient dns = DnsClient.servers(List.of(server.address()), TIMEOUT);

  private BlackholeResolver blackhole;

  @AfterEach
  void stop() {
    server.close();
    if (blackhole != null) {
      blackhole.close();
    }
  }

  /** A UDP socket on loopback that counts the queries it receives and never answers one. */
  private static final class BlackholeResolver implements AutoCloseable {
    private final DatagramSocket socket;
    private final Semaphore received = new Semaphore(0);

    BlackholeResolver() throws SocketException {
      socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Thread t =
          new Thread(
              () -> {
                byte[] buffer = new byte[512];
                while (!socket.isClosed()) {
                  try {
                    socket.receive(new DatagramPacket(buffer, buffer.length));
                    received.release();
                  } catch (IOException closed) {
                    return;
                  }
                }
              },
              "blackhole-resolver");
      t.setDaemon(true);
      t.start();
    }

    InetSocketAddress address() {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Tells whether at least {@code n} queries arrive within {@code bound}. */
    boolean received(int n, Duration bound) throws InterruptedException {
      return received.tryAcquire(n, bound.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
      socket.close();
    }
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
  void txt_firstResolverBlackholed_secondAnswers() throws Exception {
    blackhole = new BlackholeResolver();
    server.txt("_mta-sts.failover.test", "v=STSv1; id=failover");
    DnsClient failover = DnsClient.servers(List.of(blackhole.address(), server.address()), TIMEOUT);
    long start = System.nanoTime();
    DnsAnswer<String> answer = failover.txt(n("_mta-sts.failover.test"));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertThat(answer)
        .isEqualTo(new DnsAnswer.Found<>(List.of("v=STSv1; id=failover"), Duration.ofSeconds(300)));
    // one wasted attempt at the dead resolver, then the good one answers at once
    assertThat(elapsed).isLessThan(TIMEOUT.multipliedBy(10));
    assertThat(blackhole.received(1, Duration.ofSeconds(2))).isTrue();
    assertThat(server.count("_mta-sts.failover.test", "TXT")).isEqualTo(1);
  }

  @Test
  void txt_singleBlackholedResolver_askedAgainThenErrorWithinBoundedTime() throws Exception {
    blackhole = new BlackholeResolver();
    DnsClient dead = DnsClient.servers(List.of(blackhole.address()), TIMEOUT);
    long start = System.nanoTime();
    DnsAnswer<String> answer = dead.txt(n("_mta-sts.dead.test"));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertThat(answer).isInstanceOfSatisfying(DnsAnswer.Error.class, e ->
        assertThat(e.detail()).contains("_mta-sts.dead.test", "timed out"));
    assertThat(elapsed).isLessThan(TIMEOUT.multipliedBy(12));
    assertThat(blackhole.received(2, Duration.ofSeconds(2))).as("queries at the dead resolver").isTrue();
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
