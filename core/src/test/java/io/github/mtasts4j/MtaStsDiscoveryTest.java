package io.github.mtasts4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mtasts4j.Resolution.NoPolicy.Reason;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.testing.FakeClock;
import io.github.mtasts4j.testing.LoopbackDnsServer;
import io.github.mtasts4j.testing.TestPki;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Discovery (RFC 8461 §3.1) and resolve() with a scripted fetcher. */
class MtaStsDiscoveryTest {
  private static final Duration DNS_TIMEOUT = Duration.ofMillis(300);
  private static final DomainName EXAMPLE = DomainName.of("example.test");
  private static final String POLICY =
      "version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 86400\n";

  private final LoopbackDnsServer dnsServer = LoopbackDnsServer.start();
  private final FakeClock clock = FakeClock.at(Instant.parse("2025-03-01T12:00:00Z"));
  private final AtomicInteger fetches = new AtomicInteger();
  private final MtaSts mtaSts =
      MtaSts.newBuilder()
          .dns(DnsClient.servers(List.of(dnsServer.address()), DNS_TIMEOUT))
          .trustAnchors(TrustAnchors.of(List.of(TestPki.create("unused").root())))
          .clock(clock)
          .fetcher(domain -> {
            fetches.incrementAndGet();
            return new FetchResult.Fetched(Policy.parse(POLICY), POLICY);
          })
          .build();

  @AfterEach
  void stop() {
    mtaSts.close();
    dnsServer.close();
  }

  @Test
  void discover_singleRecord_found() {
    dnsServer.txt("_mta-sts.example.test", 120, "v=STSv1; id=20250301T1200");
    Discovery d = mtaSts.discover(EXAMPLE);
    assertThat(d).isInstanceOfSatisfying(Discovery.Found.class, f -> {
      assertThat(f.record().id()).isEqualTo("20250301T1200");
      assertThat(f.ttl()).isEqualTo(Duration.ofSeconds(120));
      assertThat(f.domain()).isEqualTo(EXAMPLE);
    });
  }

  @Test
  void discover_junkRecordsMixedIn_theStsRecordIsFound() {
    dnsServer.txt("_mta-sts.example.test", "v=spf1 -all");
    dnsServer.txt("_mta-sts.example.test", "v=STSv1; id=abc123");
    dnsServer.txt("_mta-sts.example.test", "google-site-verification=xyz");
    dnsServer.txt("_mta-sts.example.test", "v=STSv10; id=other");
    assertThat(mtaSts.discover(EXAMPLE)).isInstanceOfSatisfying(Discovery.Found.class,
        f -> assertThat(f.record().id()).isEqualTo("abc123"));
  }

  @Test
  void discover_twoStsRecords_absentMultipleRecords() { // STS-8
    dnsServer.txt("_mta-sts.example.test", "v=STSv1; id=one");
    dnsServer.txt("_mta-sts.example.test", "v=STSv1; id=two");
    assertThat(mtaSts.discover(EXAMPLE)).isInstanceOfSatisfying(Discovery.Absent.class,
        a -> assertThat(a.reason()).isEqualTo(Reason.MULTIPLE_RECORDS));
  }

  @Test
  void discover_onlyJunk_absentNoRecord() {
    dnsServer.txt("_mta-sts.example.test", "v=spf1 -all");
    assertThat(mtaSts.discover(EXAMPLE)).isInstanceOfSatisfying(Discovery.Absent.class,
        a -> assertThat(a.reason()).isEqualTo(Reason.NO_RECORD));
  }

  @Test
  void discover_invalidRecord_absentInvalidRecordWithReason() { // STS-9
    dnsServer.txt("_mta-sts.example.test", "v=STSv1; id=bad-id!");
    assertThat(mtaSts.discover(EXAMPLE)).isInstanceOfSatisfying(Discovery.Absent.class, a -> {
      assertThat(a.reason()).isEqualTo(Reason.INVALID_RECORD);
      assertThat(a.detail()).contains("_mta-sts.example.test");
    });
  }

  @Test
  void discover_multiStringRecord_joinedBeforeParsing() { // STS-11
    dnsServer.txt("_mta-sts.example.test", "v=STSv1;", " id=", "split123");
    assertThat(mtaSts.discover(EXAMPLE)).isInstanceOfSatisfying(Discovery.Found.class,
        f -> assertThat(f.record().id()).isEqualTo("split123"));
  }

