package io.github.mtasts4j.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The cache's decision logic against scripted DNS/HTTPS functions (fast, no sockets). */
class PolicyCacheRulesTest {
  private static final DomainName D = new DomainName("example.com");

  private final ScriptedNetwork net = new ScriptedNetwork();
  private final io.github.mtasts4j.testing.FakeClock clock = io.github.mtasts4j.testing.FakeClock.at(java.time.Instant.parse("2026-01-01T00:00:00Z"));
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<Runnable> queued = new ArrayList<>();

  private PolicyCache.Builder builder() {
    return PolicyCache.newBuilder(net::discover, net::fetch)
        .clock(clock)
        .ticker(clock)
        .refreshJitter(0)
        .noRefreshSweep() // these tests call refreshDue() themselves
        .refreshExecutor(queued::add)
        .listener(
            new CacheListener() {
              @Override
              public void fetchFailed(DomainName domain, String id, io.github.mtasts4j.Failure f) {
                events.add("fetchFailed " + domain + " " + id + " " + f.type());
              }

              @Override
              public void policyChanged(DomainName domain, String oldId, String newId) {
                events.add("changed " + oldId + "->" + newId);
              }

              @Override
              public void refreshFailed(DomainName domain, String id, io.github.mtasts4j.Failure f) {
                events.add("refreshFailed " + id);
              }

              @Override
              public void refreshed(DomainName domain, String id) {
                events.add("refreshed " + id);
              }
            });
  }

  private void runQueued() {
    List<Runnable> now = new ArrayList<>(queued);
    queued.clear();
    now.forEach(Runnable::run);
  }

  @Test
  void resolve_noRecord_noPolicyAndNothingFetched() {
    PolicyCache cache = builder().build();
    Resolution r = cache.resolve(D);
    assertThat(r).isInstanceOf(Resolution.NoPolicy.class);
    assertThat(((Resolution.NoPolicy) r).reason()).isEqualTo(Resolution.NoPolicy.Reason.NO_RECORD);
    assertThat(net.fetches(D)).isZero();
  }

  @Test
  void resolve_withinTtl_answersFromMemoryWithoutDns() {
    net.record(D, "a1", Duration.ofMinutes(5));
    net.serve(D, Mode.ENFORCE, 86400, "mx.example.com");
    PolicyCache cache = builder().build();
    Resolution first = cache.resolve(D);
    clock.advance(Duration.ofMinutes(4));
    Resolution second = cache.resolve(D);
    Resolution third = cache.resolve(D);

    assertThat(((Resolution.Active) first).source()).isEqualTo(Source.FETCHED);
    assertThat(((Resolution.Active) second).source()).isEqualTo(Source.CACHE);
    assertThat(third).isSameAs(second); // the precomputed answer, no allocation
    assertThat(net.txtQueries(D)).isEqualTo(1);
    assertThat(cache.stats().hits()).isEqualTo(2);
  }

  @Test
  void resolve_ttlBelowMinimum_reusesCheckForMinimum() {
    net.record(D, "a1", Duration.ofSeconds(1));
    net.serve(D, Mode.ENFORCE, 86400, "mx.example.com");
    PolicyCache cache = builder().build();
    cache.resolve(D);
    clock.advance(Duration.ofSeconds(29));
    cache.resolve(D);
    assertThat(net.txtQueries(D)).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    cache.resolve(D);
    assertThat(net.txtQueries(D)).isEqualTo(2);
  }

  @Test
  void resolve_ttlAboveMaximum_rechecksAfterMaximum() {
    net.record(D, "a1", Duration.ofDays(2));
    net.serve(D, Mode.ENFORCE, 604800, "mx.example.com");
    PolicyCache cache = builder().build();
    cache.resolve(D);
    clock.advance(Duration.ofMinutes(59));
    cache.resolve(D);
    assertThat(net.txtQueries(D)).isEqualTo(1);
    clock.advance(Duration.ofMinutes(1));
    assertThat(((Resolution.Active) cache.resolve(D)).source()).isEqualTo(Source.CACHE);
    assertThat(net.txtQueries(D)).isEqualTo(2);
    assertThat(net.fetches(D)).isEqualTo(1);
  }

