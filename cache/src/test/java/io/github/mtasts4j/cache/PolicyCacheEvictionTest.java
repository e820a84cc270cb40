package io.github.mtasts4j.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.Source;
import io.github.mtasts4j.testing.FakeClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy evicted for size is read back from the store at its next lookup, before any network
 * traffic, and then goes through the usual TXT id check (the rule in PolicyCache's "Size and
 * eviction" section).
 */
class PolicyCacheEvictionTest {
  private static final DomainName A = new DomainName("a.example");
  private static final DomainName B = new DomainName("b.example");
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  private final ScriptedNetwork net = new ScriptedNetwork();
  private final FakeClock clock = FakeClock.at(START);
  private final List<DomainName> evictedForSize = new CopyOnWriteArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();

  private PolicyCache newCache(@Nullable PolicyStore store) {
    PolicyCache.Builder b =
        PolicyCache.newBuilder(net::discover, net::fetch)
            .clock(clock)
            .ticker(clock)
            .noRefreshSweep()
            .refreshExecutor(r -> {})
            .maximumSize(1)
            .listener(
                new CacheListener() {
                  @Override
                  public void evicted(DomainName domain, EvictionCause cause) {
                    if (cause == EvictionCause.SIZE) {
                      evictedForSize.add(domain);
                    }
                  }

                  @Override
                  public void policyChanged(DomainName domain, String oldId, String newId) {
                    events.add("changed " + domain + " " + oldId + "->" + newId);
                  }

                  @Override
                  public void storeProblem(String location, String detail) {
                    events.add("storeProblem " + detail);
                  }
                });
    if (store != null) {
      b.store(store);
    }
    return b.build();
  }

  /** Fetches A then B into a one-entry cache; returns whichever the size policy evicted. */
  private DomainName fillAndEvictOne(PolicyCache cache) {
    for (DomainName d : List.of(A, B)) {
      net.record(d, d.value().substring(0, 1) + "1", Duration.ofHours(1));
      net.serve(d, Mode.ENFORCE, 86400, "mx." + d.value());
      assertThat(((Resolution.Active) cache.resolve(d)).source()).isEqualTo(Source.FETCHED);
    }
    cache.refreshDue(); // also runs Caffeine's pending maintenance
    assertThat(evictedForSize).hasSize(1);
    DomainName evicted = evictedForSize.get(0);
    assertThat(cache.peek(evicted)).isNull();
    return evicted;
  }

  @Test
  void resolve_evictedForSizeSameTxtId_reloadedFromStoreWithoutFetch() {
    PolicyCache cache = newCache(PolicyStore.directory(dir));
    DomainName evicted = fillAndEvictOne(cache);
    net.fetchFails(evicted); // a fetch now would fail: only the store can supply the policy
    clock.advance(Duration.ofMinutes(1));

    Resolution.Active r = (Resolution.Active) cache.resolve(evicted);

    assertThat(r.source()).isEqualTo(Source.CACHE);
    assertThat(r.fetchedAt()).isEqualTo(START);
    assertThat(r.policy().matches(new DomainName("mx." + evicted.value()))).isTrue();
    assertThat(net.fetches(evicted)).isEqualTo(1);
    assertThat(net.txtQueries(evicted)).isEqualTo(2); // the id was checked before applying
  }

  @Test
  void resolve_evictedForSizeTxtIdChanged_fetchesNewPolicy() {
    PolicyCache cache = newCache(PolicyStore.directory(dir));
    DomainName evicted = fillAndEvictOne(cache);
    net.record(evicted, "new2", Duration.ofHours(1));
    net.serve(evicted, Mode.TESTING, 86400, "mx2." + evicted.value());

    Resolution.Active r = (Resolution.Active) cache.resolve(evicted);

    assertThat(r.source()).isEqualTo(Source.FETCHED);
    assertThat(r.policyId()).isEqualTo("new2");
    assertThat(r.policy().mode()).isEqualTo(Mode.TESTING);
    assertThat(net.fetches(evicted)).isEqualTo(2);
    assertThat(events).anyMatch(e -> e.startsWith("changed " + evicted.value() + " ")
        && e.endsWith("->new2"));
  }

  @Test
  void resolve_evictedForSizeDnsFails_appliesStoredPolicy() {
    PolicyCache cache = newCache(PolicyStore.directory(dir));
    DomainName evicted = fillAndEvictOne(cache);
    net.dnsFails(evicted);

    Resolution.Active r = (Resolution.Active) cache.resolve(evicted);

    assertThat(r.source()).isEqualTo(Source.CACHE_FALLBACK); // D7 downgrade resistance
    assertThat(r.fetchedAt()).isEqualTo(START);
    assertThat(net.fetches(evicted)).isEqualTo(1);
  }

  @Test
  void resolve_evictedForSizeStoredPolicyExpired_notApplied() {
    PolicyCache cache = newCache(PolicyStore.directory(dir));
    DomainName evicted = fillAndEvictOne(cache);
    clock.advance(Duration.ofSeconds(86400));
    net.dnsFails(evicted);

    Resolution r = cache.resolve(evicted);

    assertThat(r).isInstanceOf(Resolution.NoPolicy.class);
  }

  @Test
  void resolve_evictedForSizeCorruptStoredFile_reportedAndFetchedAgain() throws IOException {
    PolicyCache cache = newCache(PolicyStore.directory(dir));
    DomainName evicted = fillAndEvictOne(cache);
    Files.writeString(dir.resolve(evicted.value() + ".policy"), "mtasts4j-policy 1\ndomain: x");

    Resolution.Active r = (Resolution.Active) cache.resolve(evicted);

    assertThat(r.source()).isEqualTo(Source.FETCHED);
    assertThat(events).anyMatch(e -> e.startsWith("storeProblem cannot read stored policy of "
        + evicted.value()));
  }

  @Test
  void resolve_evictedForSizeWithoutStore_fetchesAgain() {
    PolicyCache cache = newCache(null);
    DomainName evicted = fillAndEvictOne(cache);

    Resolution.Active r = (Resolution.Active) cache.resolve(evicted);

    assertThat(r.source()).isEqualTo(Source.FETCHED);
    assertThat(net.fetches(evicted)).isEqualTo(2);
  }
}
