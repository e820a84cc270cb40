package io.github.mtasts4j.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.Source;
import io.github.mtasts4j.testing.FakeClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The hit clock: which caches tick it, what a tick changes for lookups answered from memory, and
 * the striped hit counter. Driven by a FakeClock and a {@link ManualScheduler}; nothing waits.
 */
class PolicyCacheHitClockTest {
  private static final DomainName D = new DomainName("example.com");
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final ScriptedNetwork net = new ScriptedNetwork();
  private final FakeClock clock = FakeClock.at(START);
  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<Runnable> queued = new ArrayList<>();

  private PolicyCache.Builder builder() {
    net.record(D, "a1", Duration.ofSeconds(30));
    net.serve(D, Mode.ENFORCE, 86_400, "mx.example.com");
    return PolicyCache.newBuilder(net::discover, net::fetch)
        .clock(clock)
        .refreshJitter(0)
        .refreshExecutor(queued::add);
  }

  /** A cache whose hit clock ticks every second, on the manual scheduler. */
  private PolicyCache tickingEverySecond() {
    return builder()
        .tickAnyClock(scheduler)
        .hitClockTick(Duration.ofSeconds(1))
        .refreshSweep(scheduler, Duration.ofMinutes(15))
        .build();
  }

  // ------------------------------------------------------------------------ which caches tick

  @Test
  void injectedClock_noTickScheduled_hitsReadTheClockExactly() {
    PolicyCache cache = builder().refreshSweep(scheduler, Duration.ofMinutes(15)).build();
    assertThat(cache.hitClockTicks()).isFalse();
    assertThat(scheduler.periodic).hasSize(1); // the sweep only

    cache.resolve(D);
    clock.advance(Duration.ofSeconds(30).minusMillis(1));
    cache.resolve(D);
    assertThat(net.txtQueries(D)).isEqualTo(1); // still a hit 1 ms before the re-check
    clock.advance(Duration.ofMillis(1));
    cache.resolve(D);
    assertThat(net.txtQueries(D)).isEqualTo(2); // re-checked at the exact millisecond
  }

  @Test
  void systemClock_tickRunsOnItsOwnThreadNotOnTheSweepScheduler() {
    PolicyCache cache =
        builder()
            .clock(InstantSource.system())
            .hitClockTick(Duration.ofMillis(250))
            .refreshSweep(scheduler, Duration.ofMinutes(15))
            .build();
    assertThat(cache.hitClockTicks()).isTrue();
    assertThat(scheduler.periodic).hasSize(1); // the sweep only
    String tickThread = "mtasts4j-hit-clock@" + Integer.toHexString(System.identityHashCode(cache));
    assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals(tickThread));