  @Test
  void discover_cnameToOtherDomain_followed() { // STS-12
    dnsServer.cname("_mta-sts.other.test", "_mta-sts.example.test");
    dnsServer.txt("_mta-sts.example.test", "v=STSv1; id=delegated");
    Discovery d = mtaSts.discover(DomainName.of("other.test"));
    assertThat(d).isInstanceOfSatisfying(Discovery.Found.class, f -> {
      assertThat(f.record().id()).isEqualTo("delegated");
      assertThat(f.domain()).isEqualTo(DomainName.of("other.test"));
    });
  }

  @Test
  void discover_threeStepCnameChain_followed() {
    dnsServer.cname("_mta-sts.a.test", "_mta-sts.b.test");
    dnsServer.cname("_mta-sts.b.test", "_mta-sts.c.test");
    dnsServer.cname("_mta-sts.c.test", "policy.provider.test");
    dnsServer.txt("policy.provider.test", 60, "v=STSv1; id=threestep");
    assertThat(mtaSts.discover(DomainName.of("a.test")))
        .isInstanceOfSatisfying(Discovery.Found.class, f -> {
          assertThat(f.record().id()).isEqualTo("threestep");
          assertThat(f.ttl()).isEqualTo(Duration.ofSeconds(60));
        });
  }

  @Test
  void discover_nxdomain_absentNoRecord() {
    dnsServer.txt("_mta-sts.unrelated.test", "v=STSv1; id=x");
    assertThat(mtaSts.discover(EXAMPLE)).isInstanceOfSatisfying(Discovery.Absent.class,
        a -> assertThat(a.reason()).isEqualTo(Reason.NO_RECORD));
  }

  @Test
  void discover_nodata_absentNoRecord() {
    dnsServer.a("_mta-sts.example.test", "192.0.2.1");
    assertThat(mtaSts.discover(EXAMPLE)).isInstanceOfSatisfying(Discovery.Absent.class,
        a -> assertThat(a.reason()).isEqualTo(Reason.NO_RECORD));
  }

  @Test
  void discover_servfail_dnsFailed() {
    dnsServer.servfail("_mta-sts.example.test");
    assertThat(mtaSts.discover(EXAMPLE)).isInstanceOfSatisfying(Discovery.DnsFailed.class,
        f -> assertThat(f.detail()).contains("_mta-sts.example.test", "SERVFAIL"));
  }

  @Test
  void discover_serverNeverAnswers_dnsFailedWithinBoundedTime() {
    dnsServer.blackhole("_mta-sts.example.test");
    long start = System.nanoTime();
    Discovery d = mtaSts.discover(EXAMPLE);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertThat(d).isInstanceOf(Discovery.DnsFailed.class);
    assertThat(elapsed).isLessThan(DNS_TIMEOUT.multipliedBy(5));
  }

  @Test
  void discover_truncatedUdpAnswer_retriedOverTcp() {
    dnsServer.txt("_mta-sts.example.test", "v=STSv1; id=overtcp");
    dnsServer.truncateOverUdp("_mta-sts.example.test");
    assertThat(mtaSts.discover(EXAMPLE)).isInstanceOfSatisfying(Discovery.Found.class,
        f -> assertThat(f.record().id()).isEqualTo("overtcp"));
    assertThat(dnsServer.queries()).anySatisfy(q -> {
      assertThat(q.is("_mta-sts.example.test", "TXT")).isTrue();
      assertThat(q.transport()).isEqualTo("tcp");
    });
  }

  @Test
  void discover_subdomain_neverQueriesParent() { // STS-32
    dnsServer.txt("_mta-sts.example.test", "v=STSv1; id=parent");
    Discovery d = mtaSts.discover(DomainName.of("mail.example.test"));
    assertThat(d).isInstanceOf(Discovery.Absent.class);
    assertThat(dnsServer.count("_mta-sts.example.test", "TXT")).isZero();
    assertThat(dnsServer.count("_mta-sts.mail.example.test", "TXT")).isEqualTo(1);
  }

