package io.github.mtasts4j.tlsrpt;

import io.github.mtasts4j.tlsrpt.Keys.FailureKey;
import io.github.mtasts4j.tlsrpt.Keys.PolicyKey;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * In-memory counts per (UTC day, policy domain, policy), each with its failure groups. Thread-safe
 * without a shared lock: {@link ConcurrentHashMap} bins and {@link LongAdder} cells only, so
 * sessions for different domains never contend.
 */
final class Aggregator {

  /** A bucket key: one report's worth of sessions. */
  record Bucket(LocalDate day, String domain) {
    Bucket {
      Objects.requireNonNull(day, "day");
      Objects.requireNonNull(domain, "domain");
    }
  }

  /** Counters for one policy within a bucket. */
  static final class Counters {
    final LongAdder success = new LongAdder();
    final ConcurrentHashMap<FailureKey, LongAdder> details = new ConcurrentHashMap<>();
  }

  private final ConcurrentHashMap<Bucket, ConcurrentHashMap<PolicyKey, Counters>> buckets =
      new ConcurrentHashMap<>();

  /** Counts one session; {@code failure} null means success. */
  void add(Bucket bucket, PolicyKey policy, @Nullable FailureKey failure) {
    Counters c =
        buckets
            .computeIfAbsent(bucket, b -> new ConcurrentHashMap<>())
            .computeIfAbsent(policy, p -> new Counters());
    if (failure == null) {
      c.success.increment();
    } else {
      c.details.computeIfAbsent(failure, f -> new LongAdder()).increment();
    }
  }

  /** The buckets that currently hold counts. */
  Set<Bucket> buckets() {
    return Set.copyOf(buckets.keySet());
  }

  /** The days that currently hold counts, ascending. */
  TreeSet<LocalDate> days() {
    TreeSet<LocalDate> days = new TreeSet<>();
    for (Bucket b : buckets.keySet()) {
      days.add(b.day());
    }
    return days;
  }

  /** Drops a bucket once its report has been finalized. */
  void remove(Bucket bucket) {
    buckets.remove(bucket);
  }

  /** A consistent-enough snapshot of one bucket as report {@code policies}; empty if unknown. */
  List<TlsReport.PolicyResult> snapshot(Bucket bucket) {
    Map<PolicyKey, Counters> policies = buckets.get(bucket);
    if (policies == null) {
      return List.of();
    }
    List<TlsReport.PolicyResult> out = new ArrayList<>();
    for (Map.Entry<PolicyKey, Counters> e : policies.entrySet()) {
      PolicyKey key = e.getKey();
      Counters c = e.getValue();
      List<TlsReport.FailureDetail> details = new ArrayList<>();
      long failures = 0;
      for (Map.Entry<FailureKey, LongAdder> d : c.details.entrySet()) {
        FailureKey f = d.getKey();
        long n = d.getValue().sum();
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
      out.add(
          new TlsReport.PolicyResult(
              new TlsReport.PolicyDetails(
                  key.type().token(), key.strings(), bucket.domain(), key.mxHosts()),
              // The detail sum, not the failure adder, so that the summary always equals the
              // details even when a snapshot races a concurrent add.
              new TlsReport.Summary(c.success.sum(), failures),
              details));
    }
    out.sort(
        Comparator.comparing((TlsReport.PolicyResult p) -> p.policy().policyType())
            .thenComparing(p -> String.join("\n", p.policy().policyString())));
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