  @Test
  void resolve_customRecheckInterval_ttlClampedToItsMaximum() {
    net.record(D, "a1", Duration.ofHours(1));
    net.serve(D, Mode.ENFORCE, 86400, "mx.example.com");
    PolicyCache cache =
        builder().txtRecheckInterval(Duration.ofSeconds(5), Duration.ofSeconds(10)).build();
    cache.resolve(D);
    clock.advance(Duration.ofSeconds(5)); // the minimum does not apply to a longer TTL
    cache.resolve(D);
    clock.advance(Duration.ofMillis(4_999));
    cache.resolve(D);
    assertThat(net.txtQueries(D)).isEqualTo(1);
    clock.advance(Duration.ofMillis(1)); // 10 s after the first check
    assertThat(((Resolution.Active) cache.resolve(D)).source()).isEqualTo(Source.CACHE);
    assertThat(net.txtQueries(D)).isEqualTo(2);
    assertThat(net.fetches(D)).isEqualTo(1);
  }

  @Test
  void resolve_newIdFetchFails_backsOffFiveMinutesForThatId() {
    net.record(D, "a1", Duration.ofSeconds(30));
    net.fetchFails(D);
    PolicyCache cache = builder().build();
    Resolution r = cache.resolve(D);
    assertThat(r).isInstanceOf(Resolution.Failed.class);
    assertThat(((Resolution.Failed) r).failure().type()).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
    for (int i = 0; i < 9; i++) {
      clock.advance(Duration.ofSeconds(30));
      assertThat(cache.resolve(D)).isInstanceOf(Resolution.Failed.class);
    }
    assertThat(net.fetches(D)).isEqualTo(1); // 4.5 min: still backing off
    assertThat(net.txtQueries(D)).isGreaterThan(1); // the id itself is re-checked
    clock.advance(Duration.ofSeconds(30));
    net.serve(D, Mode.TESTING, 86400, "mx.example.com");
    Resolution after = cache.resolve(D);
    assertThat(net.fetches(D)).isEqualTo(2);
    assertThat(after).isInstanceOf(Resolution.Active.class);
  }

  @Test
  void resolve_otherIdDuringBackoff_fetchedAtOnce() {
    net.record(D, "a1", Duration.ofSeconds(30));
    net.fetchFails(D);
    PolicyCache cache = builder().build();
    cache.resolve(D);
    clock.advance(Duration.ofSeconds(30));
    net.record(D, "a2", Duration.ofSeconds(30));
    net.serve(D, Mode.ENFORCE, 86400, "mx.example.com");
    Resolution r = cache.resolve(D);
    assertThat(((Resolution.Active) r).policyId()).isEqualTo("a2");
    assertThat(net.fetches(D)).isEqualTo(2);
  }

  @Test
  void resolve_maxAgeZero_neverServedFromMemory() {
    net.record(D, "a1", Duration.ofHours(1));
    net.serve(D, Mode.ENFORCE, 0, "mx.example.com");
    PolicyCache cache = builder().build();
    assertThat(((Resolution.Active) cache.resolve(D)).source()).isEqualTo(Source.FETCHED);
    assertThat(((Resolution.Active) cache.resolve(D)).source()).isEqualTo(Source.FETCHED);
    assertThat(net.fetches(D)).isEqualTo(2);
  }

  @Test
  void resolve_expiryDuringRecheckInterval_neverServesExpiredPolicy() {
    net.record(D, "a1", Duration.ofHours(1));
    net.serve(D, Mode.ENFORCE, 60, "mx.example.com");
    PolicyCache cache = builder().build();
    cache.resolve(D);
    clock.advance(Duration.ofSeconds(59));
    assertThat(((Resolution.Active) cache.resolve(D)).source()).isEqualTo(Source.CACHE);
    clock.advance(Duration.ofSeconds(1));
    net.fetchFails(D);
    net.dnsFails(D);
    Resolution r = cache.resolve(D);
    assertThat(r).isInstanceOf(Resolution.NoPolicy.class);
    assertThat(cache.peek(D)).isNull();
  }

