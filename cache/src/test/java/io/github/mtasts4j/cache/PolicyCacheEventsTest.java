package io.github.mtasts4j.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Failure;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.Source;
import io.github.mtasts4j.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Observability (issue #3 item 9): every {@link CacheListener} call, in order, and every {@link
 * CacheStats} field, along one domain's life from first lookup to expiry.
 */
class PolicyCacheEventsTest {
  private static final DomainName D = new DomainName("example.com");

  private final ScriptedNetwork net = new ScriptedNetwork();
  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<Runnable> queued = new ArrayList<>();

  /** Records every event the listener interface has. */
  private final CacheListener recorder =
      new CacheListener() {
        @Override
        public void hit(DomainName domain) {
          events.add("hit " + domain);
        }

        @Override
        public void miss(DomainName domain) {
          events.add("miss " + domain);
        }

        @Override
        public void fetched(DomainName domain, String policyId, Policy policy) {
          events.add("fetched " + domain + " " + policyId + " " + policy.mode().token());
        }

        @Override
        public void fetchFailed(DomainName domain, String policyId, Failure failure) {
          events.add("fetchFailed " + domain + " " + policyId + " " + failure.type().token());
        }

        @Override
        public void fallback(DomainName domain, String cachedPolicyId, Failure cause) {
          events.add("fallback " + domain + " " + cachedPolicyId + " " + cause.type().token());
        }

        @Override
        public void refreshed(DomainName domain, String policyId) {
          events.add("refreshed " + domain + " " + policyId);
        }

        @Override
        public void refreshFailed(DomainName domain, String policyId, Failure failure) {
          events.add("refreshFailed " + domain + " " + policyId);
        }

        @Override
        public void policyChanged(DomainName domain, String oldPolicyId, String newPolicyId) {
          events.add("changed " + domain + " " + oldPolicyId + "->" + newPolicyId);
        }

        @Override
        public void evicted(DomainName domain, EvictionCause cause) {
          events.add("evicted " + domain + " " + cause);
        }

        @Override
        public void storeProblem(String location, String detail) {
          events.add("storeProblem " + location);
        }
      };

  /** Returns the events recorded since the last call, and forgets them. */
  private List<String> drainEvents() {
    List<String> now = List.copyOf(events);
    events.clear();
    return now;
  }

  private static CacheStats stats(
      long hits,
      long misses,
      long txtLookups,
      long fetches,
      long fetchFailures,
      long fallbacks,
      long refreshes,
      long evictions,
      long size) {
    return new CacheStats(
        hits, misses, txtLookups, fetches, fetchFailures, fallbacks, refreshes, evictions, 0, size);
  }

  @Test
  void lifecycle_missFetchHitChangeFailureRefreshExpiry_exactEventsAndCounters() {
    net.record(D, "a1", Duration.ofSeconds(60));
    net.serve(D, Mode.ENFORCE, 7200, "mx.example.com");
    PolicyCache cache =
        PolicyCache.newBuilder(net::discover, net::fetch)
            .clock(clock)
            .ticker(clock)
            .refreshJitter(0)
            .noRefreshSweep()
            .refreshExecutor(queued::add)
            .listener(recorder)
            .build();
    assertThat(cache.stats()).isEqualTo(stats(0, 0, 0, 0, 0, 0, 0, 0, 0));

    // First lookup: miss, TXT query, fetch.
    assertThat(((Resolution.Active) cache.resolve(D)).source()).isEqualTo(Source.FETCHED);
    assertThat(drainEvents()).containsExactly("miss example.com", "fetched example.com a1 enforce");
    assertThat(cache.stats()).isEqualTo(stats(0, 1, 1, 1, 0, 0, 0, 0, 1));

    // Within the TXT re-check interval: a hit, no traffic.
    assertThat(((Resolution.Active) cache.resolve(D)).source()).isEqualTo(Source.CACHE);
    assertThat(drainEvents()).containsExactly("hit example.com");
    assertThat(cache.stats()).isEqualTo(stats(1, 1, 1, 1, 0, 0, 0, 0, 1));

    // New id with a different policy: fetched, and reported as a change.
    clock.advance(Duration.ofSeconds(60));
    net.record(D, "a2", Duration.ofSeconds(60));
    net.serve(D, Mode.TESTING, 7200, "mx2.example.com");
    assertThat(((Resolution.Active) cache.resolve(D)).policyId()).isEqualTo("a2");
    assertThat(drainEvents())
        .containsExactly(
            "miss example.com", "fetched example.com a2 testing", "changed example.com a1->a2");
    assertThat(cache.stats()).isEqualTo(stats(1, 2, 2, 2, 0, 0, 0, 0, 1));

    // Another new id whose fetch fails: the cached a2 applies as a fallback.
    clock.advance(Duration.ofSeconds(60));
    net.record(D, "a3", Duration.ofSeconds(60));
    net.fetchFails(D);
    assertThat(((Resolution.Active) cache.resolve(D)).source()).isEqualTo(Source.CACHE_FALLBACK);
    assertThat(drainEvents())
        .containsExactly(
            "miss example.com",
            "fetchFailed example.com a3 sts-policy-fetch-error",
            "fallback example.com a2 sts-policy-fetch-error");
    assertThat(cache.stats()).isEqualTo(stats(1, 3, 3, 2, 1, 1, 0, 0, 1));

    // a2 (fetched at +60 s, max_age 2 h) is due for refresh 1 h after its fetch.
    clock.advance(Duration.ofSeconds(3600 - 60));
    net.record(D, "a2", Duration.ofSeconds(60));
    net.serve(D, Mode.TESTING, 7200, "mx2.example.com");
    assertThat(cache.refreshDue()).isEqualTo(1);
    queued.forEach(Runnable::run);
    queued.clear();
    assertThat(drainEvents())
        .containsExactly("fetched example.com a2 testing", "refreshed example.com a2");
    assertThat(cache.stats()).isEqualTo(stats(1, 3, 4, 3, 1, 1, 1, 0, 1));

    // Nobody looks the domain up until the refreshed policy has expired.
    clock.advance(Duration.ofSeconds(7200 + 1));
    assertThat(cache.refreshDue()).isZero(); // its clean-up removes the expired entry
    assertThat(drainEvents()).containsExactly("evicted example.com EXPIRED");
    assertThat(cache.stats()).isEqualTo(stats(1, 3, 4, 3, 1, 1, 1, 1, 0));
  }
}
