package io.github.mtasts4j.benchmarks;

import io.github.mtasts4j.Discovery;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.FetchResult;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.MxPattern;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.PolicyRecord;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.Source;
import io.github.mtasts4j.cache.PolicyCache;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cached lookup, the per-message hot path (issue #7 item 3): {@link PolicyCache#resolve} of a
 * domain whose policy is cached and whose TXT check is still fresh, against a bare {@link
 * ConcurrentHashMap#get} of the same key objects ({@code _chm}, the floor), in the same run.
 *
 * <p>Keys are {@code domain<i>.example}, {@code domains} of them (10 000 or 1 000 000), all
 * cached through the public API (a scripted TXT answer with a 1-hour TTL and a fetched policy).
 * Queries are 65 536 pre-drawn {@link DomainName}s, uniform over the keys; each equals a stored key
 * but is a different instance whose String hash is already cached. {@code t1_*} is one thread,
 * average time; {@code t2_*} is two threads, throughput summed over both. The cache is built
 * as a sender would build it (system clock, default refresh sweep), so its hits read the ticked hit
 * clock, not the wall clock. {@code clockRead_*} time the two JDK clocks alone, for scale.
 *
 * <p>Run (about 4 minutes): {@code java -jar benchmarks/target/benchmarks.jar CachedLookupBench
 * -prof gc -rf json -rff cache.json}
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class CachedLookupBench {
  static final int QUERIES = 1 << 16;
  static final int MASK = QUERIES - 1;

  /** The stored keys and the pre-drawn queries. */
  @State(Scope.Benchmark)
  public static class Keys {
    /** How many domains are cached. */
    @Param({"10000", "1000000"})
    public int domains;

    DomainName[] keys;
    DomainName[] queries;

    /** Creates keys and queries. */
    @Setup(Level.Trial)
    public void setUp() {
      keys = new DomainName[domains];
      for (int i = 0; i < domains; i++) {
        keys[i] = new DomainName("domain" + i + ".example");
      }
      SplittableRandom random = new SplittableRandom(8461);
      queries = new DomainName[QUERIES];
      for (int i = 0; i < QUERIES; i++) {
        DomainName q = new DomainName(Inputs.fresh(keys[random.nextInt(domains)].value()));
        q.hashCode();
        queries[i] = q;
      }
    }
  }

  /** Each thread walks the queries from its own random start. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    /** Picks the start. */
    @Setup(Level.Trial)
    public void setUp() {
      next = ThreadLocalRandom.current().nextInt(QUERIES);
    }

    DomainName take(DomainName[] queries) {
      return queries[next++ & MASK];
    }
  }

  /** A PolicyCache with the default (system) clock, every key cached. */
  @State(Scope.Benchmark)
  public static class Lib {
    PolicyCache cache;

    /** Fills the cache. */
    @Setup(Level.Trial)
    public void setUp(Keys k) {
      cache = filled(k, InstantSource.system());
    }

    /** Stops the cache's refresh threads. */
    @TearDown(Level.Trial)
    public void tearDown() {
      cache.close();
    }
  }

  /** The floor: the same key objects in a ConcurrentHashMap. */
  @State(Scope.Benchmark)
  public static class Chm {
    ConcurrentHashMap<DomainName, Resolution> map;

    /** Fills the map. */
    @Setup(Level.Trial)
    public void setUp(Keys k) {
      map = new ConcurrentHashMap<>();
      for (DomainName key : k.keys) {
        map.put(key, new Resolution.Active(key, POLICY, "20240101T000000", Source.CACHE,
            java.time.Instant.now(), null));
      }
      for (DomainName q : k.queries) {
        Inputs.check(map.get(q) != null, "every query hits the map");
      }
    }
  }

  static final Policy POLICY =
      new Policy(Mode.ENFORCE, 86_400, List.of(
          new MxPattern.Exact(new DomainName("mx1.provider.example")),
          new MxPattern.Exact(new DomainName("mx2.provider.example"))));

  static PolicyCache filled(Keys k, InstantSource clock) {
    String body = "version: STSv1\r\nmode: enforce\r\nmx: mx1.provider.example\r\n"
        + "mx: mx2.provider.example\r\nmax_age: 86400\r\n";
    PolicyCache cache =
        PolicyCache.newBuilder(
                d -> new Discovery.Found(
                    d, new PolicyRecord("20240101T000000", Map.of(), "v=STSv1; id=20240101T000000"),
                    Duration.ofHours(1)),
                d -> new FetchResult.Fetched(POLICY, body))
            .clock(clock)
            .maximumSize(2L * k.domains)
            .build();
    for (DomainName key : k.keys) {
      cache.resolve(key);
    }
    for (DomainName q : k.queries) {
      Inputs.check(cache.resolve(q) instanceof Resolution.Active a && a.source() == Source.CACHE,
          "every query is a cache hit");
    }
    Inputs.check(cache.stats().txtLookups() == k.domains, "no network path during the check");
    return cache;
  }

  /** mtasts4j, 1 thread. */
  @Benchmark
  @BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
  @Threads(1)
  public Resolution t1_lib(Lib lib, Keys k, Cursor c) {
    return lib.cache.resolve(c.take(k.queries));
  }

  /** Floor, 1 thread. */
  @Benchmark
  @BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
  @Threads(1)
  public Resolution t1_chm(Chm chm, Keys k, Cursor c) {
    return chm.map.get(c.take(k.queries));
  }

  /** mtasts4j, 2 threads. */
  @Benchmark
  @BenchmarkMode(org.openjdk.jmh.annotations.Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Threads(2)
  public Resolution t2_lib(Lib lib, Keys k, Cursor c) {
    return lib.cache.resolve(c.take(k.queries));
  }

  /** Floor, 2 threads. */
  @Benchmark
  @BenchmarkMode(org.openjdk.jmh.annotations.Mode.Throughput)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Threads(2)
  public Resolution t2_chm(Chm chm, Keys k, Cursor c) {
    return chm.map.get(c.take(k.queries));
  }

  /** For scale, not a target: one {@code System.currentTimeMillis()} (what a hit would cost
   * more if it read the system clock's {@code InstantSource.millis()}). */
  @Benchmark
  @BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
  @Threads(1)
  public long clockRead_currentTimeMillis() {
    return System.currentTimeMillis();
  }

  /** For scale, not a target: one {@code System.nanoTime()}. */
  @Benchmark
  @BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
  @Threads(1)
  public long clockRead_nanoTime() {
    return System.nanoTime();
  }
}
