package io.github.mtasts4j.smtp;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.PolicySource;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.Source;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A scripted PolicySource that counts calls; unknown domains have no policy. */
final class FakePolicySource implements PolicySource {
  final Map<DomainName, Resolution> answers = new ConcurrentHashMap<>();
  final AtomicInteger resolves = new AtomicInteger();
  final AtomicInteger rechecks = new AtomicInteger();

  FakePolicySource policy(String domain, String id, String body) {
    DomainName d = DomainName.of(domain);
    answers.put(
        d,
        new Resolution.Active(
            d, Policy.parse(body), id, Source.FETCHED, Instant.parse("2026-01-01T00:00:00Z"), null));
    return this;
  }

  @Override
  public Resolution resolve(DomainName policyDomain) {
    resolves.incrementAndGet();
    return answers.getOrDefault(
        policyDomain,
        new Resolution.NoPolicy(policyDomain, Resolution.NoPolicy.Reason.NO_RECORD, "no record"));
  }

  @Override
  public Resolution recheck(DomainName policyDomain) {
    rechecks.incrementAndGet();
    return resolve(policyDomain);
  }

  static String body(String mode, String... mx) {
    StringBuilder sb = new StringBuilder("version: STSv1\nmode: " + mode + "\n");
    for (String m : mx) {
      sb.append("mx: ").append(m).append('\n');
    }
    return sb.append("max_age: 86400\n").toString();
  }
}
