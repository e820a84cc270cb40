package io.github.mtasts4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.MxPattern;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.testing.FakeClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recording path and its journal: exact counts under concurrency and policy/failure variety,
 * replay of journaled deltas after a crash, and corrupt delta lines.
 */
class RecordingTest {
  static final LocalDate DAY = LocalDate.parse("2026-03-10");
  static final Instant NOON = Instant.parse("2026-03-10T12:00:00Z");

  @TempDir Path state;
  final FakeClock clock = FakeClock.at(Instant.parse("2026-03-10T08:00:00Z"));

  TlsReporter reporter() {
    return TlsReporter.newBuilder()
        .organizationName("Sender Org")
        .contactInfo("tlsrpt@sender.example")
        .stateDirectory(state)
        .clock(clock)
        .dnsClient(new MapDns())
        .random(new SplittableRandom(7))
        .build();
  }

  static Policy policy(Mode mode, String mx) {
    return new Policy(mode, 86400, List.of(new MxPattern.Exact(new DomainName(mx))));
  }

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Session {@code i} of a recording thread: ten domains, per domain three equal policy instances
   * and one different policy, twelve failure groups (more than the reporter caches per policy),
   * fresh {@link InetAddress} objects, and failures before any policy was found.
   */
  static SessionResult session(List<List<Policy>> policies, int thread, int i) {
    int d = (i + thread) % policies.size();
    DomainName domain = new DomainName("d" + d + ".example");
    List<Policy> ps = policies.get(d);
    DomainName mx = new DomainName("mx.d" + d + ".example");
    int kind = (i * 7 + thread) % 20;
    if (kind < 10) {
      return SessionResult.success(domain, ps.get(i % 3), mx, ip("192.0.2.1"), null, NOON);
    }
    if (kind < 12) {
      return SessionResult.success(domain, ps.get(3), mx, null, null, NOON);
    }
    if (kind < 19) {
      ResultType type = i % 2 == 0 ? ResultType.CERTIFICATE_EXPIRED : ResultType.VALIDATION_FAILURE;
      return SessionResult.failure(domain, ps.get(i % 3), mx, ip("192.0.2." + (i % 6)), null,
          null, type, null, NOON);
    }
    return SessionResult.failure(domain, null, null, null, null, null,
        ResultType.STS_POLICY_FETCH_ERROR, "HTTP 500", NOON);
  }

  static List<List<Policy>> policies(int domains) {
    List<List<Policy>> out = new ArrayList<>();
    for (int d = 0; d < domains; d++) {
      String mx = "mx.d" + d + ".example";
      out.add(List.of(policy(Mode.TESTING, mx), policy(Mode.TESTING, mx), policy(Mode.TESTING, mx),
          policy(Mode.ENFORCE, mx)));
    }
    return out;
  }

  /** Session counts per (domain, policy, outcome, MX, receiving IP), as a report states them. */
  static Map<String, Long> counts(List<TlsReport> reports) {
    Map<String, Long> out = new TreeMap<>();
    for (TlsReport r : reports) {
      for (TlsReport.PolicyResult p : r.policies()) {
        String prefix = r.policyDomain() + "|" + p.policy().policyType() + "|"
            + String.join(",", p.policy().policyString()) + "|";
        long failed = 0;
        for (TlsReport.FailureDetail f : p.failureDetails()) {
          out.merge(prefix + f.resultType() + "|" + f.receivingMxHostname() + "|" + f.receivingIp()
              + "|" + f.failureReasonCode(), f.failedSessionCount(), Long::sum);
          failed += f.failedSessionCount();
        }
        assertThat(p.summary().totalFailureSessionCount()).isEqualTo(failed);
        if (p.summary().totalSuccessfulSessionCount() > 0) {
          out.merge(prefix + "ok", p.summary().totalSuccessfulSessionCount(), Long::sum);
        }
      }
    }
    return out;
  }

