package io.github.mtasts4j.tlsrpt;

import io.github.mtasts4j.Policy;
import io.github.mtasts4j.tlsrpt.Keys.FailureKey;
import io.github.mtasts4j.tlsrpt.Keys.PolicyKey;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * In-memory counts per (policy domain, UTC day, policy), each with its failure groups, and how much
 * of them has been journaled.
 *
 * <p>{@link #add(SessionResult, long)} runs on the delivery path. It takes no lock: one map read
 * for the domain, a scan of the domain's few recently used (day, {@link Policy} instance) pairs
 * compared by identity, and a {@link LongAdder} increment; a failure also scans the policy's
 * recently seen failure groups, compared field by field with the result. Once a domain has seen its
 * policy (and failure group) on a day, recording allocates nothing. Only a new day, policy instance
 * or failure group takes a lock, and that lock is the domain's own, so domains never contend.
 *
 * <p>The journal is fed deltas: {@link #unjournaled()} reads every counter of the domains touched
 * since the last call and returns what it holds beyond what was journaled. Counters only grow, so a
 * session counted after the read shows up in the next delta; nothing is written twice or skipped.
 */
final class Aggregator {
  /** Recently used (day, policy instance) pairs kept per domain. */
  private static final int POLICY_HITS = 8;
  /** Recently seen failure groups kept per policy. */
  private static final int FAILURE_HITS = 8;

  /** A bucket key: one report's worth of sessions. */
  record Bucket(LocalDate day, String domain) {
    Bucket {
      Objects.requireNonNull(day, "day");
      Objects.requireNonNull(domain, "domain");
    }
  }

  private final ConcurrentHashMap<String, DomainCounts> domains = new ConcurrentHashMap<>();

  /**
   * Counts one session of UTC day {@code epochDay}. Lock-free and allocation-free once the
   * domain's policy instance and failure group are known for that day.
   */
  void add(SessionResult result, long epochDay) {
    String name = result.policyDomain().value();
    while (true) {
      DomainCounts d = domains.get(name);
      if (d == null) {
        d = domains.computeIfAbsent(name, DomainCounts::new);
      }
      PolicyCounts c = d.cached(epochDay, result.policyType(), result.policy());
      if (c == null) {
        c = d.register(epochDay, result.policyType(), result.policy());
        if (c == null) { // the domain was just emptied and dropped: start over with a fresh one
          domains.remove(name, d);
          continue;
        }
      }
      if (result.failure() == null) {
        c.success.increment();
      } else {
        c.failure(d, result).count.increment();
      }
      d.markDirty();
      return;
    }
  }

  /** Adds counts read back from the journal, as already journaled. Not for concurrent use. */
  void restore(Journal.Delta delta) {
    DomainCounts d = domains.computeIfAbsent(delta.domain(), DomainCounts::new);
    synchronized (d) {
      PolicyCounts c =
          d.days
              .computeIfAbsent(delta.day().toEpochDay(), k -> new HashMap<>())
              .computeIfAbsent(delta.policy(), PolicyCounts::new);
      c.success.add(delta.successes());
      c.journaledSuccess += delta.successes();
      for (Map.Entry<FailureKey, Long> f : delta.failures().entrySet()) {
        FailureCounts fc = c.failures.computeIfAbsent(f.getKey(), k -> new FailureCounts());
        fc.count.add(f.getValue());
        fc.journaled += f.getValue();
      }
    }
  }

  /** What {@link #unjournaled()} found: the deltas, and how to mark them journaled. */
  static final class Pending {
    private final List<Journal.Delta> deltas = new ArrayList<>();
    private final List<Runnable> commits = new ArrayList<>();
    private final List<DomainCounts> visited = new ArrayList<>();

    List<Journal.Delta> deltas() {
      return deltas;
    }

    /** Marks the deltas as journaled; call once they are durable. */
    void commit() {
      commits.forEach(Runnable::run);
    }

    /** The deltas could not be journaled: the next {@link #unjournaled()} must find them again. */
    void abort() {
      for (DomainCounts d : visited) {
        d.dirty = true;
      }
    }
  }

  /**
   * The counts added since the last {@link Pending#commit()}. The caller serializes calls to this
   * method and to {@code commit}; recording may go on concurrently.
   */
  Pending unjournaled() {
    Pending out = new Pending();
    for (DomainCounts d : domains.values()) {
      if (!d.dirty) {
        continue;
      }
      // Cleared before the counters are read: a session counted after the read sets it again.
      d.dirty = false;
      out.visited.add(d);
      synchronized (d) {
        for (Map.Entry<Long, Map<PolicyKey, PolicyCounts>> day : d.days.entrySet()) {
          LocalDate date = LocalDate.ofEpochDay(day.getKey());
          for (PolicyCounts c : day.getValue().values()) {
            long success = c.success.sum();
            Map<FailureKey, Long> failures = new LinkedHashMap<>();
            for (Map.Entry<FailureKey, FailureCounts> f : c.failures.entrySet()) {
              FailureCounts fc = f.getValue();
              long n = fc.count.sum();
              if (n > fc.journaled) {
                failures.put(f.getKey(), n - fc.journaled);
                out.commits.add(() -> fc.journaled = n);
              }
            }
            if (success > c.journaledSuccess || !failures.isEmpty()) {
              out.deltas.add(
                  new Journal.Delta(date, d.domain, c.key, success - c.journaledSuccess, failures));
              out.commits.add(() -> c.journaledSuccess = success);
            }
          }
        }
      }
    }
    return out;
  }

  /** The buckets that currently hold counts. */
  Set<Bucket> buckets() {
    Set<Bucket> out = new HashSet<>();
    for (DomainCounts d : domains.values()) {
      synchronized (d) {
        for (Long day : d.days.keySet()) {
          out.add(new Bucket(LocalDate.ofEpochDay(day), d.domain));
        }
      }
    }
    return out;
  }

  /** The days that currently hold counts, ascending. */
  TreeSet<LocalDate> days() {
    TreeSet<Long> days = new TreeSet<>();
    for (DomainCounts d : domains.values()) {
      synchronized (d) {
        days.addAll(d.days.keySet());
      }
    }
    TreeSet<LocalDate> out = new TreeSet<>();
    days.forEach(day -> out.add(LocalDate.ofEpochDay(day)));
    return out;
  }

  /** Drops a bucket once its report has been finalized. */
  void remove(Bucket bucket) {
    DomainCounts d = domains.get(bucket.domain());
    if (d != null && d.removeDay(bucket.day().toEpochDay())) {
      domains.remove(bucket.domain(), d);
    }
  }

  /** A consistent-enough snapshot of one bucket as report {@code policies}; empty if unknown. */
  List<TlsReport.PolicyResult> snapshot(Bucket bucket) {
    DomainCounts d = domains.get(bucket.domain());
    if (d == null) {
      return List.of();
    }
    List<TlsReport.PolicyResult> out = new ArrayList<>();
    synchronized (d) {
      Map<PolicyKey, PolicyCounts> policies = d.days.get(bucket.day().toEpochDay());
      if (policies == null) {
        return List.of();
      }
      for (PolicyCounts c : policies.values()) {
        out.add(result(bucket.domain(), c));
      }
    }
    out.sort(
        Comparator.comparing((TlsReport.PolicyResult p) -> p.policy().policyType())
            .thenComparing(p -> String.join("\n", p.policy().policyString())));
    return out;
  }

  private static TlsReport.PolicyResult result(String domain, PolicyCounts c) {
    PolicyKey key = c.key;
    List<TlsReport.FailureDetail> details = new ArrayList<>();
    long failures = 0;
    for (Map.Entry<FailureKey, FailureCounts> d : c.failures.entrySet()) {
      FailureKey f = d.getKey();
      long n = d.getValue().count.sum();
      if (n == 0) {
        continue; // registered by a session still in flight
      }
      failures += n;
      details.add(
          new TlsReport.FailureDetail(
              f.resultType(),
              f.sendingMtaIp(),
              f.receivingMxHostname(),
              f.receivingMxHelo(),
              f.receivingIp(),
              n,
              f.additionalInformation(),
              f.failureReasonCode()));
    }
    details.sort(DETAIL_ORDER);
    return new TlsReport.PolicyResult(
        new TlsReport.PolicyDetails(key.type().token(), key.strings(), domain, key.mxHosts()),
        // The detail sum, not a separate failure counter, so that the summary always equals the
        // details even when a snapshot races a concurrent add.
        new TlsReport.Summary(c.success.sum(), failures),
        details);
  }

  /** Everything counted for one policy domain; structure guarded by this object's monitor. */
  private static final class DomainCounts {
    private static final PolicyHit[] NO_HITS = new PolicyHit[0];

    final String domain;
    /** Epoch day to the policies counted that day. */
    final TreeMap<Long, Map<PolicyKey, PolicyCounts>> days = new TreeMap<>();
    /** Set once the last day is removed; a retired instance takes no new counts. */
    boolean retired;
    /** Recently used (day, policy instance) pairs, newest first; replaced, never mutated. */
    volatile PolicyHit[] hits = NO_HITS;
    /**
     * Set after every count, cleared by {@link #unjournaled()} before it reads the counters.
     * Volatile on both sides, so a count the journal read missed always leaves it set.
     */
    volatile boolean dirty;

    DomainCounts(String domain) {
      this.domain = domain;
    }

    void markDirty() {
      if (!dirty) {
        dirty = true;
      }
    }

    @Nullable PolicyCounts cached(long day, PolicyType type, @Nullable Policy policy) {
      for (PolicyHit h : hits) {
        if (h.policy == policy && h.day == day && h.type == type) {
          return h.counts;
        }
      }
      return null;
    }

    /** Finds or creates the counters and caches them; null if this instance was retired. */
    synchronized @Nullable PolicyCounts register(long day, PolicyType type, @Nullable Policy policy) {
      if (retired) {
        return null;
      }
      PolicyCounts cached = cached(day, type, policy);
      if (cached != null) {
        return cached;
      }
      PolicyKey key = null;
      for (PolicyHit h : hits) { // the same instance on another day: its key is already built
        if (h.policy == policy && h.type == type) {
          key = h.counts.key;
          break;
        }
      }
      if (key == null) {
        key = PolicyKey.of(type, policy);
      }
      PolicyCounts c =
          days.computeIfAbsent(day, k -> new HashMap<>()).computeIfAbsent(key, PolicyCounts::new);
      hits = prepend(hits, new PolicyHit(day, type, policy, c), POLICY_HITS);
      return c;
    }

    /** Removes a day; true when that emptied and retired this instance. */
    synchronized boolean removeDay(long day) {
      days.remove(day);
      hits = Arrays.stream(hits).filter(h -> h.day != day).toArray(PolicyHit[]::new);
      retired = days.isEmpty();
      return retired;
    }
  }

  private record PolicyHit(long day, PolicyType type, @Nullable Policy policy, PolicyCounts counts) {}

  /** Counters for one policy within a bucket. */
  private static final class PolicyCounts {
    private static final FailureHit[] NO_HITS = new FailureHit[0];

    final PolicyKey key;
    final LongAdder success = new LongAdder();
    /** Guarded by the domain's monitor. */
    final Map<FailureKey, FailureCounts> failures = new HashMap<>();
    /** Recently seen failure groups, newest first; replaced, never mutated. */
    volatile FailureHit[] failureHits = NO_HITS;
    /** Guarded by the caller of {@link Aggregator#unjournaled()}. */
    long journaledSuccess;

    PolicyCounts(PolicyKey key) {
      this.key = key;
    }

    FailureCounts failure(DomainCounts domain, SessionResult r) {
      for (FailureHit h : failureHits) {
        if (h.matches(r)) {
          return h.counts;
        }
      }
      FailureKey key =
          new FailureKey(
              r.failure().token(),
              Keys.ip(r.sendingMtaIp()),
              r.receivingMxHostname() == null ? null : r.receivingMxHostname().value(),
              r.receivingMxHelo(),
              Keys.ip(r.receivingIp()),
              r.additionalInformation() == null ? null : r.additionalInformation().toString(),
              r.failureReasonCode());
      synchronized (domain) {
        FailureCounts c = failures.computeIfAbsent(key, k -> new FailureCounts());
        failureHits = prepend(failureHits, new FailureHit(r, c), FAILURE_HITS);
        return c;
      }
    }
  }

  /** One failure group's counter. */
  private static final class FailureCounts {
    final LongAdder count = new LongAdder();
    /** Guarded by the caller of {@link Aggregator#unjournaled()}. */
    long journaled;
  }

  /**
   * A failure group as the session result spelled it. Results equal in these fields always map to
   * the same {@link FailureKey}; results that differ here but not there share the counter anyway.
   */
  private static final class FailureHit {
    final SessionResult example;
    final FailureCounts counts;

    FailureHit(SessionResult example, FailureCounts counts) {
      this.example = example;
      this.counts = counts;
    }

    boolean matches(SessionResult r) {
      SessionResult e = example;
      return r.failure() == e.failure()
          && Objects.equals(r.receivingMxHostname(), e.receivingMxHostname())
          && Objects.equals(r.receivingIp(), e.receivingIp())
          && Objects.equals(r.sendingMtaIp(), e.sendingMtaIp())
          && Objects.equals(r.receivingMxHelo(), e.receivingMxHelo())
          && Objects.equals(r.failureReasonCode(), e.failureReasonCode())
          && Objects.equals(r.additionalInformation(), e.additionalInformation());
    }
  }

  private static <T> T[] prepend(T[] hits, T hit, int max) {
    T[] out = Arrays.copyOf(hits, Math.min(hits.length + 1, max));
    System.arraycopy(hits, 0, out, 1, out.length - 1);
    out[0] = hit;
    return out;
  }

  private static final Comparator<String> NULLS_FIRST =
      Comparator.nullsFirst(Comparator.naturalOrder());
  static final Comparator<TlsReport.FailureDetail> DETAIL_ORDER =
      Comparator.comparing(TlsReport.FailureDetail::resultType)
          .thenComparing(TlsReport.FailureDetail::receivingMxHostname, NULLS_FIRST)
          .thenComparing(TlsReport.FailureDetail::sendingMtaIp, NULLS_FIRST)
          .thenComparing(TlsReport.FailureDetail::receivingIp, NULLS_FIRST)
          .thenComparing(TlsReport.FailureDetail::receivingMxHelo, NULLS_FIRST)
          .thenComparing(TlsReport.FailureDetail::failureReasonCode, NULLS_FIRST)
          .thenComparing(TlsReport.FailureDetail::additionalInformation, NULLS_FIRST);
}
