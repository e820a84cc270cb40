package io.github.mtasts4j.smtp;

import static io.github.mtasts4j.smtp.FakePolicySource.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.spi.DnsAnswer;
import org.junit.jupiter.api.Test;

class MxPlannerTest {
  private final FakeDns dns = new FakeDns();
  private final FakePolicySource policies = new FakePolicySource();
  private final MxPlanner planner = MxPlanner.of(policies, dns);

  private DeliveryPlan.Ready ready(String domain) {
    DeliveryPlan plan = planner.plan(DomainName.of(domain));
    assertThat(plan).isInstanceOf(DeliveryPlan.Ready.class);
    return (DeliveryPlan.Ready) plan;
  }

  @Test
  void plan_enforce_matchingMxVerifiedAndOthersSkippedInPreferenceOrder() { // STS-63, STS-64
    dns.mx("a.test", 20, "backup.elsewhere.test", 10, "mx1.a.test");
    policies.policy("a.test", "id1", body("enforce", "mx1.a.test"));

    DeliveryPlan.Ready plan = ready("a.test");

    assertThat(plan.enforced()).isTrue();
    assertThat(plan.reportable()).isTrue();
    assertThat(plan.candidates()).extracting(c -> c.host().value())
        .containsExactly("mx1.a.test", "backup.elsewhere.test");
    MxCandidate first = plan.candidates().get(0);
    assertThat(first.policyMatch()).isTrue();
    assertThat(first.skip()).isFalse();
    assertThat(first.requirement()).isEqualTo(TlsRequirement.VERIFIED);
    assertThat(first.policyFailure()).isNull();
    MxCandidate second = plan.candidates().get(1);
    assertThat(second.skip()).isTrue();
    assertThat(second.policyFailure().type()).isEqualTo(ResultType.VALIDATION_FAILURE);
  }

  @Test
  void plan_enforceWildcard_twoExtraLabelsSkipped() { // STS-55
    dns.mx("w.test", 10, "a.b.example.test", 20, "mx.example.test");
    policies.policy("w.test", "id1", body("enforce", "*.example.test"));

    DeliveryPlan.Ready plan = ready("w.test");

    assertThat(plan.candidates().get(0).skip()).isTrue();
    assertThat(plan.candidates().get(1).skip()).isFalse();
    assertThat(plan.candidates().get(1).policyMatch()).isTrue();
  }

  @Test
  void plan_testingMismatch_opportunisticWithRecordedFailure() { // STS-66
    dns.mx("t.test", 10, "mx.other.test");
    policies.policy("t.test", "id1", body("testing", "mx.t.test"));

    MxCandidate c = ready("t.test").candidates().get(0);

    assertThat(c.skip()).isFalse();
    assertThat(c.requirement()).isEqualTo(TlsRequirement.OPPORTUNISTIC);
    assertThat(c.policyFailure().type()).isEqualTo(ResultType.VALIDATION_FAILURE);
  }

  @Test
  void plan_testingAsEnforceOverride_enforcedAndVisible() {
    dns.mx("t.test", 10, "mx.other.test");
    policies.policy("t.test", "id1", body("testing", "mx.t.test"));
    MxPlanner strict =
        planner.withOverrides(
            LocalOverrides.builder().testingAsEnforce(DomainName.of("t.test")).build());

    DeliveryPlan.Ready plan = (DeliveryPlan.Ready) strict.plan(DomainName.of("t.test"));

    assertThat(plan.enforced()).isTrue();
    assertThat(plan.candidates().get(0).skip()).isTrue();
    assertThat(plan.overridesUsed()).containsExactly(LocalOverrides.Kind.TESTING_AS_ENFORCE);
  }

  @Test
  void plan_skipOverride_noPolicyLookupAndOpportunistic() {
    dns.mx("s.test", 10, "mx.elsewhere.test");
    policies.policy("s.test", "id1", body("enforce", "mx.s.test"));
    MxPlanner skipping =
        planner.withOverrides(LocalOverrides.builder().skip(DomainName.of("s.test")).build());

    DeliveryPlan.Ready plan = (DeliveryPlan.Ready) skipping.plan(DomainName.of("s.test"));

    assertThat(policies.resolves.get()).isZero();
    assertThat(plan.resolution()).isNull();
    assertThat(plan.enforced()).isFalse();
    assertThat(plan.candidates().get(0).requirement()).isEqualTo(TlsRequirement.OPPORTUNISTIC);
    assertThat(plan.overridesUsed()).containsExactly(LocalOverrides.Kind.SKIP_MTA_STS);
  }

  @Test
  void plan_noMxRecord_domainItselfIsImplicitMxAndMustMatch() { // STS-71
    policies.policy("implicit.test", "id1", body("enforce", "mx.implicit.test"));

    MxCandidate c = ready("implicit.test").candidates().get(0);

    assertThat(c.host()).isEqualTo(DomainName.of("implicit.test"));
    assertThat(c.implicitMx()).isTrue();
    assertThat(c.skip()).isTrue();
  }