  /** The same counts computed directly from the sessions. */
  static Map<String, Long> expected(List<SessionResult> sessions) {
    Map<String, Long> out = new TreeMap<>();
    for (SessionResult s : sessions) {
      String key = s.policyDomain().value() + "|" + s.policyType().token() + "|"
          + (s.policy() == null ? "" : String.join(",", s.policy().lines())) + "|";
      if (s.failure() == null) {
        key += "ok";
      } else {
        key += s.failure().token() + "|"
            + (s.receivingMxHostname() == null ? null : s.receivingMxHostname().value()) + "|"
            + Keys.ip(s.receivingIp()) + "|" + s.failureReasonCode();
      }
      out.merge(key, 1L, Long::sum);
    }
    return out;
  }

  @Test
  void record_severalThreadsOverSeveralDomains_withConcurrentFlushes_exactCounts()
      throws Exception {
    List<List<Policy>> policies = policies(10);
    int threads = 4;
    int each = 20_000;
    TlsReporter r = reporter();
    CountDownLatch go = new CountDownLatch(1);
    AtomicBoolean recording = new AtomicBoolean(true);
    AtomicReference<Throwable> error = new AtomicReference<>();
    List<Thread> recorders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      recorders.add(new Thread(() -> {
        try {
          go.await();
          for (int i = 0; i < each; i++) {
            r.record(session(policies, thread, i));
          }
        } catch (Throwable e) {
          error.set(e);
        }
      }));
    }
    // journal writes racing the recorders: every session must be journaled exactly once
    Thread flusher = new Thread(() -> {
      try {
        go.await();
        while (recording.get()) {
          r.flush();
        }
      } catch (Throwable e) {
        error.set(e);
      }
    });
    recorders.forEach(Thread::start);
    flusher.start();
    go.countDown();
    for (Thread t : recorders) {
      t.join();
    }
    recording.set(false);
    flusher.join();
    assertThat(error.get()).isNull();

