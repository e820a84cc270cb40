package io.github.mtasts4j.benchmarks;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.tlsrpt.SessionResult;
import io.github.mtasts4j.tlsrpt.TlsReporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Session-result recording for TLS reports (issue #7 item 6): {@link TlsReporter#record} with 2
 * threads, ns per recorded session (per thread), against a bare {@link ConcurrentHashMap} of
 * {@link LongAdder}s keyed by (domain, failure type) counting the same pre-built results ({@code
 * _chmCounter}, the floor for any counting design). Results: 1 024 pre-built {@link
 * SessionResult}s over 100 domains with one shared policy, one in eight a {@code
 * certificate-expired} failure, all on the same day. The floor allocates its key String per call;
 * it has no journal, while the library's score includes its once-per-second journal write.
 *
 * <p>Run (about 1 minute): {@code java -jar benchmarks/target/benchmarks.jar ReportRecordBench
 * -prof gc -rf json -rff report.json}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(2)
public class ReportRecordBench {
  static final int RESULTS = 1024;
  static final long FLUSH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  SessionResult[] results;
  TlsReporter reporter;
  Path state;
  ConcurrentHashMap<String, LongAdder> counters;
  /** {@link System#nanoTime()} of the last journal write, shared by the recording threads. */
  final AtomicLong lastFlush = new AtomicLong(System.nanoTime());

  /** Builds the results and a reporter with a throw-away state directory. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Policy policy = Policy.parse(Inputs.POL4);
    Instant at = Instant.now();
    InetAddress mxIp = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
    results = new SessionResult[RESULTS];
    for (int i = 0; i < RESULTS; i++) {
      DomainName domain = DomainName.of("domain" + (i % 100) + ".example");
      DomainName mx = DomainName.of("mail.example.com");
      results[i] = i % 8 == 7
          ? SessionResult.failure(domain, policy, mx, mxIp, null, null,
              ResultType.CERTIFICATE_EXPIRED, "expired", at)
          : SessionResult.success(domain, policy, mx, mxIp, null, at);
    }
    state = Files.createTempDirectory("tlsrpt-bench");
    reporter = TlsReporter.newBuilder()
        .organizationName("bench")
        .contactInfo("tlsrpt@bench.example")
        .stateDirectory(state)
        .build();
    counters = new ConcurrentHashMap<>();
  }

  /** Deletes the state directory. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    reporter.close();
    try (Stream<Path> files = Files.walk(state)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  /** Each thread walks the results from its own start. */
  @State(Scope.Thread)
  public static class Cursor {
    int next = ThreadLocalRandom.current().nextInt(RESULTS);
  }

  /**
   * mtasts4j. Every 1 024th call of a thread also checks whether a second has passed since the last
   * journal write and, if so, writes the counts recorded since then ({@link TlsReporter#flush()}),
   * as the started reporter's once-per-second {@link TlsReporter#tick()} does. The write's cost is
   * thus amortised into the score, as a real sender pays it.
   */
  @Benchmark
  public void record_lib(Cursor c) {
    int i = c.next++;
    reporter.record(results[i & (RESULTS - 1)]);
    if ((i & 1023) == 0) {
      long now = System.nanoTime();
      long last = lastFlush.get();
      if (now - last >= FLUSH_INTERVAL_NANOS && lastFlush.compareAndSet(last, now)) {
        reporter.flush();
      }
    }
  }

  /** Floor: one counter per (domain, result type) in a ConcurrentHashMap. */
  @Benchmark
  public void record_chmCounter(Cursor c) {
    SessionResult r = results[c.next++ & (RESULTS - 1)];
    ResultType f = r.failure();
    String key = r.policyDomain().value() + (f == null ? "" : f.token());
    counters.computeIfAbsent(key, k -> new LongAdder()).increment();
  }
}
