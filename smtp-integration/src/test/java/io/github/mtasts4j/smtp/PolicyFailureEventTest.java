package io.github.mtasts4j.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Failure;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.Source;
import io.github.mtasts4j.testing.LoopbackMx;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 8461 §6 (STS-69 a, b): a policy that cannot be fetched is reported, with the cached policy
 * applied in its place or without a policy, while delivery goes on.
 */
class PolicyFailureEventTest {
  private final MailWorld world = new MailWorld(2);

  @AfterEach
  void close() {
    world.close();
  }

  @Test
  void validRecordButPolicyHostServesNothing_fetchErrorReportedThenOpportunisticSession() {
    LoopbackMx mx = world.starttls("mx.broken.test", MailWorld.PKI.issue("mx.broken.test"));
    world.mx("broken.test", 10, "mx.broken.test");
    world.policy("broken.test", "b1", "enforce", "mx.broken.test");
    world.web.removePolicy("mta-sts.broken.test"); // 404 from the policy host

    DeliveryReport r = world.direct().build().deliver(MailWorld.message("bob@broken.test")).get(0);

    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(r.enforced()).isFalse();
    assertThat(mx.messages()).hasSize(1);
    assertThat(world.events).hasSize(2);
    TlsSessionEvent fetch = world.events.get(0);
    assertThat(fetch.mxHost()).isNull();
    assertThat(fetch.policy()).isNull();
    assertThat(fetch.policyId()).isEqualTo("b1");
    assertThat(fetch.reportable()).isTrue();
    assertThat(fetch.failure().type()).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
    assertThat(fetch.policyDomain().value()).isEqualTo("broken.test");
    TlsSessionEvent session = world.events.get(1);
    assertThat(session.mxHost().value()).isEqualTo("mx.broken.test");
    assertThat(session.success()).isTrue();
  }

  @Test
  void noRecordAtAll_noPolicyFailureReported() {
    world.starttls("mx.plain.test", MailWorld.PKI.issue("mx.plain.test"));
    world.mx("plain.test", 10, "mx.plain.test");

    world.direct().build().deliver(MailWorld.message("bob@plain.test"));

    assertThat(world.events).singleElement().satisfies(e -> assertThat(e.mxHost()).isNotNull());
  }

  @Test
  void cachedEnforcePolicyAppliedAfterFailedRefresh_failureReportedWithThatPolicy() {
    LoopbackMx mx = world.starttls("mx.cached.test", MailWorld.PKI.issue("mx.cached.test"));
    world.mx("cached.test", 10, "mx.cached.test");
    Failure cause = new Failure(ResultType.STS_WEBPKI_INVALID, "policy host certificate expired");
    Policy policy = Policy.parse(FakePolicySource.body("enforce", "mx.cached.test"));
    List<DeliveryReport> reports =
        world.direct().policySource(fallback("cached.test", policy, cause)).build()
            .deliver(MailWorld.message("bob@cached.test"));

    assertThat(reports.get(0).status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(reports.get(0).enforced()).isTrue();
    assertThat(mx.messages()).hasSize(1);
    assertThat(world.events).hasSize(2);
    TlsSessionEvent failure = world.events.get(0);
    assertThat(failure.mxHost()).isNull();
    assertThat(failure.policy()).isEqualTo(policy);
    assertThat(failure.policyId()).isEqualTo("c1");
    assertThat(failure.failure()).isEqualTo(cause);
    assertThat(world.events.get(1).success()).isTrue();
  }

  @Test
  void cachedNonePolicyAfterFailedRefresh_notReported() {
    world.starttls("mx.quiet.test", MailWorld.PKI.issue("mx.quiet.test"));
    world.mx("quiet.test", 10, "mx.quiet.test");
    Failure cause = new Failure(ResultType.STS_POLICY_FETCH_ERROR, "connection refused");
    Policy none = Policy.parse("version: STSv1\nmode: none\nmax_age: 86400\n");

    world.direct().policySource(fallback("quiet.test", none, cause)).build()
        .deliver(MailWorld.message("bob@quiet.test"));

    assertThat(world.events).noneMatch(e -> e.mxHost() == null);
  }

  private static FakePolicySource fallback(String domain, Policy policy, Failure cause) {
    FakePolicySource source = new FakePolicySource();
    DomainName d = DomainName.of(domain);
    source.answers.put(
        d,
        new Resolution.Active(
            d, policy, "c1", Source.CACHE_FALLBACK, Instant.parse("2026-01-01T00:00:00Z"), cause));
    return source;
  }
}