  @Test
  void recheck_withinInterval_stillQueriesTxt() {
    net.record(D, "a1", Duration.ofHours(1));
    net.serve(D, Mode.ENFORCE, 86400, "mx.example.com");
    PolicyCache cache = builder().build();
    cache.resolve(D);
    cache.recheck(D);
    assertThat(net.txtQueries(D)).isEqualTo(2);
    assertThat(net.fetches(D)).isEqualTo(1);
  }

  @Test
  void refresh_dueAfterHalfMaxAge_fetchesInBackgroundAndKeepsServing() {
    net.record(D, "a1", Duration.ofHours(1));
    net.serve(D, Mode.ENFORCE, 7200, "mx.example.com"); // refresh due after 1 h
    PolicyCache cache = builder().build();
    cache.resolve(D);
    clock.advance(Duration.ofMinutes(59));
    cache.resolve(D);
    assertThat(queued).isEmpty();
    clock.advance(Duration.ofSeconds(61));
    net.record(D, "a1", Duration.ofHours(1));
    Resolution during = cache.resolve(D); // TXT re-check, then due: refresh queued
    cache.resolve(D);
    assertThat(queued).hasSize(1);
    assertThat(net.fetches(D)).isEqualTo(1);
    assertThat(((Resolution.Active) during).source()).isEqualTo(Source.CACHE);
    runQueued();
    assertThat(net.fetches(D)).isEqualTo(2);
    assertThat(events).contains("refreshed a1");
    assertThat(cache.peek(D).fetchedAt()).isEqualTo(clock.instant());
  }

  @Test
  void refresh_sameIdNewContent_reportsPolicyChangedButNotForSameContent() {
    net.record(D, "a1", Duration.ofHours(1));
    net.serve(D, Mode.ENFORCE, 7200, "mx.example.com");
    PolicyCache cache = builder().build();
    cache.resolve(D);
    clock.advance(Duration.ofHours(1));
    cache.refreshDue();
    runQueued(); // same id, same policy
    assertThat(events).contains("refreshed a1").noneMatch(e -> e.startsWith("changed"));

    clock.advance(Duration.ofHours(1));
    net.serve(D, Mode.ENFORCE, 7200, "mx2.example.com"); // same id, other mx
    cache.refreshDue();
    runQueued();
    assertThat(events).containsOnlyOnce("changed a1->a1");
    assertThat(cache.peek(D).policy().matches(new DomainName("mx2.example.com"))).isTrue();
  }

  @Test
  void refresh_fails_keepsOldPolicyAndRetriesAfterBackoff() {
    net.record(D, "a1", Duration.ofHours(1));
    net.serve(D, Mode.ENFORCE, 7200, "mx.example.com");
    PolicyCache cache = builder().build();
    Resolution.Active original = (Resolution.Active) cache.resolve(D);
    clock.advance(Duration.ofHours(1));
    net.fetchFails(D);
    assertThat(cache.refreshDue()).isEqualTo(1);
    runQueued();
    assertThat(events).contains("refreshFailed a1");
    assertThat(cache.peek(D).fetchedAt()).isEqualTo(original.fetchedAt());
    clock.advance(Duration.ofMinutes(4));
    assertThat(cache.refreshDue()).isZero();
    clock.advance(Duration.ofMinutes(1));
    net.serve(D, Mode.ENFORCE, 7200, "mx.example.com");
    assertThat(cache.refreshDue()).isEqualTo(1);
    runQueued();
    assertThat(net.fetches(D)).isEqualTo(3);
    assertThat(cache.peek(D).fetchedAt()).isEqualTo(clock.instant());
  }

  @Test
  void refresh_jitter_bringsRefreshForwardWithinBound() {
    net.record(D, "a1", Duration.ofHours(1));
    net.serve(D, Mode.ENFORCE, 20_000, "mx.example.com"); // interval 10 000 s, jitter up to 50 %
    PolicyCache cache = builder().refreshJitter(0.5).build();
    cache.resolve(D);
    clock.advance(Duration.ofSeconds(4_999));
    assertThat(cache.refreshDue()).isZero();
    clock.advance(Duration.ofSeconds(5_001));
    assertThat(cache.refreshDue()).isEqualTo(1);
  }

  @Test
  void builder_backoffShorterThanFiveMinutes_rejected() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().failureBackoff(Duration.ofMinutes(4)))
        .withMessageContaining("5 minutes");
  }
}
