package io.github.mtasts4j.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.mtasts4j.Discovery;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Failure;
import io.github.mtasts4j.FetchResult;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.MtaSts;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.PolicySource;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.Source;
import io.github.mtasts4j.cache.Entry.Backoff;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PolicySource} that caches MTA-STS policies with the RFC 8461 rules: thread-safe, build
 * one per process and share it.
 *
 * <pre>{@code
 * MtaSts mtaSts = MtaSts.newBuilder().build();
 * try (PolicyCache cache = PolicyCache.newBuilder(mtaSts)
 *     .store(PolicyStore.directory(Path.of("/var/lib/myapp/mta-sts")))
 *     .build()) {
 *   Resolution r = cache.resolve(DomainName.of("example.com"));
 * }
 * }</pre>
 *
 * <h2>Rules (checklist decision table D1–D11)</h2>
 *
 * <ul>
 *   <li>A cached policy lives exactly {@code max_age} (at most 31557600 s) from its last successful
 *       fetch, measured with the wall {@linkplain Builder#clock clock}; an expired policy never
 *       applies (D8, D9).
 *   <li>Before a cached policy is applied, the live TXT id is compared with the cached id (STS-45).
 *       That check is reused for the record's DNS TTL clamped to {@linkplain
 *       Builder#txtRecheckInterval [30 s, 1 h]} by default, never beyond expiry. Same id: the
 *       cached policy applies ({@link Source#CACHE}, D4). Different id: the new policy is fetched;
 *       on success it replaces the old one ({@link Source#FETCHED}, D5, D10 — also when its mode
 *       is {@code none}); on failure the cached policy applies ({@link Source#CACHE_FALLBACK} with
 *       the fetch failure as cause, D6).
 *   <li>A vanished or invalid record, or a failed TXT lookup, keeps a cached policy in force
 *       ({@link Source#CACHE_FALLBACK}, D7). Such answers, and "no policy" answers for domains
 *       without a record, are reused for the lower re-check bound (default 30 s).
 *   <li>A failed or invalid fetch never evicts or overwrites a cached policy (STS-50). No new fetch
 *       of the same id happens within the {@linkplain Builder#failureBackoff back-off} (default 5
 *       min, STS-26); a different id is fetched at once. With nothing cached the answer is {@link
 *       Resolution.Failed} (D3, D9).
 *   <li>{@link #recheck} always performs the live TXT check (STS-49).
 * </ul>
 *
 * <h2>Proactive refresh (STS-29, STS-30)</h2>
 *
 * A policy becomes due for refresh {@code min(1 day, max_age / 2)} after its fetch, shortened by a
 * random jitter of up to {@linkplain Builder#refreshJitter 10 %} so refreshes of many domains
 * spread out. A due refresh is queued when a lookup hits the policy, and by the <b>refresh
 * sweep</b>, which calls {@link #refreshDue()} periodically so that policies of domains nobody has
 * looked up for a while are refreshed before they expire (RFC 8461 §10.2):
 *
 * <ul>
 *   <li>By default the cache creates <b>one daemon thread</b> (named {@code
 *       mtasts4j-refresh-sweep@…}) that runs the sweep every <b>15 minutes</b>, first 15 minutes
 *       after {@link Builder#build()}; {@link #close()} stops it. Change the interval with {@link
 *       Builder#refreshSweep(Duration)}.
 *   <li>{@link Builder#refreshSweep(ScheduledExecutorService, Duration)} runs the sweep on the
 *       caller's scheduler instead (no thread is created); {@link #close()} cancels the task.
 *   <li>{@link Builder#noRefreshSweep()} turns it off: no thread is created and nothing is
 *       scheduled; the caller should then call {@link #refreshDue()} itself.
 * </ul>
 *
 * The sweep only queues work; refreshes run on the {@linkplain Builder#refreshExecutor refresh
 * executor}, at most {@linkplain Builder#maxConcurrentRefreshes 4} at a time. With a sweep
 * interval {@code I}, a policy is refreshed at most {@code I} after it is due, so policies whose
 * {@code max_age} is under {@code 2 × I} may still expire before an idle-domain refresh (a lookup
 * then fetches them again as usual). A refresh fetches the policy whatever the TXT record says
 * (RFC 8461 §10.2), under the live id when one is published. A failed refresh keeps the old
 * policy, emits {@link CacheListener#fetchFailed} and {@link CacheListener#refreshFailed} (also
 * for a cached policy in mode {@code none}), logs a warning unless the cached mode is {@code none}
 * (then only DEBUG), and is retried after the back-off.
 *
 * <h2>Concurrency and cost</h2>
 *
 * Concurrent lookups of one domain that need the network share one TXT query and at most one fetch
 * (single flight per domain); a slow domain never delays another domain, and no network I/O happens
 * under a lock. A lookup answered from memory costs one map read (not recorded for the size
 * policy), one read of the {@linkplain Builder#hitClockTick hit clock} and one non-atomic
 * increment of a per-thread-striped counter; it allocates nothing and reads neither {@link
 * System#nanoTime()} nor, with the default clock and sweep, the wall clock. The hit clock is set
 * two ticks (default 1 s each) ahead of the system clock at every tick, so even a tick that runs up
 * to a whole tick late serves no answer from memory past its re-check or expiry time: lookups in
 * the last two ticks before either read the clock exactly. Only a tick thread stalled for longer
 * (or a forward step of the system clock) can let a hit be served late, by that excess at most,
 * until the next tick or the next lookup that goes to the network moves the hit clock on. {@link CacheStats#hits()} can undercount slightly when many threads hit at once (see
 * {@link #stats()}).
 *
 * <h2>Size and eviction</h2>
 *
 * At most {@linkplain Builder#maximumSize 10 000} domains are held; beyond that Caffeine's
 * size-based policy (W-TinyLFU) evicts entries. Lookups answered from memory are not recorded for
 * that policy (to keep them cheap); every lookup that goes to the network is, so domains used at
 * least once per re-check interval are favoured. Expired entries are removed lazily (and by every
 * sweep). When a lookup finds nothing in memory for a domain and a {@linkplain Builder#store store}
 * is configured, the stored policy is read back ({@link PolicyStore#load}) before any network
 * traffic and treated exactly like a policy loaded at start: its TXT id is checked, a changed id
 * fetches the new policy, and a DNS failure applies it. So a policy evicted for size keeps
 * protecting its domain as long as the store holds it; without a store it is gone, and the next
 * lookup starts from scratch. An evicted domain is not refreshed by the sweep until it is looked
 * up again.
 *
 * <h2>Persistence</h2>
 *
 * When {@linkplain Builder#store a store} is configured, every unexpired stored policy is loaded
 * when the cache is built (and confirmed by a TXT check at first use, falling back to it when DNS
 * fails), and every fetched policy is saved. Fetch times are kept to whole seconds, in memory too,
 * so a reloaded policy has exactly the lifetime it had before the restart.
 */
public final class PolicyCache implements PolicySource, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyCache.class);
  private static final long ONE_DAY_MILLIS = 86_400_000L;
  private static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMinutes(15);
  private static final Duration DEFAULT_HIT_CLOCK_TICK = Duration.ofSeconds(1);
  private static final long EXACT = Long.MIN_VALUE;
  private static final VarHandle TICK_MILLIS;

  static {
    try {
      TICK_MILLIS =
          MethodHandles.lookup().findVarHandle(PolicyCache.class, "tickMillis", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Function<DomainName, Discovery> discoverer;
  private final Function<DomainName, FetchResult> fetcher;
  private final InstantSource clock;
  private final long recheckMinMillis;
  private final long recheckMaxMillis;
  private final long backoffMillis;
  private final double jitter;
  private final int maxConcurrentRefreshes;
  private final Executor refreshExecutor;
  private final @Nullable ExecutorService ownedExecutor;
  private final PolicyStore store;
  private final CacheListener listener;
  private final AlertSink alerts;
  private volatile @Nullable ScheduledFuture<?> sweepTask;
  private volatile @Nullable ScheduledExecutorService ownedScheduler;

  /**
   * The map every lookup reads first; mirrors {@link #bounded}. Reading Caffeine's map instead
   * ({@code policy().getIfPresentQuietly}, no second map) saves 40 bytes per entry but measured
   * about 1.8× a bare map read per hit against 1.4–1.5× for this map (CachedLookupBench, same
   * run): its node is one more dependent load, and its expiry check more work.
   */
  private final ConcurrentHashMap<DomainName, Entry> hot = new ConcurrentHashMap<>();
  /** Decides expiry and size eviction; every write goes through it. */
  private final Cache<DomainName, Entry> bounded;

  private final ConcurrentHashMap<DomainName, CompletableFuture<Resolution>> inFlight =
      new ConcurrentHashMap<>();
  private final Set<DomainName> refreshing = ConcurrentHashMap.newKeySet();
  private final Queue<DomainName> refreshQueue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger refreshesRunning = new AtomicInteger();
  private volatile boolean closed;

  private final HitCounter hits = new HitCounter();
  private final boolean listensToHits;

  /**
   * The hit path's time in epoch milliseconds, refreshed every {@link #hitTickMillis} by a task on
   * the sweep scheduler; {@link #EXACT} when hits read {@link #clock} itself (injected clock, no
   * background threads, or closed).
   */
  private volatile long tickMillis = EXACT;

  private final long hitTickMillis;
  /** How far ahead of the clock each tick sets the hit clock: two ticks, so a late tick is safe. */
  private final long hitLeadMillis;
  private final boolean tickAnyClock;
  private final @Nullable ScheduledExecutorService tickSchedulerForTests;
  private volatile @Nullable ScheduledExecutorService ownedTickScheduler;
  private volatile @Nullable ScheduledFuture<?> tickTask;
  /** The last fetch time handed out, shared by policies fetched in the same second. */
  private volatile Instant lastFetchedAt = Instant.EPOCH;
  private final LongAdder misses = new LongAdder();
  private final LongAdder txtLookups = new LongAdder();
  private final LongAdder fetches = new LongAdder();
  private final LongAdder fetchFailures = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();
  private final LongAdder refreshes = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder storeProblems = new LongAdder();

  private PolicyCache(Builder b) {
    this.discoverer = b.discoverer;
    this.fetcher = b.fetcher;
    this.clock = b.clock != null ? b.clock : InstantSource.system();
    this.recheckMinMillis = b.recheckMin.toMillis();
    this.recheckMaxMillis = b.recheckMax.toMillis();
    this.backoffMillis = b.failureBackoff.toMillis();
    this.jitter = b.jitter;
    this.maxConcurrentRefreshes = b.maxConcurrentRefreshes;
    if (b.refreshExecutor != null) {
      this.refreshExecutor = b.refreshExecutor;
      this.ownedExecutor = null;
    } else {
      ExecutorService pool =
          Executors.newFixedThreadPool(
              b.maxConcurrentRefreshes,
              r -> {
                Thread t = new Thread(r, "mtasts4j-refresh");
                t.setDaemon(true);
                return t;
              });
      this.refreshExecutor = pool;
      this.ownedExecutor = pool;
    }
    this.store = b.store;
    this.listener = b.listener;
    this.listensToHits = b.listener != CacheListener.NONE;
    this.alerts = b.alerts;
    this.hitTickMillis = b.hitClockTick.toMillis();
    this.hitLeadMillis = 2 * hitTickMillis;
    this.tickAnyClock = b.tickAnyClock;
    this.tickSchedulerForTests = b.tickScheduler;
    InstantSource wall = this.clock;
    Ticker ticker = b.ticker != null ? b.ticker : () -> wall.millis() * 1_000_000L;
    this.bounded =
        Caffeine.newBuilder()
            .maximumSize(b.maximumSize)
            .ticker(ticker)
            .executor(Runnable::run)
            .expireAfter(new EntryExpiry(wall))
            .evictionListener(this::onEviction)
            .build();
    loadStore();
  }

  /**
   * Returns a builder that discovers and fetches with {@code mtaSts} ({@link MtaSts#discover} and
   * {@link MtaSts#fetch}) and, unless {@link Builder#clock} is called, uses its clock.
   */
  public static Builder newBuilder(MtaSts mtaSts) {
    Objects.requireNonNull(mtaSts, "mtaSts");
    Builder b = new Builder(mtaSts::discover, mtaSts::fetch);
    b.clockFallback = mtaSts;
    return b;
  }

  /**
   * Returns a builder over two plain functions, for callers that discover and fetch some other way
   * (and for tests). Both functions must be thread-safe, must bound their own running time and
   * should report problems as values rather than exceptions.
   */
  public static Builder newBuilder(
      Function<DomainName, Discovery> discover, Function<DomainName, FetchResult> fetch) {
    return new Builder(discover, fetch);
  }

  // ---------------------------------------------------------------------------------------------
  // Lookups

  /**
   * Returns the policy in effect for {@code policyDomain} under the rules in the class
   * documentation. Never throws for network or content problems.
   */
  @Override
  public Resolution resolve(DomainName policyDomain) {
    Entry e = hot.get(policyDomain);
    if (e != null) {
      long now = hitMillis();
      if (now >= e.answerUntil && tickMillis != EXACT) {
        // The ticked time runs ahead: close to the deadline, ask the clock itself.
        now = clock.millis();
        catchUpTick(now);
      }
      if (now < e.answerUntil) {
        if (e.refreshDue(now)) {
          queueRefresh(policyDomain, e);
        }
        hits.increment();
        if (listensToHits) {
          notifyHit(policyDomain);
        }
        return e.answer;
      }
    }
    return lookup(Objects.requireNonNull(policyDomain, "policyDomain"), false);
  }

  /**
   * Like {@link #resolve}, but always checks the live TXT record id first (RFC 8461 §5.1 step 3):
   * call it before failing a message permanently. A lookup of the same domain already under way
   * is joined instead of starting another.
   */
  @Override
  public Resolution recheck(DomainName policyDomain) {
    return lookup(Objects.requireNonNull(policyDomain, "policyDomain"), true);
  }

  /**
   * Returns the cached, unexpired policy of {@code policyDomain} without any network traffic and
   * without checking the TXT record, or null. For diagnostics; delivery uses {@link #resolve}.
   */
  public Resolution.@Nullable Active peek(DomainName policyDomain) {
    Entry e = hot.get(policyDomain);
    return e == null ? null : e.validAt(clock.millis());
  }

  /** The cached, unexpired policies of all domains, in no particular order. For diagnostics. */
  public List<Resolution.Active> cachedPolicies() {
    long now = clock.millis();
    return hot.values().stream()
        .map(e -> e.validAt(now))
        .<Resolution.Active>filter(Objects::nonNull)
        .toList();
  }

  /** Forgets everything about {@code policyDomain}, also in the store. */
  public void invalidate(DomainName policyDomain) {
    bounded.asMap().compute(policyDomain, (k, old) -> {
      hot.remove(k);
      return null;
    });
    try {
      store.delete(policyDomain);
    } catch (IOException | RuntimeException ex) {
      storeProblem(store.toString(), "cannot delete policy of " + policyDomain + ": " + ex);
    }
  }

  /**
   * Queues a background refresh of every cached policy that is due, and removes expired entries.
   * This is what the {@linkplain Builder#refreshSweep refresh sweep} runs; call it yourself only
   * when the sweep is {@linkplain Builder#noRefreshSweep turned off}, or to refresh at once.
   *
   * @return how many refreshes were queued
   */
  public int refreshDue() {
    bounded.cleanUp();
    long now = clock.millis();
    int queued = 0;
    for (var item : hot.entrySet()) {
      Entry e = item.getValue();
      if (e.validAt(now) != null && e.refreshDue(now)) {
        if (queueRefresh(item.getKey(), e)) {
          queued++;
        }
      }
    }
    return queued;
  }

  /**
   * A snapshot of the counters. {@link CacheStats#hits()} is exact for one thread; under heavy
   * concurrency it may miss a few hits (its increments are not atomic, to keep hits cheap) and
   * never counts one twice. The other counters are exact.
   */
  public CacheStats stats() {
    return new CacheStats(
        hits.sum(),
        misses.sum(),
        txtLookups.sum(),
        fetches.sum(),
        fetchFailures.sum(),
        fallbacks.sum(),
        refreshes.sum(),
        evictions.sum(),
        storeProblems.sum(),
        bounded.estimatedSize());
  }

  /**
   * Cancels the refresh sweep, stops queuing refreshes and shuts down the threads the cache created
   * itself (caller-supplied executors are left running; only the sweep's task is cancelled on
   * them). Lookups keep working afterwards, without background refresh. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    ScheduledFuture<?> task = sweepTask;
    if (task != null) {
      task.cancel(false);
    }
    ScheduledFuture<?> tick = tickTask;
    if (tick != null) {
      tick.cancel(false);
    }
    tickMillis = EXACT; // nothing refreshes the hit clock any more
    ScheduledExecutorService ticker = ownedTickScheduler;
    if (ticker != null) {
      ticker.shutdownNow();
    }

    ScheduledExecutorService scheduler = ownedScheduler;
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
  }

  /**
   * The time on the hit path: the ticked field when a tick runs, else {@link #clock} itself. One
   * volatile load (a plain load on x86) instead of a {@code clock_gettime} call, whose ordered TSC
   * read keeps the cache misses of consecutive lookups from overlapping.
   */
  long hitMillis() {
    long t = tickMillis;
    return t != EXACT ? t : clock.millis();
  }

  /** Whether hits read the ticked field rather than the clock (for tests). */
  boolean hitClockTicks() {
    return tickMillis != EXACT;
  }

  /**
   * One tick: the clock's time plus two ticks, so that the hit clock is never behind the real one
   * unless the next tick is more than one period late; unless {@link #close()} switched the hit
   * path back to exact.
   */
  private void tick() {
    long t = tickMillis;
    if (t != EXACT) {
      TICK_MILLIS.compareAndSet(this, t, Entry.saturatedAdd(clock.millis(), hitLeadMillis));
    }
  }

  /**
   * The network path has just read the exact clock anyway: moves a lagging tick forward, so hits
   * do not keep serving on a tick that a stalled or shut-down scheduler stopped refreshing.
   */
  private void catchUpTick(long now) {
    long t = tickMillis;
    if (t != EXACT && t < now) {
      TICK_MILLIS.compareAndSet(this, t, Entry.saturatedAdd(now, hitLeadMillis));
    }
  }

  /** Whether {@code clock} reads the system clock, for which hits may use a ticked copy. */
  private static boolean isSystemClock(InstantSource clock) {
    return clock.equals(InstantSource.system())
        || clock instanceof Clock c && c.withZone(ZoneOffset.UTC).equals(Clock.systemUTC());
  }

  /** Starts the periodic sweep; called once by {@link Builder#build()}. */
  private void startSweep(@Nullable ScheduledExecutorService supplied, long intervalMillis) {
    ScheduledExecutorService scheduler = supplied;
    if (scheduler == null) {
      ScheduledThreadPoolExecutor own = daemonScheduler(sweepThreadName());
      own.setRemoveOnCancelPolicy(true);
      ownedScheduler = own;
      scheduler = own;
    }
    sweepTask =
        scheduler.scheduleWithFixedDelay(
            this::sweep, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    if (tickAnyClock || isSystemClock(clock)) {
      startTick();
    }
  }

  /**
   * Starts the hit clock on a thread of its own, which does nothing else: a sweep that runs long
   * (or a refresh executor that runs tasks on the caller's thread) cannot hold it back, and a
   * caller's scheduler shutting down cannot stop it.
   */
  private void startTick() {
    ScheduledExecutorService ticker = tickSchedulerForTests;
    if (ticker == null) {
      ScheduledThreadPoolExecutor own =
          daemonScheduler(
              "mtasts4j-hit-clock@" + Integer.toHexString(System.identityHashCode(this)));
      ownedTickScheduler = own;
      ticker = own;
    }
    tickMillis = Entry.saturatedAdd(clock.millis(), hitLeadMillis);
    tickTask =
        ticker.scheduleAtFixedRate(this::tick, hitTickMillis, hitTickMillis, TimeUnit.MILLISECONDS);
  }

  /** A one-thread scheduler on a named daemon thread, so a cache never keeps a JVM alive. */
  private static ScheduledThreadPoolExecutor daemonScheduler(String threadName) {
    return new ScheduledThreadPoolExecutor(
        1,
        r -> {
          Thread t = new Thread(r, threadName);
          t.setDaemon(true);
          return t;
        });
  }

  /** The name of the sweep thread a cache creates for itself (one per cache, for diagnostics). */
  String sweepThreadName() {
    return "mtasts4j-refresh-sweep@" + Integer.toHexString(System.identityHashCode(this));
  }

  /** One run of the refresh sweep; must not throw, or the scheduler would stop running it. */
  private void sweep() {
    if (closed) {
      return;
    }
    try {
      int queued = refreshDue();
      LOG.debug("refresh sweep queued {} refreshes", queued);
    } catch (RuntimeException ex) {
      LOG.warn("MTA-STS refresh sweep failed; it runs again at the next interval", ex);
    }
  }

  /** Single flight: the first caller for a domain does the work, the others wait for its result. */
  private Resolution lookup(DomainName domain, boolean force) {
    misses.increment();
    try {
      listener.miss(domain);
    } catch (RuntimeException ex) {
      listenerFailed(ex);
    }
    CompletableFuture<Resolution> mine = new CompletableFuture<>();
    CompletableFuture<Resolution> running = inFlight.putIfAbsent(domain, mine);
    if (running != null) {
      return await(running);
    }
    try {
      Resolution r = live(domain, force);
      mine.complete(r);
      return r;
    } catch (RuntimeException | Error ex) {
      mine.completeExceptionally(ex);
      throw ex;
    } finally {
      inFlight.remove(domain, mine);
    }
  }

  private static Resolution await(CompletableFuture<Resolution> running) {
    try {
      return running.join();
    } catch (CompletionException ex) {
      Throwable cause = ex.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw ex;
    }
  }

  /** The network path; runs only as the single flight of {@code domain}. */
  private Resolution live(DomainName domain, boolean force) {
    Entry e = bounded.getIfPresent(domain); // recorded, so the size policy sees the domain's use
    long now = clock.millis();
    catchUpTick(now);
    if (e != null && !force && now < e.answerUntil) {
      return e.answer; // another flight finished just before this one started
    }
    if (e == null) {
      e = fromStore(domain, now); // evicted for size, or never held: the TXT check below decides
    }
    Backoff backoff = e == null ? null : e.backoff;
    Discovery discovery = discover(domain);
    now = clock.millis();
    Resolution.Active valid = e == null ? null : e.validAt(now);

    if (discovery instanceof Discovery.Found found) {
      String id = found.record().id();
      long recheckUntil = now + clampTtl(found.ttl());
      if (valid != null && valid.policyId().equals(id)) {
        install(domain, entry(valid, valid, recheckUntil, backoff)); // D4
        return valid;
      }
      if (backoff != null && backoff.id().equals(id) && now < backoff.retryAt()) {
        LOG.debug("{}: not fetching policy id {} again before the back-off ends", domain, id);
        return afterFailedFetch(domain, valid, id, backoff, recheckUntil);
      }
      FetchResult result = fetch(domain);
      now = clock.millis();
      valid = e == null ? null : e.validAt(now);
      if (result instanceof FetchResult.Fetched fetched) {
        Resolution.Active held = newHeld(domain, fetched.policy(), id, now);
        Backoff keep = backoff != null && !backoff.id().equals(id) ? backoff : null;
        install(domain, entry(held, held, recheckUntil, keep)); // D2, D5, D8, D10
        fetchSucceeded(domain, valid, held, fetched.body());
        return new Resolution.Active(
            domain, held.policy(), id, Source.FETCHED, held.fetchedAt(), null);
      }
      Failure failure = ((FetchResult.FetchFailed) result).failure();
      Backoff next = new Backoff(id, now + backoffMillis, failure);
      fetchFailed(domain, valid, id, failure, false);
      return afterFailedFetch(domain, valid, id, next, recheckUntil); // D3, D6, D9
    }

    Resolution.NoPolicy none;
    Failure cause;
    if (discovery instanceof Discovery.Absent absent) {
      none = new Resolution.NoPolicy(domain, absent.reason(), absent.detail());
      cause =
          new Failure(
              ResultType.STS_POLICY_FETCH_ERROR,
              "no usable _mta-sts record (" + absent.reason() + "): " + absent.detail());
    } else {
      String detail = ((Discovery.DnsFailed) discovery).detail();
      none = new Resolution.NoPolicy(domain, Resolution.NoPolicy.Reason.DNS_FAILURE, detail);
      cause = new Failure(ResultType.STS_POLICY_FETCH_ERROR, "TXT lookup failed: " + detail);
    }
    long until = now + recheckMinMillis;
    if (valid != null) {
      Resolution.Active fallback = fallback(domain, valid, cause); // D7
      install(domain, entry(valid, fallback, until, backoff));
      return fallback;
    }
    install(domain, entry(null, none, until, backoff)); // D1
    return none;
  }

  private Resolution afterFailedFetch(
      DomainName domain,
      Resolution.@Nullable Active valid,
      String id,
      Backoff backoff,
      long recheckUntil) {
    long until = Math.min(recheckUntil, backoff.retryAt());
    if (valid != null) {
      Resolution.Active fallback = fallback(domain, valid, backoff.failure());
      install(domain, entry(valid, fallback, until, backoff));
      return fallback;
    }
    Resolution.Failed failed = new Resolution.Failed(domain, id, backoff.failure());
    install(domain, entry(null, failed, until, backoff));
    return failed;
  }

  private Resolution.Active fallback(DomainName domain, Resolution.Active valid, Failure cause) {
    fallbacks.increment();
    try {
      listener.fallback(domain, valid.policyId(), cause);
    } catch (RuntimeException ex) {
      listenerFailed(ex);
    }
    LOG.debug("{}: applying cached policy id {} ({})", domain, valid.policyId(), cause);
    return new Resolution.Active(
        domain, valid.policy(), valid.policyId(), Source.CACHE_FALLBACK, valid.fetchedAt(), cause);
  }

  // ---------------------------------------------------------------------------------------------
  // Refresh

  private boolean queueRefresh(DomainName domain, Entry e) {
    e.markQueued();
    if (closed || !refreshing.add(domain)) {
      return false;
    }
    refreshQueue.add(domain);
    drainRefreshes();
    return true;
  }

  private void drainRefreshes() {
    while (!refreshQueue.isEmpty()) {
      int running = refreshesRunning.get();
      if (running >= maxConcurrentRefreshes) {
        return;
      }
      if (!refreshesRunning.compareAndSet(running, running + 1)) {
        continue;
      }
      DomainName domain = refreshQueue.poll();
      if (domain == null) {
        refreshesRunning.decrementAndGet();
        continue;
      }
      try {
        refreshExecutor.execute(() -> runRefresh(domain));
      } catch (RejectedExecutionException ex) {
        refreshesRunning.decrementAndGet();
        refreshing.remove(domain);
        Entry current = hot.get(domain);
        if (current != null) {
          current.clearQueued(); // so a later hit or sweep tries again
        }
        LOG.debug("refresh executor rejected the refresh of {}", domain);
        return;
      }
    }
  }

  private void runRefresh(DomainName domain) {
    try {
      CompletableFuture<Resolution> mine = new CompletableFuture<>();
      // If a lookup is under way, skip: the next hit or sweep queues the refresh again.
      if (closed || inFlight.putIfAbsent(domain, mine) != null) {
        return;
      }
      try {
        mine.complete(refresh(domain));
      } catch (RuntimeException | Error ex) {
        mine.completeExceptionally(ex);
        LOG.warn("refresh of the MTA-STS policy of {} failed unexpectedly", domain, ex);
      } finally {
        inFlight.remove(domain, mine);
      }
    } finally {
      refreshing.remove(domain);
      // A refresh that ran installed a new entry; one that was skipped or threw did not, and the
      // old entry must become eligible again or an idle domain would never be refreshed.
      Entry current = hot.get(domain);
      if (current != null) {
        current.clearQueued();
      }
      refreshesRunning.decrementAndGet();
      drainRefreshes();
    }
  }

  /** Runs as the single flight of {@code domain}. */
  private Resolution refresh(DomainName domain) {
    Entry e = hot.get(domain);
    long now = clock.millis();
    Resolution.Active valid = e == null ? null : e.validAt(now);
    if (e == null || valid == null) {
      return live(domain, false);
    }
    refreshes.increment();
    Discovery discovery = discover(domain);
    now = clock.millis();
    // RFC 8461 §10.2: a refresh may fetch whatever the TXT record says; use the live id if any.
    boolean found = discovery instanceof Discovery.Found;
    String id = found ? ((Discovery.Found) discovery).record().id() : valid.policyId();
    long answerUntil = found ? now + clampTtl(((Discovery.Found) discovery).ttl()) : now;
    Backoff backoff = e.backoff;
    if (backoff != null && backoff.id().equals(id) && now < backoff.retryAt()) {
      install(domain, new Entry(valid, e.answer, e.answerUntil, backoff, backoff.retryAt()));
      return e.answer;
    }
    FetchResult result = fetch(domain);
    now = clock.millis();
    if (result instanceof FetchResult.Fetched fetched) {
      Resolution.Active held = newHeld(domain, fetched.policy(), id, now);
      Backoff keep = backoff != null && !backoff.id().equals(id) ? backoff : null;
      // Without a confirming TXT answer the next lookup re-checks DNS itself.
      install(domain, entry(held, held, answerUntil, keep));
      fetchSucceeded(domain, valid, held, fetched.body());
      try {
        listener.refreshed(domain, id);
      } catch (RuntimeException ex) {
        listenerFailed(ex);
      }
      return new Resolution.Active(
          domain, held.policy(), id, Source.FETCHED, held.fetchedAt(), null);
    }
    Failure failure = ((FetchResult.FetchFailed) result).failure();
    Backoff next = new Backoff(id, now + backoffMillis, failure);
    fetchFailed(domain, valid, id, failure, true);
    // STS-50: the old policy and the answers built on it stay; only the back-off is recorded.
    install(domain, new Entry(valid, e.answer, e.answerUntil, next, next.retryAt()));
    return e.answer;
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private Discovery discover(DomainName domain) {
    txtLookups.increment();
    try {
      return Objects.requireNonNull(discoverer.apply(domain), "discover returned null");
    } catch (RuntimeException ex) {
      LOG.warn("{}: TXT lookup threw unexpectedly; treated as a DNS failure", domain, ex);
      return new Discovery.DnsFailed(domain, "unexpected error: " + ex.getClass().getSimpleName());
    }
  }

  private FetchResult fetch(DomainName domain) {
    try {
      return Objects.requireNonNull(fetcher.apply(domain), "fetch returned null");
    } catch (RuntimeException ex) {
      LOG.warn("{}: policy fetch threw unexpectedly; treated as a fetch error", domain, ex);
      return new FetchResult.FetchFailed(
          new Failure(
              ResultType.STS_POLICY_FETCH_ERROR,
              "unexpected error: " + ex.getClass().getSimpleName()));
    }
  }

  /** The held policy as the answer to lookups that find it current (fetch time whole seconds). */
  private Resolution.Active newHeld(DomainName domain, Policy policy, String id, long nowMillis) {
    long seconds = Math.floorDiv(nowMillis, 1000L);
    Instant fetchedAt = lastFetchedAt;
    if (fetchedAt.getEpochSecond() != seconds || fetchedAt.getNano() != 0) {
      fetchedAt = Instant.ofEpochSecond(seconds);
      lastFetchedAt = fetchedAt;
    }
    return new Resolution.Active(domain, policy, id, Source.CACHE, fetchedAt, null);
  }

  /** An entry whose refresh is due when its held policy's is (never when none is held). */
  private Entry entry(
      Resolution.@Nullable Active held,
      Resolution answer,
      long answerUntil,
      @Nullable Backoff backoff) {
    return new Entry(
        held, answer, answerUntil, backoff, held == null ? Long.MAX_VALUE : refreshAt(held));
  }

  /**
   * When a held policy becomes due for refresh: {@code min(1 day, max_age / 2)} after its fetch,
   * brought forward by up to {@link #jitter} of that interval. The jitter is a hash of the domain
   * and the fetch time, uniform over domains, so it need not be stored and stays the same for
   * every entry built on the same fetch.
   */
  private long refreshAt(Resolution.Active held) {
    long fetchedAt = held.fetchedAt().toEpochMilli();
    long interval = Math.min(ONE_DAY_MILLIS, held.policy().maxAgeSeconds() * 500L);
    long spread = 0;
    if (jitter != 0) {
      long h = (held.domain().hashCode() * 0x9E3779B97F4A7C15L) ^ fetchedAt;
      h = (h ^ (h >>> 33)) * 0xFF51AFD7ED558CCDL;
      h = (h ^ (h >>> 33)) * 0xC4CEB9FE1A85EC53L;
      h ^= h >>> 33;
      double unit = (h >>> 11) * 0x1.0p-53;
      spread = (long) (interval * jitter * unit);
    }
    return fetchedAt + interval - spread;
  }

  private long clampTtl(Duration ttl) {
    long millis = ttl.isNegative() ? 0 : ttl.getSeconds() > 1_000_000_000L ? Long.MAX_VALUE : ttl.toMillis();
    return Math.max(recheckMinMillis, Math.min(recheckMaxMillis, millis));
  }

  private void install(DomainName domain, Entry entry) {
    long now = clock.millis();
    if (entry.evictAt() <= now) {
      bounded.asMap().compute(domain, (k, old) -> {
        hot.remove(k);
        return null;
      });
      return;
    }
    bounded.asMap().compute(domain, (k, old) -> {
      hot.put(k, entry);
      return entry;
    });
  }

  /**
   * Reports a fetched policy and saves it with its body, which is not kept in memory: the store is
   * the only reader of bodies, and only at fetch time.
   */
  private void fetchSucceeded(
      DomainName domain, Resolution.@Nullable Active previous, Resolution.Active held, String body) {
    fetches.increment();
    String id = held.policyId();
    LOG.debug("{}: fetched policy id {} ({}, max_age {})", domain, id, held.policy().mode(),
        held.policy().maxAgeSeconds());
    try {
      listener.fetched(domain, id, held.policy());
      if (previous != null
          && (!previous.policyId().equals(id) || !previous.policy().equals(held.policy()))) {
        listener.policyChanged(domain, previous.policyId(), id);
      }
    } catch (RuntimeException ex) {
      listenerFailed(ex);
    }
    try {
      store.save(new PolicyStore.StoredPolicy(domain, id, held.fetchedAt(), held.policy(), body));
    } catch (IOException | RuntimeException ex) {
      storeProblem(store.toString(), "cannot save policy of " + domain + ": " + ex);
    }
  }

  private void fetchFailed(
      DomainName domain,
      Resolution.@Nullable Active cached,
      String id,
      Failure failure,
      boolean refresh) {
    fetchFailures.increment();
    try {
      listener.fetchFailed(domain, id, failure);
      if (refresh) {
        listener.refreshFailed(domain, id, failure);
      }
    } catch (RuntimeException ex) {
      listenerFailed(ex);
    }
    if (cached != null && cached.policy().mode() == Mode.NONE) {
      // RFC 8461 §10.2 (STS-30): no alert while the cached policy is mode none.
      LOG.debug("{}: fetching policy id {} failed: {}", domain, id, failure);
    } else if (cached != null) {
      alerts.alert(
          domain,
          (refresh ? "refresh" : "fetch") + " of MTA-STS policy id " + id + " failed (" + failure
              + "); keeping cached policy id " + cached.policyId() + " until "
              + Instant.ofEpochMilli(Entry.expiresAt(cached)));
    } else {
      alerts.alert(
          domain, "fetching MTA-STS policy id " + id + " failed (" + failure + "); no policy applies");
    }
  }

  /**
   * The unexpired stored policy of {@code domain} as an entry that still needs its TXT check (not
   * installed), or null.
   */
  private @Nullable Entry fromStore(DomainName domain, long now) {
    PolicyStore.StoredPolicy s;
    try {
      s = store.load(domain);
    } catch (IOException | RuntimeException ex) {
      String why = ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
      storeProblem(store.toString(), "cannot read stored policy of " + domain + ": " + why);
      return null;
    }
    if (s == null || !s.domain().equals(domain)) {
      return null;
    }
    Resolution.Active held = stored(domain, s);
    if (Entry.expiresAt(held) <= now) {
      return null;
    }
    LOG.debug("{}: reloaded stored policy id {} for its TXT check", domain, held.policyId());
    return entry(held, held, now, null);
  }

  private void loadStore() {
    List<PolicyStore.StoredPolicy> stored;
    try {
      stored = store.loadAll(p -> storeProblem(p.location(), p.detail()));
    } catch (IOException | RuntimeException ex) {
      storeProblem(store.toString(), "cannot load stored policies: " + ex);
      return;
    }
    long now = clock.millis();
    for (PolicyStore.StoredPolicy s : stored) {
      Resolution.Active held = stored(s.domain(), s);
      if (Entry.expiresAt(held) <= now) {
        try {
          store.delete(s.domain());
        } catch (IOException | RuntimeException ex) {
          storeProblem(store.toString(), "cannot delete expired policy of " + s.domain());
        }
        continue;
      }
      // Not confirmed yet: the first lookup checks the TXT id (answerUntil already passed).
      install(s.domain(), entry(held, held, now, null));
    }
    LOG.debug("loaded {} stored MTA-STS policies", bounded.estimatedSize());
  }

  private static Resolution.Active stored(DomainName domain, PolicyStore.StoredPolicy s) {
    return new Resolution.Active(domain, s.policy(), s.policyId(), Source.CACHE, s.fetchedAt(), null);
  }

  private void storeProblem(String location, String detail) {
    storeProblems.increment();
    LOG.warn("policy store: {}: {}", location, detail);
    try {
      listener.storeProblem(location, detail);
    } catch (RuntimeException ex) {
      listenerFailed(ex);
    }
  }

  private void notifyHit(DomainName domain) {
    try {
      listener.hit(domain);
    } catch (RuntimeException ex) {
      listenerFailed(ex);
    }
  }

  private void onEviction(@Nullable DomainName key, @Nullable Entry value, RemovalCause cause) {
    if (key == null || value == null) {
      return;
    }
    hot.remove(key, value);
    evictions.increment();
    try {
      listener.evicted(
          key,
          cause == RemovalCause.SIZE
              ? CacheListener.EvictionCause.SIZE
              : CacheListener.EvictionCause.EXPIRED);
    } catch (RuntimeException ex) {
      listenerFailed(ex);
    }
  }

  /** Where administrator alerts about failed fetches go (STS-30); tests record them instead. */
  @FunctionalInterface
  interface AlertSink {
    /** Logs at WARN, the default. */
    AlertSink LOG_WARN = (domain, message) -> LOG.warn("{}: {}", domain, message);

    void alert(DomainName domain, String message);
  }

  private static void listenerFailed(RuntimeException ex) {
    LOG.warn("cache listener threw", ex);
  }

  /** Lifetimes come from the wall clock so they survive restarts; Caffeine just enforces them. */
  private static final class EntryExpiry implements Expiry<DomainName, Entry> {
    private final InstantSource clock;

    EntryExpiry(InstantSource clock) {
      this.clock = clock;
    }

    private long nanosLeft(Entry e) {
      long millis = e.evictAt() - clock.millis();
      if (millis <= 0) {
        return 0;
      }
      return millis >= Long.MAX_VALUE / 2_000_000L ? Long.MAX_VALUE / 2 : millis * 1_000_000L;
    }

    @Override
    public long expireAfterCreate(DomainName key, Entry value, long currentTime) {
      return nanosLeft(value);
    }

    @Override
    public long expireAfterUpdate(
        DomainName key, Entry value, long currentTime, long currentDuration) {
      return nanosLeft(value);
    }

    @Override
    public long expireAfterRead(
        DomainName key, Entry value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Builds {@link PolicyCache} instances. Not thread-safe. */
  public static final class Builder {
    private final Function<DomainName, Discovery> discoverer;
    private final Function<DomainName, FetchResult> fetcher;
    private @Nullable MtaSts clockFallback;
    private @Nullable InstantSource clock;
    private @Nullable Ticker ticker;
    private long maximumSize = 10_000;
    private Duration recheckMin = Duration.ofSeconds(30);
    private Duration recheckMax = Duration.ofHours(1);
    private Duration failureBackoff = Duration.ofMinutes(5);
    private double jitter = 0.1;
    private int maxConcurrentRefreshes = 4;
    private @Nullable Executor refreshExecutor;
    private PolicyStore store = PolicyStore.none();
    private CacheListener listener = CacheListener.NONE;
    private AlertSink alerts = AlertSink.LOG_WARN;
    private boolean sweep = true;
    private @Nullable ScheduledExecutorService sweepScheduler;
    private Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
    private Duration hitClockTick = DEFAULT_HIT_CLOCK_TICK;
    private boolean tickAnyClock;
    private @Nullable ScheduledExecutorService tickScheduler;

    private Builder(
        Function<DomainName, Discovery> discoverer, Function<DomainName, FetchResult> fetcher) {
      this.discoverer = Objects.requireNonNull(discoverer, "discover");
      this.fetcher = Objects.requireNonNull(fetcher, "fetch");
    }

    /**
     * The wall clock for fetch times, {@code max_age}, re-check intervals and back-off (default:
     * the {@link MtaSts}'s clock, else {@link InstantSource#system()}). Lookups that go to the
     * network read it exactly. Lookups answered from memory read it exactly too, unless it is the
     * system clock and the refresh sweep runs: then they read a copy refreshed every {@linkplain
     * #hitClockTick tick}.
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The ticker Caffeine uses to schedule expiry (default: derived from the wall clock, so
     * entries live by wall time and no {@link System#nanoTime()} is read). Tests pass the same
     * fake as the clock.
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * The most domains held in memory (default 10 000); see the class documentation for which are
     * evicted.
     *
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public Builder maximumSize(long size) {
      if (size < 1) {
        throw new IllegalArgumentException("maximumSize must be at least 1, was " + size);
      }
      this.maximumSize = size;
      return this;
    }

    /**
     * Bounds for reusing a TXT check (default 30 s to 1 h): a confirmed policy is reused for the
     * record's DNS TTL clamped to {@code [min, max]}; "no policy" answers and fallbacks after a
     * DNS failure are reused for {@code min}. Pass equal values for a fixed interval.
     *
     * @throws IllegalArgumentException if {@code min} is negative or greater than {@code max}
     */
    public Builder txtRecheckInterval(Duration min, Duration max) {
      Objects.requireNonNull(min, "min");
      Objects.requireNonNull(max, "max");
      if (min.isNegative() || min.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            "txtRecheckInterval needs 0 <= min <= max, was " + min + ", " + max);
      }
      this.recheckMin = min;
      this.recheckMax = max;
      return this;
    }

    /**
     * How long to wait before fetching the same policy id again after a failed fetch (default and
     * minimum: 5 minutes, RFC 8461 §3.3).
     *
     * @throws IllegalArgumentException if shorter than 5 minutes
     */
    public Builder failureBackoff(Duration backoff) {
      if (backoff.compareTo(Duration.ofMinutes(5)) < 0) {
        throw new IllegalArgumentException(
            "failureBackoff must be at least 5 minutes (RFC 8461 §3.3), was " + backoff);
      }
      this.failureBackoff = backoff;
      return this;
    }

    /**
     * The largest fraction by which a refresh is brought forward at random (default 0.1), so that
     * refreshes of many domains do not all fall at once. {@code 0} disables jitter.
     *
     * @throws IllegalArgumentException unless {@code 0 <= fraction < 1}
     */
    public Builder refreshJitter(double fraction) {
      if (!(fraction >= 0 && fraction < 1)) {
        throw new IllegalArgumentException("refreshJitter must be in [0, 1), was " + fraction);
      }
      this.jitter = fraction;
      return this;
    }

    /**
     * The most refreshes running at once (default 4).
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Builder maxConcurrentRefreshes(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxConcurrentRefreshes must be at least 1, was " + n);
      }
      this.maxConcurrentRefreshes = n;
      return this;
    }

    /**
     * Where background refreshes run (default: daemon threads owned by the cache, shut down by
     * {@link PolicyCache#close()}). Each refresh blocks for its DNS lookup and HTTPS fetch.
     */
    public Builder refreshExecutor(Executor executor) {
      this.refreshExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Runs the refresh sweep ({@link PolicyCache#refreshDue()}) every {@code interval} on {@code
     * scheduler}, which the caller owns: {@link PolicyCache#close()} cancels the sweep's task but
     * does not shut the scheduler down. The sweep itself only queues refreshes; they run on the
     * {@linkplain #refreshExecutor refresh executor}. Without this call the cache runs the sweep
     * every 15 minutes on one daemon thread of its own (see the class documentation).
     *
     * @param scheduler runs the sweep; owned by the caller
     * @param interval time between the end of one sweep and the start of the next (and before
     *     the first)
     * @return this builder
     * @throws IllegalArgumentException if {@code interval} is shorter than 1 second
     */
    public Builder refreshSweep(ScheduledExecutorService scheduler, Duration interval) {
      Objects.requireNonNull(scheduler, "scheduler");
      this.sweepInterval = checkSweepInterval(interval);
      this.sweepScheduler = scheduler;
      this.sweep = true;
      return this;
    }

    /**
     * Runs the refresh sweep every {@code interval} (default 15 minutes) on the daemon thread the
     * cache creates for it.
     *
     * @param interval time between the end of one sweep and the start of the next (and before
     *     the first)
     * @return this builder
     * @throws IllegalArgumentException if {@code interval} is shorter than 1 second
     */
    public Builder refreshSweep(Duration interval) {
      this.sweepInterval = checkSweepInterval(interval);
      this.sweepScheduler = null;
      this.sweep = true;
      return this;
    }

    /**
     * Turns the refresh sweep off: the cache then creates no sweep thread and schedules nothing,
     * and policies are refreshed only when a lookup finds them due or when the caller calls {@link
     * PolicyCache#refreshDue()}. A policy not looked up for a while then expires unrefreshed,
     * which reopens the first-contact window RFC 8461 §10.2 warns about; call {@code refreshDue()}
     * periodically instead.
     *
     * @return this builder
     */
    public Builder noRefreshSweep() {
      this.sweep = false;
      this.sweepScheduler = null;
      return this;
    }

    /**
     * How often the hit clock is refreshed (default 1 second). With the system clock and a
     * refresh sweep, a lookup answered from memory compares the time a task on the sweep's
     * scheduler stores every {@code tick} instead of reading the clock (the clock read costs more
     * than the rest of the hit, see the class documentation). The stored time is the clock plus
     * two ticks, so no answer is served from memory past its TXT re-check or expiry time even
     * when a tick runs up to one period late: lookups in the last two ticks before either read
     * the clock exactly (a tick stalled for longer lets hits run late by the excess, until the
     * next tick or network lookup), and a re-check interval
     * of zero still checks the TXT record on every lookup. Everything else (fetch times,
     * expiry on the network path, back-off) reads the clock exactly. With any other clock, or
     * with {@link #noRefreshSweep()}, no tick runs and hits read the clock exactly. The tick runs
     * on a daemon thread of the cache's own that does nothing else, until {@link
     * PolicyCache#close()}.
     *
     * @param tick the refresh interval of the hit clock
     * @return this builder
     * @throws IllegalArgumentException unless {@code 1 ms <= tick <= 1 minute}
     */
    public Builder hitClockTick(Duration tick) {
      Objects.requireNonNull(tick, "tick");
      if (tick.compareTo(Duration.ofMillis(1)) < 0 || tick.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "hitClockTick must be between 1 ms and 1 minute, was " + tick);
      }
      this.hitClockTick = tick;
      return this;
    }

    /**
     * Ticks the hit clock even when the clock is not the system clock, on {@code scheduler}
     * instead of a thread of the cache's own; for tests of the tick.
     */
    Builder tickAnyClock(ScheduledExecutorService scheduler) {
      this.tickAnyClock = true;
      this.tickScheduler = scheduler;
      return this;
    }

    private static Duration checkSweepInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "refresh sweep interval must be at least 1 second, was " + interval);
      }
      return interval;
    }

    /** Replaces the WARN log used for alerts about failed fetches; for tests of STS-30. */
    Builder alerts(AlertSink sink) {
      this.alerts = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /** Where fetched policies are persisted (default {@link PolicyStore#none()}). */
    public Builder store(PolicyStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Receives cache events (default {@link CacheListener#NONE}). */
    public Builder listener(CacheListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the cache, loads the store (reporting unreadable items to the listener) and schedules
     * the refresh sweep unless it was {@linkplain #noRefreshSweep turned off}.
     */
    public PolicyCache build() {
      if (clock == null && clockFallback != null) {
        clock = clockFallback.clock();
      }
      PolicyCache cache = new PolicyCache(this);
      if (sweep) {
        cache.startSweep(sweepScheduler, sweepInterval.toMillis());
      }
      return cache;
    }
  }
}
