package io.github.mtasts4j.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.Discovery;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.FetchResult;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.Resolution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Single flight, isolation between domains and the bound on concurrent refreshes, with scripted
 * functions that can block.
 */
class PolicyCacheConcurrencyTest {
  private static final DomainName SLOW = new DomainName("slow.example");
  private static final DomainName FAST = new DomainName("fast.example");

  private final ScriptedNetwork net = new ScriptedNetwork();
  private final io.github.mtasts4j.testing.FakeClock clock = io.github.mtasts4j.testing.FakeClock.at(java.time.Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void resolve_200ThreadsOneUncachedDomain_oneTxtQueryOneFetchSamePolicy() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    net.record(SLOW, "a1", Duration.ofHours(1));
    net.serve(SLOW, Mode.ENFORCE, 86400, "mx.slow.example");
    PolicyCache cache =
        PolicyCache.newBuilder(
                d -> {
                  Discovery r = net.discover(d);
                  await(release);
                  return r;
                },
                net::fetch)
            .clock(clock)
            .ticker(clock)
            .noRefreshSweep()
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(200);
    try {
      CountDownLatch started = new CountDownLatch(200);
      List<Future<Resolution>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        results.add(pool.submit(() -> {
          started.countDown();
          return cache.resolve(SLOW);
        }));
      }
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      release.countDown();
      List<Resolution.Active> all = new ArrayList<>();
      for (Future<Resolution> f : results) {
        all.add((Resolution.Active) f.get(10, TimeUnit.SECONDS));
      }
      assertThat(net.txtQueries(SLOW)).isEqualTo(1);
      assertThat(net.fetches(SLOW)).isEqualTo(1);
      assertThat(all).extracting(Resolution.Active::policy).containsOnly(all.get(0).policy());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void resolve_otherDomainHangs_cachedAndUncachedDomainsAnswerPromptly() throws Exception {
    CountDownLatch slowFetchEntered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    net.record(SLOW, "s1", Duration.ofHours(1));
    net.record(FAST, "f1", Duration.ofHours(1));
    net.serve(SLOW, Mode.ENFORCE, 86400, "mx.slow.example");
    net.serve(FAST, Mode.ENFORCE, 86400, "mx.fast.example");
    PolicyCache cache =
        PolicyCache.newBuilder(net::discover, d -> {
              FetchResult r = net.fetch(d);
              if (d.equals(SLOW)) {
                slowFetchEntered.countDown();
                await(release);
              }
              return r;
            })
            .clock(clock)
            .ticker(clock)
            .noRefreshSweep()
            .build();
    cache.resolve(FAST);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Resolution> slow = pool.submit(() -> cache.resolve(SLOW));
      assertThat(slowFetchEntered.await(10, TimeUnit.SECONDS)).isTrue();

      // The slow fetch stays blocked until the test releases it, so if these lookups were
      // serialised behind it they could not complete here (get times out, or slow is done).
      Future<List<Resolution>> others = pool.submit(() -> {
        Resolution fast = cache.resolve(FAST);
        cache.invalidate(FAST);
        return List.of(fast, cache.resolve(FAST)); // the second one needs the network
      });
      List<Resolution> answers = others.get(10, TimeUnit.SECONDS);

      assertThat(slow).isNotDone();
      assertThat(answers).allSatisfy(r -> assertThat(r).isInstanceOf(Resolution.Active.class));
      assertThat(net.fetches(FAST)).isEqualTo(2);
      release.countDown();
      assertThat(slow.get(10, TimeUnit.SECONDS)).isInstanceOf(Resolution.Active.class);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  /**
   * Ten idle domains fall due at once; their refresh fetches block until released. The refresh
   * executor has ten threads, so only the cache's own bound can hold the fetches to two: the
   * sweep must hand exactly two refreshes to the executor, and the peak of fetches in flight must
   * stay at two while the rest drain one by one as earlier ones finish.
   */
  @Test
  void refreshDue_tenDomainsDue_atMostMaxConcurrentRefreshesFetchesInFlight() throws Exception {
    List<DomainName> domains = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      DomainName d = new DomainName("d" + i + ".example");
      net.record(d, "a1", Duration.ofHours(1));
      net.serve(d, Mode.ENFORCE, 7200, "mx.example.com"); // refresh due after 1 h
      domains.add(d);
    }
    AtomicBoolean blocking = new AtomicBoolean();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CountDownLatch twoEntered = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    Set<DomainName> refreshed = ConcurrentHashMap.newKeySet();
    CountDownLatch allRefreshed = new CountDownLatch(10);
    ManualScheduler sweeper = new ManualScheduler();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    AtomicInteger handedToExecutor = new AtomicInteger();
    PolicyCache cache =
        PolicyCache.newBuilder(net::discover, d -> {
              if (!blocking.get()) {
                return net.fetch(d);
              }
              int now = inFlight.incrementAndGet();
              peak.accumulateAndGet(now, Math::max);
              try {
                twoEntered.countDown();
                await(release);
                return net.fetch(d);
              } finally {
                inFlight.decrementAndGet();
              }
            })
            .clock(clock)
            .ticker(clock)
            .refreshJitter(0)
            .refreshSweep(sweeper, Duration.ofMinutes(15))
            .maxConcurrentRefreshes(2)
            .refreshExecutor(task -> {
              handedToExecutor.incrementAndGet();
              pool.execute(task);
            })
            .listener(new CacheListener() {
              @Override
              public void refreshed(DomainName domain, String policyId) {
                refreshed.add(domain);
                allRefreshed.countDown();
              }
            })
            .build();
    try {
      domains.forEach(cache::resolve);
      blocking.set(true);
      clock.advance(Duration.ofMinutes(61));

      sweeper.runPeriodicTasks();

      assertThat(twoEntered.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(handedToExecutor.get()).isEqualTo(2); // the other eight wait in the cache
      assertThat(inFlight.get()).isEqualTo(2);
      release.countDown();
      assertThat(allRefreshed.await(10, TimeUnit.SECONDS)).isTrue();

      assertThat(peak.get()).isEqualTo(2);
      assertThat(handedToExecutor.get()).isEqualTo(10);
      assertThat(refreshed).containsExactlyInAnyOrderElementsOf(domains);
      assertThat(domains).allSatisfy(d -> assertThat(net.fetches(d)).isEqualTo(2));
      assertThat(cache.stats().refreshes()).isEqualTo(10);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