  @Test
  void plan_noMxRecordNoPolicy_implicitOpportunistic() {
    MxCandidate c = ready("plain.test").candidates().get(0);

    assertThat(c.implicitMx()).isTrue();
    assertThat(c.requirement()).isEqualTo(TlsRequirement.OPPORTUNISTIC);
    assertThat(c.policyFailure()).isNull();
  }

  @Test
  void plan_modeNone_opportunisticNotReportable() { // STS-67
    dns.mx("n.test", 10, "mx.elsewhere.test");
    policies.policy("n.test", "id1", "version: STSv1\nmode: none\nmax_age: 86400\n");

    DeliveryPlan.Ready plan = ready("n.test");

    assertThat(plan.enforced()).isFalse();
    assertThat(plan.reportable()).isFalse();
    assertThat(plan.candidates().get(0).policyFailure()).isNull();
  }

  @Test
  void plan_mxLookupError_deferred() {
    dns.mxAnswer("err.test", new DnsAnswer.Error<>("SERVFAIL for err.test"));

    DeliveryPlan plan = planner.plan(DomainName.of("err.test"));

    assertThat(plan).isInstanceOfSatisfying(
        DeliveryPlan.Unroutable.class,
        u -> {
          assertThat(u.status()).isEqualTo(DeliveryStatus.DEFERRED);
          assertThat(u.reason()).isEqualTo("MX lookup for err.test failed: SERVFAIL for err.test");
        });
  }

  @Test
  void plan_mxLookupErrorNamedByTheDnsClient_reasonNamesTheLookupOnce() {
    dns.mxAnswer("err.test", new DnsAnswer.Error<>("MX lookup for err.test failed: SERVFAIL"));

    DeliveryPlan plan = planner.plan(DomainName.of("err.test"));

    assertThat(plan).isInstanceOfSatisfying(
        DeliveryPlan.Unroutable.class,
        u -> assertThat(u.reason()).isEqualTo("MX lookup for err.test failed: SERVFAIL"));
  }

  @Test
  void plan_nxdomain_failed() {
    dns.mxAnswer("gone.test", new DnsAnswer.NotFound<>(true, "NXDOMAIN gone.test"));

    DeliveryPlan plan = planner.plan(DomainName.of("gone.test"));

    assertThat(plan).isInstanceOfSatisfying(
        DeliveryPlan.Unroutable.class,
        u -> assertThat(u.status()).isEqualTo(DeliveryStatus.FAILED));
  }

  @Test
  void plan_nullMx_failedWithoutImplicitMx() { // RFC 7505: the domain accepts no mail
    dns.mxAnswer(
        "nomail.test",
        new DnsAnswer.NotFound<>(false, "null MX (RFC 7505) for nomail.test", true));

    DeliveryPlan plan = planner.plan(DomainName.of("nomail.test"));

    assertThat(plan).isInstanceOfSatisfying(
        DeliveryPlan.Unroutable.class,
        u -> {
          assertThat(u.status()).isEqualTo(DeliveryStatus.FAILED);
          assertThat(u.reason()).contains("null MX");
        });
  }

  @Test
  void plan_noMxRecord_implicitMxIsTheDomain() { // STS-71, RFC 5321 §5.1
    DeliveryPlan.Ready plan = ready("implicit.test");

    assertThat(plan.candidates()).singleElement().satisfies(c -> {
      assertThat(c.host().value()).isEqualTo("implicit.test");
      assertThat(c.implicitMx()).isTrue();
    });
  }

  @Test
  void planRelay_policyOfRelayDomainAppliedToRelayHost() { // STS-31
    policies.policy("relay.test", "id1", body("enforce", "smtp.relay.test"));

    DeliveryPlan.Ready plan =
        planner.planRelay(DomainName.of("relay.test"), DomainName.of("smtp.relay.test"));

    assertThat(plan.candidates()).singleElement().satisfies(c -> {
      assertThat(c.host().value()).isEqualTo("smtp.relay.test");
      assertThat(c.requirement()).isEqualTo(TlsRequirement.VERIFIED);
      assertThat(c.skip()).isFalse();
    });
    assertThat(dns.mx).isEmpty();
  }

  @Test
  void plan_resolutionForOtherDomain_rejected() {
    policies.policy("x.test", "id1", body("enforce", "mx.x.test"));
    var other = policies.resolve(DomainName.of("x.test"));

    assertThatThrownBy(() -> planner.plan(DomainName.of("y.test"), other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x.test");
  }

  @Test
  void overrides_sameDomainInBothLists_rejected() {
    assertThatThrownBy(
            () ->
                LocalOverrides.builder()
                    .skip(DomainName.of("a.test"))
                    .testingAsEnforce(DomainName.of("a.test")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