    List<SessionResult> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < each; i++) {
        all.add(session(policies, t, i));
      }
    }
    Map<String, Long> expected = expected(all);
    assertThat(expected.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(threads * each);
    assertThat(r.pending(DAY)).hasSize(10);
    assertThat(counts(r.pending(DAY))).isEqualTo(expected);

    // what the journal holds is exactly the same, read by a reporter started after a crash
    TlsReporter reopened = reporter();
    assertThat(counts(reopened.pending(DAY))).isEqualTo(expected);
    reopened.close();
  }

  @Test
  void failedJournalWrite_countsWrittenByTheNextFlushWithoutNewSessions() throws Exception {
    Policy p = policy(Mode.TESTING, "mx.alpha.example");
    DomainName alpha = new DomainName("alpha.example");
    DomainName mx = new DomainName("mx.alpha.example");
    Path dayFile = state.resolve("journal").resolve(DAY + ".jsonl");
    TlsReporter first = reporter();
    first.flush(); // creates the journal directory
    Files.createDirectories(dayFile); // the day's journal cannot be written
    for (int i = 0; i < 4; i++) {
      first.record(SessionResult.success(alpha, p, mx, ip("192.0.2.25"), null, NOON));
    }

    first.tick(); // the failed write is logged, not thrown from the periodic work
    assertThatThrownBy(first::flush).isInstanceOf(UncheckedIOException.class);
    Files.delete(dayFile);
    first.flush(); // no session since the failure
    // "first" crashes: only what the journal holds survives

    Map<String, Long> replayed = counts(reporter().pending(DAY));
    assertThat(replayed).containsOnly(
        Map.entry("alpha.example|sts|version: STSv1,mode: testing,mx: mx.alpha.example,max_age: 86400|ok", 4L));
  }

  @Test
  void journalStaysUnwritable_finishedDayIsStillFinalizedWithItsCounts() throws Exception {
    Policy p = policy(Mode.TESTING, "mx.alpha.example");
    DomainName alpha = new DomainName("alpha.example");
    DomainName mx = new DomainName("mx.alpha.example");
    TlsReporter first = reporter();
    first.flush(); // creates the journal directory
    Files.createDirectories(state.resolve("journal").resolve(DAY + ".jsonl")); // never writable
    for (int i = 0; i < 3; i++) {
      first.record(SessionResult.success(alpha, p, mx, ip("192.0.2.25"), null, NOON));
    }
    clock.advance(Duration.ofHours(30)); // the next day, past the largest random delay

    first.tick();

    String key = "alpha.example|sts|version: STSv1,mode: testing,mx: mx.alpha.example,max_age: 86400|ok";
    assertThat(first.deliveries(DAY)).isNotEmpty();
    assertThat(first.pending(DAY)).singleElement()
        .satisfies(r -> assertThat(r.reportId()).isNotEqualTo("pending"));
    assertThat(counts(first.pending(DAY))).containsOnly(Map.entry(key, 3L));
    // a restart finds the finalized report, counted once
    assertThat(counts(reporter().pending(DAY))).containsOnly(Map.entry(key, 3L));
  }

  @Test
  void crash_replaysFlushedDeltas_restoredCountsNotJournaledAgain() {
    Policy p = policy(Mode.TESTING, "mx.alpha.example");
    DomainName alpha = new DomainName("alpha.example");
    DomainName beta = new DomainName("beta.example");
    DomainName mx = new DomainName("mx.alpha.example");
    InetAddress rip = ip("192.0.2.25");
    TlsReporter first = reporter();
    for (int i = 0; i < 5; i++) {
      first.record(SessionResult.success(alpha, p, mx, rip, null, NOON));
    }
    first.record(SessionResult.failure(beta, null, null, null, null, null,
        ResultType.STS_POLICY_FETCH_ERROR, "HTTP 404", NOON));
    first.tick(); // what the started reporter does every second
    for (int i = 0; i < 3; i++) {
      first.record(SessionResult.failure(alpha, p, mx, rip, null, "helo", ResultType.CERTIFICATE_EXPIRED, null, NOON));
    }
    first.flush();
    first.record(SessionResult.success(alpha, p, mx, rip, null, NOON)); // lost: never flushed
    // "first" crashes: dropped without close()

    clock.advance(Duration.ofHours(1));
    TlsReporter second = reporter();
    Map<String, Long> afterCrash = counts(second.pending(DAY));
    assertThat(afterCrash).containsOnly(
        Map.entry("alpha.example|sts|version: STSv1,mode: testing,mx: mx.alpha.example,max_age: 86400|ok", 5L),
        Map.entry("alpha.example|sts|version: STSv1,mode: testing,mx: mx.alpha.example,max_age: 86400|certificate-expired|mx.alpha.example|192.0.2.25|null", 3L),
        Map.entry("beta.example|no-policy-found||sts-policy-fetch-error|null|null|HTTP 404", 1L));
    second.record(SessionResult.success(alpha, p, mx, rip, null, NOON));
    second.tick();
    // "second" crashes too; had it journaled the replayed counts again, they would double
    TlsReporter third = reporter();
    Map<String, Long> afterSecondCrash = counts(third.pending(DAY));
    assertThat(afterSecondCrash).containsOnly(
        Map.entry("alpha.example|sts|version: STSv1,mode: testing,mx: mx.alpha.example,max_age: 86400|ok", 6L),
        Map.entry("alpha.example|sts|version: STSv1,mode: testing,mx: mx.alpha.example,max_age: 86400|certificate-expired|mx.alpha.example|192.0.2.25|null", 3L),
        Map.entry("beta.example|no-policy-found||sts-policy-fetch-error|null|null|HTTP 404", 1L));
    third.close();
  }

  @Test
  void corruptDeltaLines_skippedWithWarning_restCounted() throws Exception {
    Policy p = policy(Mode.TESTING, "mx.alpha.example");
    DomainName alpha = new DomainName("alpha.example");
    DomainName mx = new DomainName("mx.alpha.example");
    TlsReporter first = reporter();
    first.record(SessionResult.success(alpha, p, mx, null, null, NOON));
    first.record(SessionResult.success(alpha, p, mx, null, null, NOON));
    first.flush();
    Path journal = state.resolve("journal").resolve(DAY + ".jsonl");
    String head = "{\"day\":\"2026-03-10\",\"d\":\"alpha.example\",";
    Files.writeString(journal, String.join("\n",
        head + "\"pt\":\"sts\",\"ps\":[],\"mx\":[],\"s\":-4}", // negative count
        head + "\"pt\":\"sts\",\"ps\":[],\"mx\":[],\"f\":[{\"rt\":\"certificate-expired\"}]}", // no count
        "{\"day\":\"2026-03-11\",\"d\":\"alpha.example\",\"pt\":\"sts\",\"ps\":[],\"mx\":[],\"s\":5}", // other day
        head + "\"pt\":\"dane\",\"ps\":[],\"mx\":[],\"s\":5}", // unknown policy type
        "\u0000\u00ff garbage",
        // a valid line written by hand is counted like any other
        head + "\"pt\":\"no-policy-found\",\"ps\":[],\"mx\":[],\"f\":[{\"rt\":\"sts-policy-fetch-error\",\"n\":3}]}",
        "") , StandardOpenOption.APPEND);
    first.record(SessionResult.success(alpha, p, mx, null, null, NOON));
    first.flush();
    Files.writeString(journal, head + "\"pt\":\"sts\",\"ps\":[\"vers", StandardOpenOption.APPEND); // cut short
    // "first" crashes

    String warnings;
    TlsReporter second;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      second = reporter();
    } finally {
      System.setErr(err);
    }
    warnings = captured.toString(StandardCharsets.UTF_8);
    assertThat(warnings.lines().filter(l -> l.contains("WARN") && l.contains("skipping corrupt TLS report journal entry")))
        .extracting(l -> l.substring(l.lastIndexOf(':') + 1))
        .containsExactly("2", "3", "4", "5", "6", "9");
    Map<String, Long> replayed = counts(second.pending(DAY));
    assertThat(replayed).containsOnly(
        Map.entry("alpha.example|sts|version: STSv1,mode: testing,mx: mx.alpha.example,max_age: 86400|ok", 3L),
        Map.entry("alpha.example|no-policy-found||sts-policy-fetch-error|null|null|null", 3L));
    // the next delta is not glued onto the cut-short line
    second.record(SessionResult.success(alpha, p, mx, null, null, NOON));
    second.close();
    TlsReporter third = reporter();
    assertThat(counts(third.pending(DAY))).containsEntry(
        "alpha.example|sts|version: STSv1,mode: testing,mx: mx.alpha.example,max_age: 86400|ok", 4L);
    third.close();
  }

  @Test
  void record_manyPolicyInstancesAndFailureGroupsPerDomain_eachCountedUnderItsKey() {
    DomainName alpha = new DomainName("alpha.example");
    DomainName mx = new DomainName("mx.alpha.example");
    TlsReporter r = reporter();
    List<SessionResult> sessions = new ArrayList<>();
    // twenty distinct policies cycled (more than the per-domain cache holds), each instance
    // rebuilt every round, and twenty failure groups cycled the same way
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 20; i++) {
        Policy p = new Policy(Mode.TESTING, 1000 + i, List.of(new MxPattern.Exact(mx)));
        sessions.add(SessionResult.success(alpha, p, mx, null, null, NOON));
        sessions.add(SessionResult.failure(alpha, p, mx, null, null, null,
            ResultType.CERTIFICATE_NOT_TRUSTED, "reason " + (i % 10), NOON));
      }
    }
    sessions.forEach(r::record);
    List<TlsReport> reports = r.pending(DAY);
    assertThat(reports.get(0).policies()).hasSize(20);
    assertThat(counts(reports)).isEqualTo(expected(sessions));
    r.close();
  }
}