    cache.close();
    assertThat(cache.hitClockTicks()).isFalse();
    assertThat(scheduler.periodic).allMatch(t -> t.cancelled);
  }

  @Test
  void systemClock_callersSchedulerShutDown_hitClockKeepsTicking() throws Exception {
    ScheduledExecutorService callers = Executors.newSingleThreadScheduledExecutor();
    PolicyCache cache =
        builder()
            .clock(InstantSource.system())
            .hitClockTick(Duration.ofMillis(1))
            .refreshSweep(callers, Duration.ofMinutes(15))
            .build();
    try {
      callers.shutdownNow(); // cancels every periodic task on it
      long before = cache.hitMillis();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (cache.hitMillis() == before && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // waiting for the next tick (an event), bounded
      }
      assertThat(cache.hitMillis()).isGreaterThan(before);
    } finally {
      cache.close();
    }
  }

  @Test
  void systemUtcClockInAnyZone_countsAsTheSystemClock() {
    PolicyCache cache =
        builder()
            .clock(Clock.system(ZoneId.of("Europe/Paris")))
            .refreshSweep(scheduler, Duration.ofMinutes(15))
            .build();
    assertThat(cache.hitClockTicks()).isTrue();
  }

  @Test
  void systemClockWithoutSweep_noTick() {
    PolicyCache cache = builder().clock(InstantSource.system()).noRefreshSweep().build();
    assertThat(cache.hitClockTicks()).isFalse();
  }

  @Test
  void systemClockOwnSweepThread_ticksUntilClosed() {
    PolicyCache cache = builder().clock(InstantSource.system()).build();
    try {
      assertThat(cache.hitClockTicks()).isTrue();
    } finally {
      cache.close();
    }
    assertThat(cache.hitClockTicks()).isFalse();
  }

  // ------------------------------------------------------------------------ what a tick changes

  @Test
  void tickedHitClock_tickStalledBeyondItsLead_servesUntilTheNextTickThenRechecks() {
    PolicyCache cache =
        builder().tickAnyClock(scheduler).refreshSweep(scheduler, Duration.ofMinutes(15)).build();
    assertThat(cache.hitClockTicks()).isTrue();
    cache.resolve(D); // network: TXT check good for 30 s

    clock.advance(Duration.ofSeconds(31)); // re-check due, but the stalled tick reads START + 2 s
    Resolution stale = cache.resolve(D);
    assertThat(((Resolution.Active) stale).source()).isEqualTo(Source.CACHE);
    assertThat(net.txtQueries(D)).isEqualTo(1);
    assertThat(cache.stats().hits()).isEqualTo(1);

    scheduler.runPeriodicTasks(); // the tick (and the sweep) run
    cache.resolve(D);
    assertThat(net.txtQueries(D)).isEqualTo(2);
  }

  @Test
  void tickedHitClock_runsTwoTicksAhead_recheckNeverLate() {
    PolicyCache cache = tickingEverySecond();
    cache.resolve(D); // network: TXT check good for 30 s

    clock.advance(Duration.ofSeconds(29));
    scheduler.runPeriodicTasks(); // a tick shortly before the re-check is due: hit clock 31 s
    cache.resolve(D); // not a plain hit any more; the exact clock (29 s) says the check holds
    assertThat(net.txtQueries(D)).isEqualTo(1);
    assertThat(cache.stats().hits()).as("answered from memory, so a hit").isEqualTo(1);
    assertThat(cache.stats().misses()).isEqualTo(1); // the first lookup only

    clock.advance(Duration.ofSeconds(1)); // 30 s, and no tick since 29 s
    cache.resolve(D);
    assertThat(net.txtQueries(D)).as("re-checked when due, not a tick late").isEqualTo(2);
  }

  @Test
  void tickedHitClock_tickRunsLateByLessThanATick_recheckNotLate() {
    PolicyCache cache = tickingEverySecond();
    cache.resolve(D); // network: TXT check good until 30 s

    clock.advance(Duration.ofMillis(28_900));
    scheduler.runPeriodicTasks(); // the last tick before the deadline, at 28.9 s
    clock.advance(Duration.ofMillis(1_200)); // 30.1 s: the 29.9 s tick is 0.2 s late, not run yet
    cache.resolve(D);

    assertThat(net.txtQueries(D)).as("re-checked although the tick is late").isEqualTo(2);
  }

  @Test
  void tickedHitClock_zeroRecheckInterval_everyLookupChecksTheRecord() {
    PolicyCache cache =
        builder()
            .tickAnyClock(scheduler)
            .txtRecheckInterval(Duration.ZERO, Duration.ZERO)
            .refreshSweep(scheduler, Duration.ofMinutes(15))
            .build();

    for (int i = 0; i < 3; i++) {
      cache.resolve(D);
    }

    assertThat(net.txtQueries(D)).isEqualTo(3);
  }

  @Test
  void tickedHitClock_networkLookupCatchesUpAStalledTick() {
    PolicyCache cache =
        builder().tickAnyClock(scheduler).refreshSweep(scheduler, Duration.ofMinutes(15)).build();
    DomainName other = new DomainName("other.example");
    cache.resolve(D);
    clock.advance(Duration.ofMinutes(2)); // the tick never runs: a stalled scheduler

    cache.resolve(other); // goes to the network, which reads the clock and moves the tick
    cache.resolve(D);
    assertThat(net.txtQueries(D)).isEqualTo(2);
  }

  @Test
  void close_switchesHitsBackToTheExactClock() {
    PolicyCache cache =
        builder().tickAnyClock(scheduler).refreshSweep(scheduler, Duration.ofMinutes(15)).build();
    cache.resolve(D);
    cache.close();
    clock.advance(Duration.ofSeconds(30));
    scheduler.runPeriodicTasks(); // cancelled: runs nothing

    cache.resolve(D);
    assertThat(net.txtQueries(D)).isEqualTo(2);
  }

  @Test
  void hitClockTick_outsideOneMillisecondToOneMinute_rejected() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().hitClockTick(Duration.ZERO))
        .withMessageContaining("hitClockTick");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().hitClockTick(Duration.ofNanos(999_999)));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().hitClockTick(Duration.ofMinutes(1).plusMillis(1)));
    builder().hitClockTick(Duration.ofMillis(1)).hitClockTick(Duration.ofMinutes(1));
  }

  // ------------------------------------------------------------------------ refresh jitter

  @Test
  void refreshJitter_spreadsDomainsFetchedAtTheSameTime() {
    List<DomainName> domains = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      DomainName d = new DomainName("d" + i + ".example");
      net.record(d, "a1", Duration.ofHours(1));
      net.serve(d, Mode.ENFORCE, 20_000, "mx.example.com"); // interval 10 000 s
      domains.add(d);
    }
    PolicyCache cache = builder().refreshJitter(0.5).noRefreshSweep().build();
    domains.forEach(cache::resolve);

    clock.advance(Duration.ofSeconds(7_500)); // halfway through the jitter window
    int early = cache.refreshDue();
    assertThat(early).isBetween(1, 19);
    clock.advance(Duration.ofSeconds(2_500));
    assertThat(cache.refreshDue()).isEqualTo(20 - early);
  }

  // ------------------------------------------------------------------------ hit counter

  @Test
  void hitCounter_oneThread_exact() {
    HitCounter hits = new HitCounter();
    for (int i = 0; i < 10_000; i++) {
      hits.increment();
    }
    assertThat(hits.sum()).isEqualTo(10_000);
  }

  @Test
  void hitCounter_threadsOnDistinctStripes_exact() throws InterruptedException {
    HitCounter hits = new HitCounter();
    List<Thread> threads = new ArrayList<>();
    Set<Long> stripes = new HashSet<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 100_000; i++) {
          hits.increment();
        }
      });
      threads.add(thread);
      stripes.add(thread.getId() & (hits.stripes() - 1));
    }
    assumeThat(stripes).hasSize(4);
    for (Thread thread : threads) {
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(hits.sum()).isEqualTo(400_000);
  }
}
