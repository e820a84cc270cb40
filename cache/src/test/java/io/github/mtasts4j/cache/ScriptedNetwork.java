package io.github.mtasts4j.cache;

import io.github.mtasts4j.Discovery;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Failure;
import io.github.mtasts4j.FetchResult;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.MxPattern;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.PolicyRecord;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.ResultType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scripted discover/fetch functions for unit tests of the cache logic, counting calls. The
 * acceptance tests use the real MtaSts against loopback servers instead.
 */
final class ScriptedNetwork {
  final Map<DomainName, Discovery> txt = new ConcurrentHashMap<>();
  final Map<DomainName, FetchResult> policies = new ConcurrentHashMap<>();
  final Map<DomainName, AtomicInteger> txtCount = new ConcurrentHashMap<>();
  final Map<DomainName, AtomicInteger> fetchCount = new ConcurrentHashMap<>();

  Discovery discover(DomainName d) {
    txtCount.computeIfAbsent(d, k -> new AtomicInteger()).incrementAndGet();
    Discovery answer = txt.get(d);
    return answer != null
        ? answer
        : new Discovery.Absent(d, Resolution.NoPolicy.Reason.NO_RECORD, "NXDOMAIN");
  }

  FetchResult fetch(DomainName d) {
    fetchCount.computeIfAbsent(d, k -> new AtomicInteger()).incrementAndGet();
    FetchResult r = policies.get(d);
    return r != null
        ? r
        : new FetchResult.FetchFailed(new Failure(ResultType.STS_POLICY_FETCH_ERROR, "HTTP 404"));
  }

  int txtQueries(DomainName d) {
    AtomicInteger n = txtCount.get(d);
    return n == null ? 0 : n.get();
  }

  int fetches(DomainName d) {
    AtomicInteger n = fetchCount.get(d);
    return n == null ? 0 : n.get();
  }

  void record(DomainName d, String id, Duration ttl) {
    txt.put(d, new Discovery.Found(d, new PolicyRecord(id, Map.of(), "v=STSv1; id=" + id), ttl));
  }

  void dnsFails(DomainName d) {
    txt.put(d, new Discovery.DnsFailed(d, "SERVFAIL"));
  }

  void serve(DomainName d, Mode mode, long maxAge, String mx) {
    List<MxPattern> patterns =
        mode == Mode.NONE ? List.of() : List.of(new MxPattern.Exact(new DomainName(mx)));
    Policy p = new Policy(mode, maxAge, patterns);
    String body =
        "version: STSv1\nmode: " + mode.token() + "\n"
            + (patterns.isEmpty() ? "" : "mx: " + mx + "\n")
            + "max_age: " + maxAge + "\n";
    policies.put(d, new FetchResult.Fetched(p, body));
  }

  void fetchFails(DomainName d) {
    policies.put(
        d, new FetchResult.FetchFailed(new Failure(ResultType.STS_POLICY_FETCH_ERROR, "HTTP 503")));
  }
}
