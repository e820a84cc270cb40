package io.github.mtasts4j.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Failure;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.Source;
import io.github.mtasts4j.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The refresh sweep (STS-29, STS-73) and the alerting rule for failed refreshes (STS-30), driven
 * by a FakeClock and a {@link ManualScheduler}: nothing here waits for real time.
 */
class PolicyCacheSweepTest {
  private static final DomainName D = new DomainName("example.com");
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final ScriptedNetwork net = new ScriptedNetwork();
  private final FakeClock clock = FakeClock.at(START);
  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<Runnable> queued = new ArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<String> alerts = new CopyOnWriteArrayList<>();

  private PolicyCache.Builder builder() {
    return PolicyCache.newBuilder(net::discover, net::fetch)
        .clock(clock)
        .ticker(clock)
        .refreshJitter(0)
        .refreshExecutor(queued::add)
        .alerts((domain, message) -> alerts.add(domain + ": " + message))
        .listener(
            new CacheListener() {
              @Override
              public void fetchFailed(DomainName domain, String id, Failure f) {
                events.add("fetchFailed " + id);
              }

              @Override
              public void refreshFailed(DomainName domain, String id, Failure f) {
                events.add("refreshFailed " + id);
              }

              @Override
              public void refreshed(DomainName domain, String id) {
                events.add("refreshed " + id);
              }
            });
  }

  private int runQueued() {
    List<Runnable> now = new ArrayList<>(queued);
    queued.clear();
    now.forEach(Runnable::run);
    return now.size();
  }

