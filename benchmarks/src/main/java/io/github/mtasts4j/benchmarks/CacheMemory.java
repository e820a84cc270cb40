package io.github.mtasts4j.benchmarks;

import io.github.mtasts4j.Discovery;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.FetchResult;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.PolicyRecord;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.cache.PolicyCache;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Memory per cached policy (issue #7 item 5): retained heap of a {@link PolicyCache} holding
 * {@code n} domains (default 1 000 000), filled through its public API, divided by {@code n}.
 *
 * <p>Method: heap in use (MemoryMXBean) after {@code System.gc()} until it stops shrinking, before
 * and after building the cache; everything the cache keeps (keys, entries, answers, ids, policy
 * bodies, policies) is created after the first reading, so all of it is counted, shared bodies
 * too. Run with SerialGC and a fixed heap so the full GCs are exact. Entry shape as in
 * perf-anchors.md: key {@code domain<i>.example}, a 15-character id per domain, a policy with two
 * mx of 24–26 characters. Layouts: {@code shared} = 10 000 distinct policy bodies spread over the
 * domains (one provider's MX set serves many domains); {@code distinct} = every domain its own
 * body. For scale the same data is also measured in the floor design of perf-anchors.md: a {@link
 * ConcurrentHashMap} from key to a 32-byte record (policy reference, expiry, id hash).
 *
 * <p>Run (about 1 minute): {@code java -XX:+UseSerialGC -Xms6g -Xmx6g -cp
 * benchmarks/target/benchmarks.jar io.github.mtasts4j.benchmarks.CacheMemory [n]}; add {@code
 * --histogram} to print instead the live-object class histogram of the filled cache (where the
 * bytes go).
 */
public final class CacheMemory {
  private static final int SHARED_BODIES = 10_000;
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private CacheMemory() {}

  /** The floor design's value: a shared policy, the expiry and the id as a 64-bit hash. */
  record Compact(Policy policy, long expiresAt, long idHash) {}

  /**
   * Prints a Markdown table of bytes per entry.
   *
   * @param args optional number of domains
   */
  public static void main(String[] args) {
    boolean histogram = args.length > 0 && args[args.length - 1].equals("--histogram");
    int n = args.length > (histogram ? 1 : 0) ? Integer.parseInt(args[0]) : 1_000_000;
    if (histogram) {
      printHistogram(n);
      return;
    }
    System.out.printf(Locale.ROOT, "GC: %s, max heap %d MiB, %d domains%n",
        ManagementFactory.getGarbageCollectorMXBeans().get(0).getName(),
        Runtime.getRuntime().maxMemory() >> 20, n);
    System.out.println();
    System.out.println("| layout | PolicyCache (B/entry) | CHM + compact floor (B/entry) |");
    System.out.println("| --- | --- | --- |");
    for (boolean shared : new boolean[] {true, false}) {
      double lib = measure(n, shared, true);
      double floor = measure(n, shared, false);
      System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f |%n",
          shared ? "shared bodies (" + SHARED_BODIES + " distinct)" : "all bodies distinct",
          lib, floor);
    }
  }

  /** Prints the live-object histogram of a filled cache (shared bodies), for the breakdown. */
  private static void printHistogram(int n) {
    PolicyCache cache = fillCache(n, true);
    try {
      Object text = ManagementFactory.getPlatformMBeanServer().invoke(
          new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
          "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
      text.toString().lines().limit(25).forEach(System.out::println);
    } catch (javax.management.JMException e) {
      throw new IllegalStateException("class histogram unavailable", e);
    }
    Reference.reachabilityFence(cache);
    cache.close();
  }

  private static double measure(int n, boolean shared, boolean lib) {
    long before = usedAfterGc();
    Object built = lib ? fillCache(n, shared) : fillFloor(n, shared);
    long after = usedAfterGc();
    Reference.reachabilityFence(built);
    if (built instanceof PolicyCache cache) {
      cache.close();
    }
    return (after - before) / (double) n;
  }

  static String body(int provider) {
    return "version: STSv1\r\nmode: enforce\r\nmx: mx1.provider" + provider
        + ".example.net\r\nmx: mx2.provider" + provider + ".example.net\r\nmax_age: 604800\r\n";
  }

  static String id(int i) {
    return String.format(Locale.ROOT, "%015d", i);
  }

  private static PolicyCache fillCache(int n, boolean shared) {
    FetchResult.Fetched[] bodies = new FetchResult.Fetched[shared ? SHARED_BODIES : 0];
    for (int p = 0; p < bodies.length; p++) {
      String b = body(p);
      bodies[p] = new FetchResult.Fetched(Policy.parse(b), b);
    }
    PolicyCache cache =
        PolicyCache.newBuilder(
                d -> {
                  int i = indexOf(d);
                  String id = id(i);
                  return new Discovery.Found(d, new PolicyRecord(id, Map.of(), "v=STSv1; id=" + id),
                      Duration.ofHours(1));
                },
                d -> {
                  int i = indexOf(d);
                  if (shared) {
                    return bodies[i % SHARED_BODIES];
                  }
                  String b = body(i);
                  return new FetchResult.Fetched(Policy.parse(b), b);
                })
            .maximumSize(2L * n)
            .build();
    for (int i = 0; i < n; i++) {
      Inputs.check(cache.resolve(new DomainName("domain" + i + ".example"))
          instanceof Resolution.Active, "fill");
    }
    Inputs.check(cache.stats().size() == n, "every domain cached");
    return cache;
  }

  private static Map<DomainName, Compact> fillFloor(int n, boolean shared) {
    Policy[] bodies = new Policy[shared ? SHARED_BODIES : 0];
    for (int p = 0; p < bodies.length; p++) {
      bodies[p] = Policy.parse(body(p));
    }
    long expires = System.currentTimeMillis() + 604_800_000L;
    ConcurrentHashMap<DomainName, Compact> map = new ConcurrentHashMap<>();
    for (int i = 0; i < n; i++) {
      Policy policy = shared ? bodies[i % SHARED_BODIES] : Policy.parse(body(i));
      map.put(new DomainName("domain" + i + ".example"),
          new Compact(policy, expires, hash64(id(i))));
    }
    return map;
  }

  private static int indexOf(DomainName d) {
    String v = d.value();
    return Integer.parseInt(v, 6, v.indexOf('.'), 10);
  }

  private static long hash64(String s) {
    long h = 1125899906842597L;
    for (int i = 0; i < s.length(); i++) {
      h = 31 * h + s.charAt(i);
    }
    return h;
  }

  private static long usedAfterGc() {
    long used = Long.MAX_VALUE;
    for (int round = 0; round < 10; round++) {
      System.gc();
      long now = MEMORY.getHeapMemoryUsage().getUsed();
      if (now >= used && round >= 3) {
        return now;
      }
      used = Math.min(used, now);
    }
    return used;
  }
}