  @Test
  void resolve_recordAndPolicy_activeFetchedAtClockTime() {
    dnsServer.txt("_mta-sts.example.test", "v=STSv1; id=live1");
    Resolution r = mtaSts.resolve(EXAMPLE);
    assertThat(r).isInstanceOfSatisfying(Resolution.Active.class, a -> {
      assertThat(a.policyId()).isEqualTo("live1");
      assertThat(a.source()).isEqualTo(Source.FETCHED);
      assertThat(a.fetchedAt()).isEqualTo(clock.instant());
      assertThat(a.policy().mode()).isEqualTo(Mode.ENFORCE);
      assertThat(a.fallbackCause()).isNull();
    });
  }

  @Test
  void resolve_uLabelDomain_queriesAndFetchesTheALabelName() { // STS-1, IDN
    dnsServer.txt("_mta-sts.xn--bcher-kva.test", "v=STSv1; id=idn1");
    List<DomainName> fetched = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (MtaSts idn =
        MtaSts.newBuilder()
            .dns(DnsClient.servers(List.of(dnsServer.address()), DNS_TIMEOUT))
            .trustAnchors(TrustAnchors.of(List.of(TestPki.create("unused").root())))
            .clock(clock)
            .fetcher(domain -> {
              fetched.add(domain);
              return new FetchResult.Fetched(Policy.parse(POLICY), POLICY);
            })
            .build()) {
      Resolution r = idn.resolve(DomainName.of("bücher.test"));
      assertThat(r).isInstanceOfSatisfying(Resolution.Active.class,
          a -> assertThat(a.policyId()).isEqualTo("idn1"));
    }
    assertThat(dnsServer.queries()).filteredOn(q -> q.type().equals("TXT"))
        .extracting(LoopbackDnsServer.Query::name)
        .containsExactly("_mta-sts.xn--bcher-kva.test.");
    assertThat(fetched).containsExactly(new DomainName("xn--bcher-kva.test"));
  }

  @Test
  void resolve_noRecord_noPolicyAndNoFetch() {
    dnsServer.txt("_mta-sts.unrelated.test", "v=STSv1; id=x");
    assertThat(mtaSts.resolve(EXAMPLE)).isInstanceOfSatisfying(Resolution.NoPolicy.class,
        n -> assertThat(n.reason()).isEqualTo(Reason.NO_RECORD));
    assertThat(fetches).hasValue(0);
  }

  @Test
  void resolve_dnsFailure_noPolicyDnsFailure() {
    dnsServer.servfail("_mta-sts.example.test");
    assertThat(mtaSts.resolve(EXAMPLE)).isInstanceOfSatisfying(Resolution.NoPolicy.class,
        n -> assertThat(n.reason()).isEqualTo(Reason.DNS_FAILURE));
    assertThat(fetches).hasValue(0);
  }

  @Test
  void resolve_fetchFails_failedWithRecordId() {
    dnsServer.txt("_mta-sts.example.test", "v=STSv1; id=idwhenfailing");
    Failure failure = new Failure(ResultType.STS_POLICY_FETCH_ERROR, "HTTP 404");
    try (MtaSts failing =
        MtaSts.newBuilder()
            .dns(DnsClient.servers(List.of(dnsServer.address()), DNS_TIMEOUT))
            .trustAnchors(TrustAnchors.of(List.of(TestPki.create("unused").root())))
            .clock(clock)
            .fetcher(domain -> new FetchResult.FetchFailed(failure))
            .build()) {
      assertThat(failing.resolve(EXAMPLE))
          .isEqualTo(new Resolution.Failed(EXAMPLE, "idwhenfailing", failure));
    }
  }

  @Test
  void builder_invalidSettings_rejectedAtOnce() {
    MtaSts.Builder b = MtaSts.newBuilder();
    assertThatThrownBy(() -> b.connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.readTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.totalTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.policyPort(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.policyPort(65536)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.dns(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.clock(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void builder_customFetcherWithTimeouts_illegalState() {
    MtaSts.Builder b =
        MtaSts.newBuilder()
            .dns(DnsClient.servers(List.of(dnsServer.address()), DNS_TIMEOUT))
            .fetcher(d -> new FetchResult.FetchFailed(
                new Failure(ResultType.STS_POLICY_FETCH_ERROR, "x")))
            .totalTimeout(Duration.ofSeconds(5));
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
  }
}