  private static Optional<Thread> thread(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name))
        .findFirst();
  }

  // ------------------------------------------------------------------------------ sweep

  @Test
  void sweep_idleDomainDue_refreshedBeforeExpiryWithoutAnyLookup() {
    net.record(D, "a1", Duration.ofHours(1));
    net.serve(D, Mode.ENFORCE, 7200, "mx.example.com"); // due after 1 h, expires after 2 h
    PolicyCache cache = builder().refreshSweep(scheduler, Duration.ofMinutes(15)).build();
    cache.resolve(D);

    clock.advance(Duration.ofMinutes(59));
    assertThat(scheduler.runPeriodicTasks()).isEqualTo(1);
    assertThat(queued).isEmpty(); // not due yet
    clock.advance(Duration.ofMinutes(2));
    scheduler.runPeriodicTasks();
    assertThat(runQueued()).isEqualTo(1);

    assertThat(net.fetches(D)).isEqualTo(2);
    assertThat(events).containsExactly("refreshed a1");
    clock.advance(Duration.ofMinutes(59)); // 2 h after the first fetch: that policy has expired
    Resolution.Active r = (Resolution.Active) cache.resolve(D);
    assertThat(r.source()).isEqualTo(Source.CACHE);
    assertThat(r.fetchedAt()).isEqualTo(START.plus(Duration.ofMinutes(61)));
    assertThat(net.fetches(D)).isEqualTo(2);
  }

  @Test
  void noRefreshSweep_idleDomain_expiresUnrefreshed() {
    net.record(D, "a1", Duration.ofHours(1));
    net.serve(D, Mode.ENFORCE, 7200, "mx.example.com");
    PolicyCache cache = builder().noRefreshSweep().build();
    cache.resolve(D);

    clock.advance(Duration.ofHours(2));

    assertThat(queued).isEmpty();
    assertThat(cache.peek(D)).isNull();
    assertThat(net.fetches(D)).isEqualTo(1);
  }

  @Test
  void sweep_failedRefresh_retriedBySweepAfterBackoffWithoutLookups() {
    net.record(D, "a1", Duration.ofHours(1));
    net.serve(D, Mode.ENFORCE, 7200, "mx.example.com");
    PolicyCache cache = builder().refreshSweep(scheduler, Duration.ofMinutes(1)).build();
    cache.resolve(D);
    clock.advance(Duration.ofMinutes(61));
    net.fetchFails(D);
    scheduler.runPeriodicTasks();
    runQueued();
    assertThat(events).containsExactly("fetchFailed a1", "refreshFailed a1");

    clock.advance(Duration.ofMinutes(4));
    scheduler.runPeriodicTasks();
    assertThat(queued).isEmpty(); // STS-26: back-off for the same id
    clock.advance(Duration.ofMinutes(1));
    net.serve(D, Mode.ENFORCE, 7200, "mx.example.com");
    scheduler.runPeriodicTasks();
    runQueued();

    assertThat(net.fetches(D)).isEqualTo(3);
    assertThat(cache.peek(D).fetchedAt()).isEqualTo(clock.instant());
  }

  @Test
  void sweep_suppliedScheduler_scheduledAtIntervalAndOnlyCancelledOnClose() {
    net.record(D, "a1", Duration.ofHours(1));
    net.serve(D, Mode.ENFORCE, 7200, "mx.example.com");
    PolicyCache cache = builder().refreshSweep(scheduler, Duration.ofMinutes(10)).build();
    cache.resolve(D);
    assertThat(scheduler.periodic).singleElement().satisfies(t -> {
      assertThat(t.initialDelay).isEqualTo(Duration.ofMinutes(10));
      assertThat(t.period).isEqualTo(Duration.ofMinutes(10));
    });
    assertThat(thread(cache.sweepThreadName())).isEmpty();

    cache.close();
    clock.advance(Duration.ofMinutes(61));
    scheduler.periodic.get(0).command.run(); // a run already under way when close() was called

    assertThat(scheduler.periodic.get(0).isCancelled()).isTrue();
    assertThat(scheduler.isShutdown()).isFalse(); // the caller's scheduler is left alone
    assertThat(queued).isEmpty();
  }

  @Test
  void sweep_default_oneDaemonThreadThatCloseStops() throws InterruptedException {
    PolicyCache cache = builder().build();
    Thread sweeper = thread(cache.sweepThreadName()).orElseThrow();
    assertThat(sweeper.isDaemon()).isTrue();

    cache.close();
    sweeper.join(10_000); // waits for the thread to end, not for time to pass

    assertThat(sweeper.isAlive()).isFalse();
  }

  @Test
  void noRefreshSweep_createsNoThreadAndSchedulesNothing() {
    PolicyCache cache = builder().refreshSweep(scheduler, Duration.ofMinutes(5)).noRefreshSweep().build();

    assertThat(thread(cache.sweepThreadName())).isEmpty();
    assertThat(scheduler.periodic).isEmpty();
  }

  @Test
  void builder_sweepIntervalUnderOneSecond_rejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().refreshSweep(scheduler, Duration.ofMillis(999)))
        .withMessageContaining("at least 1 second");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().refreshSweep(Duration.ZERO))
        .withMessageContaining("at least 1 second");
  }

  // ------------------------------------------------------------------------------ STS-30

  @Test
  void refresh_failsWithCachedEnforce_alertsAndKeepsPolicy() {
    net.record(D, "a1", Duration.ofHours(1));
    net.serve(D, Mode.ENFORCE, 7200, "mx.example.com");
    PolicyCache cache = builder().noRefreshSweep().build();
    cache.resolve(D);
    clock.advance(Duration.ofMinutes(61));
    net.fetchFails(D);

    cache.refreshDue();
    runQueued();

    assertThat(events).containsExactly("fetchFailed a1", "refreshFailed a1");
    assertThat(alerts).singleElement().asString()
        .contains("example.com", "refresh", "a1", "HTTP 503", "keeping cached policy id a1");
    assertThat(cache.peek(D).policy().mode()).isEqualTo(Mode.ENFORCE);
    assertThat(cache.peek(D).fetchedAt()).isEqualTo(START);
  }

  @Test
  void refresh_failsWithCachedModeNone_listenerToldButNoAlert() {
    net.record(D, "a1", Duration.ofHours(1));
    net.serve(D, Mode.NONE, 7200, "unused");
    PolicyCache cache = builder().noRefreshSweep().build();
    cache.resolve(D);
    clock.advance(Duration.ofMinutes(61));
    net.fetchFails(D);

    cache.refreshDue();
    runQueued();

    assertThat(events).containsExactly("fetchFailed a1", "refreshFailed a1");
    assertThat(alerts).isEmpty();
    assertThat(cache.peek(D).policy().mode()).isEqualTo(Mode.NONE);
  }

  @Test
  void resolve_newIdFailsWithCachedModeNone_fallsBackWithoutAlert() {
    net.record(D, "a1", Duration.ofSeconds(30));
    net.serve(D, Mode.NONE, 86400, "unused");
    PolicyCache cache = builder().noRefreshSweep().build();
    cache.resolve(D);
    net.record(D, "a2", Duration.ofSeconds(30));
    net.fetchFails(D);
    clock.advance(Duration.ofSeconds(30));

    Resolution.Active r = (Resolution.Active) cache.resolve(D);

    assertThat(r.source()).isEqualTo(Source.CACHE_FALLBACK);
    assertThat(events).containsExactly("fetchFailed a2");
    assertThat(alerts).isEmpty();
  }

  @Test
  void resolve_newIdFailsWithCachedEnforce_alerts() {
    net.record(D, "a1", Duration.ofSeconds(30));
    net.serve(D, Mode.ENFORCE, 86400, "mx.example.com");
    PolicyCache cache = builder().noRefreshSweep().build();
    cache.resolve(D);
    net.record(D, "a2", Duration.ofSeconds(30));
    net.fetchFails(D);
    clock.advance(Duration.ofSeconds(30));

    cache.resolve(D);

    assertThat(alerts).singleElement().asString().contains("fetch", "a2", "keeping cached policy id a1");
  }
}
