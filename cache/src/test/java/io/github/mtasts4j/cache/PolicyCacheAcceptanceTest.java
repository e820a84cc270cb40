package io.github.mtasts4j.cache;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.MtaSts;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.Resolution.NoPolicy.Reason;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.Source;
import io.github.mtasts4j.TrustAnchors;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.testing.FakeClock;
import io.github.mtasts4j.testing.LoopbackDnsServer;
import io.github.mtasts4j.testing.PolicyServer;
import io.github.mtasts4j.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision table D1–D11 (rfc-checklist §1.5) and issue #3's acceptance tests, against the real
 * {@link MtaSts} talking to a loopback DNS server and loopback HTTPS policy hosts. Every count is
 * taken at the servers.
 */
class PolicyCacheAcceptanceTest {
  private static final TestPki PKI = TestPki.create("mtasts4j cache test CA");
  private static final String X_BODY =
      "version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 86400\n";
  private static final String Y_BODY =
      "version: STSv1\nmode: enforce\nmx: mx2.example.test\nmax_age: 86400\n";

  /** Served with status 200 and parsed, but {@code mode} has no valid value. */
  private static final String INVALID_BODY =
      "version: STSv1\nmode: sometimes\nmx: mx.example.test\nmax_age: 86400\n";

  private final LoopbackDnsServer dns = LoopbackDnsServer.start();
  private final PolicyServer https = PolicyServer.start();
  // Starts at the real time: the fetcher checks certificate validity against this clock.
  private final FakeClock clock =
      FakeClock.at(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  private final MtaSts mtaSts =
      MtaSts.newBuilder()
          .dns(DnsClient.servers(List.of(dns.address()), Duration.ofMillis(500)))
          .trustAnchors(TrustAnchors.of(List.of(PKI.root())))
          .clock(clock)
          .policyPort(https.port())
          .connectTimeout(Duration.ofSeconds(2))
          .readTimeout(Duration.ofSeconds(2))
          .totalTimeout(Duration.ofSeconds(2))
          .build();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<Runnable> refreshQueue = new CopyOnWriteArrayList<>();
  private final ManualScheduler sweeper = new ManualScheduler();

  @TempDir Path stateDir;

  @AfterEach
  void stop() {
    mtaSts.close();
    https.close();
    dns.close();
  }

  private PolicyCache.Builder builder() {
    return PolicyCache.newBuilder(mtaSts)
        .clock(clock)
        .ticker(clock)
        .refreshJitter(0)
        .refreshSweep(sweeper, Duration.ofMinutes(15))
        .refreshExecutor(refreshQueue::add)
        .listener(
            new CacheListener() {
              @Override
              public void policyChanged(DomainName domain, String oldId, String newId) {
                events.add("changed " + domain + " " + oldId + "->" + newId);
              }

              @Override
              public void fetchFailed(
                  DomainName domain, String id, io.github.mtasts4j.Failure failure) {
                events.add("fetchFailed " + domain + " " + id + " " + failure.type());
              }

              @Override
              public void refreshed(DomainName domain, String id) {
                events.add("refreshed " + domain + " " + id);
              }
            });
  }

  /** Publishes a policy domain: TXT id, policy host address, certificate and body. */
  private DomainName publish(String domain, String id, String body) {
    String host = "mta-sts." + domain;
    dns.txt("_mta-sts." + domain, 60, "v=STSv1; id=" + id);
    dns.a(host, "127.0.0.1");
    https.identity(host, PKI.issue(host));
    https.policy(host, body);
    return DomainName.of(domain);
  }

  private void setTxt(String domain, String id) {
    dns.remove("_mta-sts." + domain, "TXT");
    dns.txt("_mta-sts." + domain, 60, "v=STSv1; id=" + id);
  }

  private long txtQueries(String domain) {
    return dns.count("_mta-sts." + domain, "TXT");
  }

  private long gets(String domain) {
    return https.requestCount("mta-sts." + domain);
  }

  private static Resolution.Active active(Resolution r) {
    assertThat(r).isInstanceOf(Resolution.Active.class);
    return (Resolution.Active) r;
  }

  // ------------------------------------------------------------------------------ D1..D11

  @Test
  void d1_noCache_noOrBadRecord_noPolicyAndNoFetch() {
    dns.txt("_mta-sts.two.test", "v=STSv1; id=a");
    dns.txt("_mta-sts.two.test", "v=STSv1; id=b");
    dns.txt("_mta-sts.bad.test", "v=STSv1; id=not-valid!");
    PolicyCache cache = builder().build();

    assertThat(cache.resolve(DomainName.of("none.test")))
        .isInstanceOfSatisfying(Resolution.NoPolicy.class,
            n -> assertThat(n.reason()).isEqualTo(Reason.NO_RECORD));
    assertThat(cache.resolve(DomainName.of("two.test")))
        .isInstanceOfSatisfying(Resolution.NoPolicy.class,
            n -> assertThat(n.reason()).isEqualTo(Reason.MULTIPLE_RECORDS));
    assertThat(cache.resolve(DomainName.of("bad.test")))
        .isInstanceOfSatisfying(Resolution.NoPolicy.class,
            n -> assertThat(n.reason()).isEqualTo(Reason.INVALID_RECORD));
    assertThat(https.wireMock().getAllServeEvents()).isEmpty();
  }

  @Test
  void d2_noCache_txtX_fetchOk_cachesAndAppliesX() {
    DomainName d = publish("example.test", "x1", X_BODY);
    PolicyCache cache = builder().build();

    Resolution.Active first = active(cache.resolve(d));
    Resolution.Active second = active(cache.resolve(d));

    assertThat(first.source()).isEqualTo(Source.FETCHED);
    assertThat(first.policyId()).isEqualTo("x1");
    assertThat(first.policy().mode()).isEqualTo(Mode.ENFORCE);
    assertThat(second.source()).isEqualTo(Source.CACHE);
    assertThat(second.policy()).isEqualTo(first.policy());
    assertThat(txtQueries("example.test")).isEqualTo(1);
    assertThat(gets("example.test")).isEqualTo(1);
  }

  @Test
  void d3_noCache_txtX_fetchFails_failedAndNoRefetchForFiveMinutes() {
    DomainName d = publish("example.test", "x1", X_BODY);
    https.removePolicy("mta-sts.example.test"); // 404
    PolicyCache cache = builder().build();

    Resolution r = cache.resolve(d);
    assertThat(r).isInstanceOfSatisfying(Resolution.Failed.class, f -> {
      assertThat(f.policyId()).isEqualTo("x1");
      assertThat(f.failure().type()).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
    });
    clock.advance(Duration.ofMinutes(4));
    https.policy("mta-sts.example.test", X_BODY);
    assertThat(cache.resolve(d)).isInstanceOf(Resolution.Failed.class);
    assertThat(gets("example.test")).isEqualTo(1);
    assertThat(txtQueries("example.test")).isEqualTo(2);

    clock.advance(Duration.ofMinutes(1));
    assertThat(active(cache.resolve(d)).source()).isEqualTo(Source.FETCHED);
    assertThat(gets("example.test")).isEqualTo(2);
    assertThat(events).contains("fetchFailed example.test x1 sts-policy-fetch-error");
  }

  @Test
  void d3_noCache_txtX_policyInvalid_failedAndNoRefetchForFiveMinutes() {
    DomainName d = publish("example.test", "x1", INVALID_BODY);
    PolicyCache cache = builder().build();

    Resolution r = cache.resolve(d);
    assertThat(r).isInstanceOfSatisfying(Resolution.Failed.class, f -> {
      assertThat(f.policyId()).isEqualTo("x1");
      assertThat(f.failure().type()).isEqualTo(ResultType.STS_POLICY_INVALID);
    });
    clock.advance(Duration.ofMinutes(4));
    https.policy("mta-sts.example.test", X_BODY);
    assertThat(cache.resolve(d)).isInstanceOf(Resolution.Failed.class);
    assertThat(gets("example.test")).isEqualTo(1);

    clock.advance(Duration.ofMinutes(1));
    assertThat(active(cache.resolve(d)).source()).isEqualTo(Source.FETCHED);
    assertThat(gets("example.test")).isEqualTo(2);
    assertThat(events).containsOnlyOnce("fetchFailed example.test x1 sts-policy-invalid");
  }

  @Test
  void d4_cachedX_txtX_appliesCachedXWithoutFetch() {
    DomainName d = publish("example.test", "x1", X_BODY);
    PolicyCache cache = builder().build();
    cache.resolve(d);
    clock.advance(Duration.ofMinutes(2)); // past the 60 s TTL: the id is checked again

    Resolution.Active r = active(cache.resolve(d));

    assertThat(r.source()).isEqualTo(Source.CACHE);
    assertThat(r.policyId()).isEqualTo("x1");
    assertThat(txtQueries("example.test")).isEqualTo(2);
    assertThat(gets("example.test")).isEqualTo(1);
  }

  @Test
  void d5_cachedX_txtY_fetchOk_replacesWithY() {
    DomainName d = publish("example.test", "x1", X_BODY);
    PolicyCache cache = builder().build();
    cache.resolve(d);
    https.policy("mta-sts.example.test", Y_BODY);
    setTxt("example.test", "y2");
    clock.advance(Duration.ofMinutes(2));

    Resolution.Active r = active(cache.resolve(d));

    assertThat(r.source()).isEqualTo(Source.FETCHED);
    assertThat(r.policyId()).isEqualTo("y2");
    assertThat(r.policy().matches(DomainName.of("mx2.example.test"))).isTrue();
    assertThat(cache.peek(d).policyId()).isEqualTo("y2");
    assertThat(gets("example.test")).isEqualTo(2);
    assertThat(events).contains("changed example.test x1->y2");
  }

  @Test
  void d6_cachedX_txtY_fetchFails_appliesCachedX() {
    DomainName d = publish("example.test", "x1", X_BODY);
    PolicyCache cache = builder().build();
    cache.resolve(d);
    https.removePolicy("mta-sts.example.test");
    setTxt("example.test", "y2");
    clock.advance(Duration.ofMinutes(2));

    Resolution.Active r = active(cache.resolve(d));

    assertThat(r.source()).isEqualTo(Source.CACHE_FALLBACK);
    assertThat(r.policyId()).isEqualTo("x1");
    assertThat(r.fallbackCause().type()).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
    assertThat(cache.peek(d).policyId()).isEqualTo("x1"); // STS-50: not overwritten
    assertThat(gets("example.test")).isEqualTo(2);
    assertThat(events).contains("fetchFailed example.test y2 sts-policy-fetch-error");
  }

  @Test
  void d6_cachedX_txtY_policyInvalid_appliesCachedX() {
    DomainName d = publish("example.test", "x1", X_BODY);
    PolicyCache cache = builder().build();
    cache.resolve(d);
    https.policy("mta-sts.example.test", INVALID_BODY);
    setTxt("example.test", "y2");
    clock.advance(Duration.ofMinutes(2));

    Resolution.Active r = active(cache.resolve(d));

    assertThat(r.source()).isEqualTo(Source.CACHE_FALLBACK);
    assertThat(r.policyId()).isEqualTo("x1");
    assertThat(r.fallbackCause().type()).isEqualTo(ResultType.STS_POLICY_INVALID);
    assertThat(cache.peek(d).policyId()).isEqualTo("x1"); // STS-50: not overwritten
    assertThat(cache.peek(d).policy().matches(DomainName.of("mx.example.test"))).isTrue();
    assertThat(gets("example.test")).isEqualTo(2);
    assertThat(events).contains("fetchFailed example.test y2 sts-policy-invalid");
  }

  @Test
  void d7_cachedX_recordGoneOrDnsFails_appliesCachedX() {
    DomainName d = publish("example.test", "x1", X_BODY);
    PolicyCache cache = builder().build();
    cache.resolve(d);

    dns.remove("_mta-sts.example.test", "TXT");
    clock.advance(Duration.ofMinutes(2));
    Resolution.Active gone = active(cache.resolve(d));
    dns.servfail("_mta-sts.example.test");
    clock.advance(Duration.ofMinutes(2));
    Resolution.Active failing = active(cache.resolve(d));

    assertThat(gone.source()).isEqualTo(Source.CACHE_FALLBACK);
    assertThat(gone.policyId()).isEqualTo("x1");
    assertThat(failing.source()).isEqualTo(Source.CACHE_FALLBACK);
    assertThat(failing.fallbackCause().detail()).contains("TXT lookup failed");
    assertThat(txtQueries("example.test")).isGreaterThanOrEqualTo(3);
    assertThat(gets("example.test")).isEqualTo(1);
  }

  @Test
  void d7_cachedX_twoRecordsOrInvalidRecord_appliesCachedXWithoutFetch() {
    DomainName d = publish("example.test", "x1", X_BODY);
    PolicyCache cache = builder().build();
    cache.resolve(d);

    dns.txt("_mta-sts.example.test", 60, "v=STSv1; id=y2"); // now two v=STSv1 records
    clock.advance(Duration.ofMinutes(2));
    Resolution.Active two = active(cache.resolve(d));
    setTxt("example.test", "not-valid!");
    clock.advance(Duration.ofMinutes(2));
    Resolution.Active invalid = active(cache.resolve(d));

    assertThat(two.source()).isEqualTo(Source.CACHE_FALLBACK);
    assertThat(two.policyId()).isEqualTo("x1");
    assertThat(two.fallbackCause().detail()).contains("MULTIPLE_RECORDS");
    assertThat(invalid.source()).isEqualTo(Source.CACHE_FALLBACK);
    assertThat(invalid.policyId()).isEqualTo("x1");
    assertThat(invalid.fallbackCause().detail()).contains("INVALID_RECORD");
    assertThat(cache.peek(d).policyId()).isEqualTo("x1");
    assertThat(txtQueries("example.test")).isEqualTo(3);
    assertThat(gets("example.test")).isEqualTo(1);
  }

  @Test
  void d8_expired_txtValid_fetchOk_cachesAndAppliesNewPolicy() {
    DomainName d = publish("example.test", "x1", X_BODY.replace("86400", "3600"));
    PolicyCache cache = builder().build();
    cache.resolve(d);
    clock.advance(Duration.ofSeconds(3601));
    https.policy("mta-sts.example.test", Y_BODY);

    Resolution.Active r = active(cache.resolve(d));

    assertThat(r.source()).isEqualTo(Source.FETCHED);
    assertThat(r.policy().matches(DomainName.of("mx2.example.test"))).isTrue();
    assertThat(r.fetchedAt()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    assertThat(gets("example.test")).isEqualTo(2);
  }

  @Test
  void d9_expired_txtValid_fetchFails_noPolicyApplies() {
    DomainName d = publish("example.test", "x1", X_BODY.replace("86400", "3600"));
    PolicyCache cache = builder().build();
    cache.resolve(d);
    clock.advance(Duration.ofSeconds(3601));
    https.removePolicy("mta-sts.example.test");

    Resolution r = cache.resolve(d);

    assertThat(r).isInstanceOf(Resolution.Failed.class);
    assertThat(cache.peek(d)).isNull();
    assertThat(gets("example.test")).isEqualTo(2);
  }

  @Test
  void d10_cachedEnforce_newIdModeNone_replacesAndAppliesNone() {
    DomainName d = publish("example.test", "x1", X_BODY);
    PolicyCache cache = builder().build();
    cache.resolve(d);
    https.policy("mta-sts.example.test", "version: STSv1\nmode: none\nmax_age: 600\n");
    setTxt("example.test", "off1");
    clock.advance(Duration.ofMinutes(2));

    Resolution.Active r = active(cache.resolve(d));

    assertThat(r.policy().mode()).isEqualTo(Mode.NONE);
    assertThat(r.source()).isEqualTo(Source.FETCHED);
    assertThat(cache.peek(d).policy().mode()).isEqualTo(Mode.NONE);
    clock.advance(Duration.ofMinutes(1));
    assertThat(active(cache.resolve(d)).policy().mode()).isEqualTo(Mode.NONE);
  }

  @Test
  void d11_cachedEnforce_recheckBeforeBounce_checksTxtWithinIntervalAndSeesNewId() {
    DomainName d = publish("example.test", "x1", X_BODY);
    PolicyCache cache = builder().build();
    cache.resolve(d);
    cache.resolve(d);
    assertThat(txtQueries("example.test")).isEqualTo(1);

    assertThat(active(cache.recheck(d)).policyId()).isEqualTo("x1"); // unchanged: no fetch
    assertThat(txtQueries("example.test")).isEqualTo(2);
    assertThat(gets("example.test")).isEqualTo(1);

    https.policy("mta-sts.example.test", Y_BODY);
    setTxt("example.test", "y2");
    Resolution.Active r = active(cache.recheck(d)); // same second, well within the TTL
    assertThat(r.policyId()).isEqualTo("y2");
    assertThat(gets("example.test")).isEqualTo(2);
  }

  // ------------------------------------------------------------------------------ issue #3

  @Test
  void resolve_200ThreadsOneUncachedDomain_oneTxtQueryOneGetSamePolicy() throws Exception {
    DomainName d = publish("example.test", "x1", X_BODY);
    PolicyCache cache = builder().build();
    ExecutorService pool = Executors.newFixedThreadPool(200);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Resolution>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return cache.resolve(d);
        }));
      }
      go.countDown();
      List<Resolution.Active> results = new ArrayList<>();
      for (Future<Resolution> f : futures) {
        results.add(active(f.get(30, TimeUnit.SECONDS)));
      }
      assertThat(txtQueries("example.test")).isEqualTo(1);
      assertThat(gets("example.test")).isEqualTo(1);
      assertThat(results).extracting(Resolution.Active::policyId).containsOnly("x1");
      assertThat(results).extracting(Resolution.Active::policy).containsOnly(results.get(0).policy());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Proves the ordering instead of timing one lookup: the policy host holds its response for
   * {@code hangMs} after WireMock has received the request, and the fetcher's deadline is longer
   * still, so the slow lookup cannot finish before then. Lookups of other domains (from memory, a
   * forced TXT re-check, an uncached domain) must all complete while it is still in flight; were
   * they serialised behind it, they would complete only after it and the last assertion fails.
   * The latency bound is stated explicitly: those lookups must all complete within {@code
   * othersBoundS} (5 s) of real time, half the hang, or {@code others.get} times out.
   */
  @Test
  void resolve_policyHostHangs_otherDomainsAnsweredWhileSlowFetchInFlight() throws Exception {
    final int hangMs = 10_000;
    final int othersBoundS = 5; // well below the hang: a lookup that waited for it cannot pass
    DomainName fast = publish("fast.test", "f1", X_BODY);
    DomainName slow = publish("slow.test", "s1", X_BODY);
    https.wireMock().stubFor(
        get(urlPathEqualTo(PolicyServer.POLICY_PATH))
            .withHost(equalToIgnoreCase("mta-sts.slow.test"))
            .atPriority(1)
            .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain")
                .withBody(X_BODY).withFixedDelay(hangMs)));
    MtaSts patient =
        MtaSts.newBuilder()
            .dns(DnsClient.servers(List.of(dns.address()), Duration.ofSeconds(5)))
            .trustAnchors(TrustAnchors.of(List.of(PKI.root())))
            .clock(clock)
            .policyPort(https.port())
            .connectTimeout(Duration.ofSeconds(30))
            .readTimeout(Duration.ofSeconds(30))
            .totalTimeout(Duration.ofSeconds(30))
            .build();
    PolicyCache cache =
        PolicyCache.newBuilder(patient).clock(clock).ticker(clock).noRefreshSweep().build();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    Future<Resolution> hanging = null;
    try {
      assertThat(active(cache.resolve(fast)).source()).isEqualTo(Source.FETCHED);
      hanging = pool.submit(() -> cache.resolve(slow));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (gets("slow.test") == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // waiting for the request to reach the server, not for time
      }
      assertThat(gets("slow.test")).isEqualTo(1); // received; the response is being held

      Future<List<Resolution>> others =
          pool.submit(() -> List.of(
              cache.resolve(fast), cache.recheck(fast), cache.resolve(DomainName.of("none.test"))));
      List<Resolution> answers = others.get(othersBoundS, TimeUnit.SECONDS);

      assertThat(hanging).isNotDone();
      assertThat(active(answers.get(0)).source()).isEqualTo(Source.CACHE);
      assertThat(active(answers.get(1)).source()).isEqualTo(Source.CACHE);
      assertThat(answers.get(2)).isInstanceOf(Resolution.NoPolicy.class);
      assertThat(txtQueries("fast.test")).isEqualTo(2); // the re-check really went to DNS
      assertThat(gets("slow.test")).isEqualTo(1); // and nothing started a second slow fetch
    } finally {
      https.close(); // drops the held connection, so the slow lookup ends now, as a failure
      if (hanging != null) {
        try {
          hanging.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException ignored) {
          // only its completion matters here
        }
      }
      pool.shutdownNow();
      patient.close();
    }
  }

  @Test
  void restart_fromDirectoryStore_samePoliciesAndRemainingLifetimeWithoutFetching() {
    DomainName a = publish("a.test", "a1", X_BODY);
    DomainName b = publish("b.test", "b1", Y_BODY);
    Resolution.Active beforeA;
    Resolution.Active beforeB;
    try (PolicyCache first = builder().store(PolicyStore.directory(stateDir)).build()) {
      beforeA = active(first.resolve(a));
      clock.advance(Duration.ofSeconds(5));
      beforeB = active(first.resolve(b));
    }
    clock.advance(Duration.ofHours(2));

    try (PolicyCache second = builder().store(PolicyStore.directory(stateDir)).build()) {
      Resolution.Active afterA = active(second.resolve(a));
      Resolution.Active afterB = active(second.resolve(b));
      assertThat(afterA.source()).isEqualTo(Source.CACHE);
      assertThat(afterA.expiresAt()).isEqualTo(beforeA.expiresAt());
      assertThat(afterB.expiresAt()).isEqualTo(beforeB.expiresAt());
      assertThat(afterB.policy()).isEqualTo(beforeB.policy());
    }
    assertThat(gets("a.test")).isEqualTo(1);
    assertThat(gets("b.test")).isEqualTo(1);
  }

  @Test
  void refresh_dueAndRunOnSuppliedExecutor_fetchesOnceMoreAndRenewsLifetime() {
    DomainName d = publish("example.test", "x1", X_BODY.replace("86400", "7200"));
    PolicyCache cache = builder().build();
    cache.resolve(d);
    clock.advance(Duration.ofMinutes(61)); // refresh due after min(1 day, max_age / 2) = 1 h

    assertThat(cache.refreshDue()).isEqualTo(1);
    assertThat(gets("example.test")).isEqualTo(1); // queued, not run yet
    refreshQueue.forEach(Runnable::run);

    assertThat(gets("example.test")).isEqualTo(2);
    assertThat(events).contains("refreshed example.test x1");
    assertThat(cache.peek(d).expiresAt())
        .isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(7200));
  }

  @Test
  void sweep_idleDomainDue_refreshedFromServerWithoutLookup() {
    DomainName d = publish("example.test", "x1", X_BODY.replace("86400", "7200"));
    PolicyCache cache = builder().build();
    cache.resolve(d);
    clock.advance(Duration.ofMinutes(45));
    sweeper.runPeriodicTasks();
    assertThat(refreshQueue).isEmpty(); // due only after 1 h
    clock.advance(Duration.ofMinutes(16));
    https.policy("mta-sts.example.test", Y_BODY.replace("86400", "7200"));

    sweeper.runPeriodicTasks(); // no lookup of the domain since the first one
    refreshQueue.forEach(Runnable::run);

    assertThat(gets("example.test")).isEqualTo(2);
    assertThat(txtQueries("example.test")).isEqualTo(2);
    assertThat(events).contains("refreshed example.test x1");
    clock.advance(Duration.ofMinutes(60)); // past the first fetch's expiry
    Resolution.Active r = active(cache.resolve(d));
    assertThat(r.policy().matches(DomainName.of("mx2.example.test"))).isTrue();
    assertThat(gets("example.test")).isEqualTo(2);
  }
}
