package io.github.mtasts4j.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.MxPattern;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.testing.LoopbackMx;
import io.github.mtasts4j.testing.ReceivedMessage;
import io.github.mtasts4j.testing.ServerIdentity;
import io.github.mtasts4j.testing.TestPki;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Direct-to-MX delivery against loopback MX receivers. Every test asserts what the receivers
 * actually got (messages, connections), not only the report.
 */
class DirectDeliveryTest {
  private static final TestPki PKI = MailWorld.PKI;
  private final MailWorld world = new MailWorld(4);

  @AfterEach
  void close() {
    world.close();
  }

  private static DeliveryReport only(List<DeliveryReport> reports) {
    assertThat(reports).hasSize(1);
    return reports.get(0);
  }

  // ------------------------------------------------------------------ enforce

  @Test
  void enforce_goodMx_deliveredOverVerifiedTlsWithSniOfMxName() { // STS-54, STS-58, STS-61
    LoopbackMx mx = world.starttls("mx1.good.test", PKI.issue("mx1.good.test"));
    world.mx("good.test", 10, "mx1.good.test");
    world.policy("good.test", "g1", "enforce", "mx1.good.test");

    DeliveryReport r = only(world.direct().build().deliver(MailWorld.message("bob@good.test")));

    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(r.enforced()).isTrue();
    assertThat(r.policySource()).isEqualTo("fetched");
    assertThat(r.overridesUsed()).isEmpty(); // both local overrides are off by default
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.mx().value()).isEqualTo("mx1.good.test");
      assertThat(a.policyMatch()).isTrue();
      assertThat(a.tls()).isEqualTo(TlsState.VERIFIED);
      assertThat(a.failure()).isNull();
      assertThat(a.outcome()).isEqualTo(Attempt.Outcome.DELIVERED);
      assertThat(a.smtpReply()).startsWith("250");
    });
    assertThat(mx.messages()).singleElement().satisfies(m -> {
      assertThat(m.overTls()).isTrue();
      assertThat(m.recipients()).containsExactly("bob@good.test");
      assertThat(m.envelopeFrom()).isEqualTo("alice@sender.test");
      assertThat(m.text()).contains("hello over loopback");
    });
    assertThat(mx.tlsServerNames()).containsExactly("mx1.good.test");
    assertThat(world.events).singleElement().satisfies(e -> {
      assertThat(e.success()).isTrue();
      assertThat(e.reportable()).isTrue();
      assertThat(e.policyId()).isEqualTo("g1");
      assertThat(e.mxHost().value()).isEqualTo("mx1.good.test");
      assertThat(e.receivingIp()).isEqualTo(mx.address());
      assertThat(e.sendingIp()).isNotNull();
    });
  }

  static Stream<Arguments> badCertificates() {
    Function<String, ServerIdentity> expired = PKI::issueExpired;
    Function<String, ServerIdentity> wrongName = n -> PKI.issue("other.elsewhere.test");
    Function<String, ServerIdentity> cnOnly = PKI::issueCnOnly;
    Function<String, ServerIdentity> untrusted = n -> MailWorld.UNTRUSTED_CA.issue(n);
    Function<String, ServerIdentity> selfSigned = TestPki::selfSigned;
    return Stream.of(
        Arguments.of("expired", expired, ResultType.CERTIFICATE_EXPIRED),
        Arguments.of("wrong name", wrongName, ResultType.CERTIFICATE_HOST_MISMATCH),
        Arguments.of("CN only", cnOnly, ResultType.CERTIFICATE_HOST_MISMATCH),
        Arguments.of("untrusted CA", untrusted, ResultType.CERTIFICATE_NOT_TRUSTED),
        Arguments.of("self-signed", selfSigned, ResultType.CERTIFICATE_NOT_TRUSTED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCertificates")
  void enforce_badCertificate_nothingDeliveredAndDeferredAfterRecheck(
      String kind, Function<String, ServerIdentity> cert, ResultType expected) { // STS-58, 63, 65
    LoopbackMx mx = world.starttls("mx1.bad.test", cert.apply("mx1.bad.test"));
    world.mx("bad.test", 10, "mx1.bad.test");
    world.policy("bad.test", "b1", "enforce", "mx1.bad.test");

    DeliveryReport r = only(world.direct().build().deliver(MailWorld.message("bob@bad.test")));

    assertThat(mx.messages()).isEmpty();
    assertThat(mx.connectionCount()).isEqualTo(1);
    assertThat(r.status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.tls()).isEqualTo(TlsState.FAILED);
      assertThat(a.failure()).isEqualTo(expected);
      assertThat(a.outcome()).isEqualTo(Attempt.Outcome.FAILED);
    });
    assertThat(world.policies.rechecks.get()).isEqualTo(1);
    assertThat(world.events).singleElement().satisfies(e -> {
      assertThat(e.failure().type()).isEqualTo(expected);
      assertThat(e.reportable()).isTrue();
    });
  }

  @Test
  void enforce_noStartTls_nothingDelivered() { // STS-63
    LoopbackMx mx = world.plain("mx1.plain.test");
    world.mx("plain.test", 10, "mx1.plain.test");
    world.policy("plain.test", "p1", "enforce", "mx1.plain.test");

    DeliveryReport r = only(world.direct().build().deliver(MailWorld.message("bob@plain.test")));

    assertThat(mx.messages()).isEmpty();
    assertThat(r.status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.tls()).isEqualTo(TlsState.NOT_OFFERED);
      assertThat(a.failure()).isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
    });
    assertThat(world.events).singleElement()
        .satisfies(e -> assertThat(e.failure().type()).isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED));
  }

  @Test
  void enforce_firstMxBadSecondGood_deliveredToSecondOnly() { // STS-64
    LoopbackMx bad = world.starttls("mx1.two.test", PKI.issueExpired("mx1.two.test"));
    LoopbackMx good = world.starttls("mx2.two.test", PKI.issue("mx2.two.test"));
    world.mx("two.test", 10, "mx1.two.test");
    world.mx("two.test", 20, "mx2.two.test");
    world.policy("two.test", "t1", "enforce", "*.two.test");

    DeliveryReport r = only(world.direct().build().deliver(MailWorld.message("bob@two.test")));

    assertThat(bad.messages()).isEmpty();
    assertThat(bad.connectionCount()).isEqualTo(1);
    assertThat(good.messages()).hasSize(1);
    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(r.attempts()).extracting(Attempt::outcome)
        .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.DELIVERED);
    assertThat(r.attempts().get(0).failure()).isEqualTo(ResultType.CERTIFICATE_EXPIRED);
    assertThat(r.deliveredBy().mx().value()).isEqualTo("mx2.two.test");
    assertThat(world.policies.rechecks.get()).isZero();
  }

  @Test
  void enforce_mxOutsidePolicy_neverConnected() { // STS-63
    LoopbackMx outside = world.starttls("mx.elsewhere.test", PKI.issue("mx.elsewhere.test"));
    LoopbackMx inside = world.starttls("mx.in.test", PKI.issue("mx.in.test"));
    world.mx("in.test", 5, "mx.elsewhere.test");
    world.mx("in.test", 10, "mx.in.test");
    world.policy("in.test", "i1", "enforce", "mx.in.test");

    DeliveryReport r = only(world.direct().build().deliver(MailWorld.message("bob@in.test")));

    assertThat(outside.connectionCount()).isZero();
    assertThat(inside.messages()).hasSize(1);
    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(r.attempts().get(0)).satisfies(a -> {
      assertThat(a.outcome()).isEqualTo(Attempt.Outcome.SKIPPED);
      assertThat(a.policyMatch()).isFalse();
      assertThat(a.tls()).isEqualTo(TlsState.NOT_ATTEMPTED);
      assertThat(a.failure()).isEqualTo(ResultType.VALIDATION_FAILURE);
      assertThat(a.address()).isNull();
    });
  }

  @Test
  void enforce_wildcardDoesNotMatchTwoLabels_neverConnected() { // STS-55
    LoopbackMx deep = world.starttls("a.b.example.test", PKI.issue("a.b.example.test"));
    world.mx("wild.test", 10, "a.b.example.test");
    world.policy("wild.test", "w1", "enforce", "*.example.test");

    DeliveryReport r = only(world.direct().build().deliver(MailWorld.message("bob@wild.test")));

    assertThat(deep.connectionCount()).isZero();
    assertThat(deep.messages()).isEmpty();
    assertThat(r.status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(r.attempts()).singleElement()
        .satisfies(a -> assertThat(a.outcome()).isEqualTo(Attempt.Outcome.SKIPPED));
  }

  @Test
  void enforce_policyChangedOnRecheck_deliveredWithNewPolicy() { // STS-49, STS-65
    LoopbackMx mx = world.starttls("mx.new.test", PKI.issue("mx.new.test"));
    world.mx("new.test", 10, "mx.new.test");
    world.policy("new.test", "old", "enforce", "mx.old.test");
    world.policies.beforeRecheck = () -> world.policy("new.test", "new", "enforce", "mx.new.test");

    DeliveryReport r = only(world.direct().build().deliver(MailWorld.message("bob@new.test")));

    assertThat(mx.messages()).hasSize(1);
    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(world.policies.rechecks.get()).isEqualTo(1);
    assertThat(r.attempts()).extracting(Attempt::outcome)
        .containsExactly(Attempt.Outcome.SKIPPED, Attempt.Outcome.DELIVERED);
    assertThat(((io.github.mtasts4j.Resolution.Active) r.resolution()).policyId()).isEqualTo("new");
  }

  // ------------------------------------------------------ opportunistic modes

  @Test
  void testing_badCertificate_deliveredAndFailureRecorded() { // STS-66
    LoopbackMx mx = world.starttls("mx.t.test", PKI.issueExpired("mx.t.test"));
    world.mx("t.test", 10, "mx.t.test");
    world.policy("t.test", "t1", "testing", "mx.t.test");

    DeliveryReport r = only(world.direct().build().deliver(MailWorld.message("bob@t.test")));

    assertThat(mx.messages()).singleElement()
        .satisfies(m -> assertThat(m.overTls()).isTrue());
    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(r.enforced()).isFalse();
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.tls()).isEqualTo(TlsState.UNVERIFIED);
      assertThat(a.failure()).isEqualTo(ResultType.CERTIFICATE_EXPIRED);
    });
    assertThat(world.events).singleElement().satisfies(e -> {
      assertThat(e.failure().type()).isEqualTo(ResultType.CERTIFICATE_EXPIRED);
      assertThat(e.reportable()).isTrue();
      assertThat(e.policy().mode()).isEqualTo(io.github.mtasts4j.Mode.TESTING);
    });
  }

  @Test
  void testing_noStartTls_deliveredInCleartextAndRecorded() { // STS-66
    LoopbackMx mx = world.plain("mx.tp.test");
    world.mx("tp.test", 10, "mx.tp.test");
    world.policy("tp.test", "t1", "testing", "mx.tp.test");

    DeliveryReport r = only(world.direct().build().deliver(MailWorld.message("bob@tp.test")));

    assertThat(mx.messages()).singleElement().satisfies(m -> assertThat(m.overTls()).isFalse());
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.tls()).isEqualTo(TlsState.NOT_OFFERED);
      assertThat(a.failure()).isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
    });
  }

  @Test
  void testing_treatedAsEnforceByOverride_nothingDeliveredAndOverrideVisible() {
    LoopbackMx mx = world.starttls("mx.strict.test", PKI.issueExpired("mx.strict.test"));
    world.mx("strict.test", 10, "mx.strict.test");
    world.policy("strict.test", "s1", "testing", "mx.strict.test");
    DirectDelivery delivery = world.direct()
        .localOverrides(LocalOverrides.builder()
            .testingAsEnforce(DomainName.of("strict.test")).build())
        .build();

    DeliveryReport r = only(delivery.deliver(MailWorld.message("bob@strict.test")));

    assertThat(mx.messages()).isEmpty();
    assertThat(r.status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(r.overridesUsed()).containsExactly(LocalOverrides.Kind.TESTING_AS_ENFORCE);
  }

  @Test
  void enforce_skippedByOverride_deliveredOpportunisticallyAndOverrideVisible() {
    LoopbackMx mx = world.starttls("mx.skip.test", PKI.issueExpired("mx.skip.test"));
    world.mx("skip.test", 10, "mx.skip.test");
    world.policy("skip.test", "s1", "enforce", "mx.skip.test");
    DirectDelivery delivery = world.direct()
        .localOverrides(LocalOverrides.builder().skip(DomainName.of("skip.test")).build())
        .build();

    DeliveryReport r = only(delivery.deliver(MailWorld.message("bob@skip.test")));

    assertThat(mx.messages()).hasSize(1);
    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(r.policySource()).isEqualTo("skipped");
    assertThat(r.overridesUsed()).containsExactly(LocalOverrides.Kind.SKIP_MTA_STS);
    assertThat(world.web.requestCount("mta-sts.skip.test")).isZero();
  }

  @Test
  void noPolicy_selfSigned_deliveredOverUnverifiedTls() {
    LoopbackMx mx = world.starttls("mx.nopol.test", TestPki.selfSigned("mx.nopol.test"));
    world.mx("nopol.test", 10, "mx.nopol.test");

    DeliveryReport r = only(world.direct().build().deliver(MailWorld.message("bob@nopol.test")));

    assertThat(mx.messages()).singleElement().satisfies(m -> assertThat(m.overTls()).isTrue());
    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(r.policy()).isNull();
    assertThat(r.policySource()).isEqualTo("none");
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.tls()).isEqualTo(TlsState.UNVERIFIED);
      assertThat(a.failure()).isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
      assertThat(a.policyMatch()).isFalse();
    });
    assertThat(world.events).singleElement().satisfies(e -> {
      assertThat(e.reportable()).isFalse();
      assertThat(e.policy()).isNull();
    });
  }

  @Test
  void noPolicyNoMxRecord_implicitMxUsed() { // STS-71
    LoopbackMx mx = world.starttls("implicit.test", PKI.issue("implicit.test"));

    DeliveryReport r =
        only(world.direct().build().deliver(MailWorld.message("bob@implicit.test")));

    assertThat(mx.messages()).hasSize(1);
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.mx().value()).isEqualTo("implicit.test");
      assertThat(a.tls()).isEqualTo(TlsState.VERIFIED);
    });
  }

  @Test
  void nullMx_failedAndTheDomainsOwnAddressNeverContacted() { // RFC 7505
    LoopbackMx mx = world.starttls("nomail.test", PKI.issue("nomail.test"));
    world.mx("nomail.test", 0, ".");

    DeliveryReport r = only(world.direct().build().deliver(MailWorld.message("bob@nomail.test")));

    assertThat(r.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(r.reason()).contains("null MX");
    assertThat(r.attempts()).isEmpty();
    assertThat(mx.connectionCount()).isZero();
  }

  @Test
  void modeNone_deliveredAndSessionNotReportable() { // STS-67
    LoopbackMx mx = world.plain("mx.none.test");
    world.mx("none.test", 10, "mx.none.test");
    world.dns.txt("_mta-sts.none.test", "v=STSv1; id=n1");
    world.dns.a("mta-sts.none.test", world.web.address().getHostAddress());
    world.web.identity("mta-sts.none.test", PKI.issue("mta-sts.none.test"));
    world.web.policy("mta-sts.none.test", "version: STSv1\nmode: none\nmax_age: 86400\n");

    DeliveryReport r = only(world.direct().build().deliver(MailWorld.message("bob@none.test")));

    assertThat(mx.messages()).hasSize(1);
    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(r.policy().mode()).isEqualTo(io.github.mtasts4j.Mode.NONE);
    assertThat(r.attempts()).singleElement()
        .satisfies(a -> assertThat(a.tls()).isEqualTo(TlsState.NOT_OFFERED));
    assertThat(world.events).singleElement()
        .satisfies(e -> assertThat(e.reportable()).isFalse());
  }

  // ----------------------------------------------------------- several domains

  @Test
  void idnRecipientDomain_aLabelUsedForMxLookupAndInRcptTo() { // STS-1, NAME-2
    LoopbackMx mx = world.starttls("mx.xn--bcher-kva.test", PKI.issue("mx.xn--bcher-kva.test"));
    // preferred, but outside the policy: only an enforced A-label policy keeps mail away from it
    LoopbackMx outside = world.starttls("mx.elsewhere.test", PKI.issue("mx.elsewhere.test"));
    world.mx("xn--bcher-kva.test", 5, "mx.elsewhere.test");
    world.mx("xn--bcher-kva.test", 10, "mx.xn--bcher-kva.test");
    world.policy("xn--bcher-kva.test", "i1", "enforce", "mx.xn--bcher-kva.test");

    DeliveryReport r =
        only(world.direct().build().deliver(MailWorld.message("bob@b\u00fccher.test")));

    assertThat(r.status()).as(r.reason()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(r.domain().value()).isEqualTo("xn--bcher-kva.test");
    // the policy was discovered and fetched under the A-label name, and enforced
    assertThat(r.enforced()).isTrue();
    assertThat(r.policySource()).isEqualTo("fetched");
    assertThat(world.web.requestCount("mta-sts.xn--bcher-kva.test")).isEqualTo(1);
    assertThat(r.policy().mx()).extracting(MxPattern::text)
        .containsExactly("mx.xn--bcher-kva.test");
    assertThat(outside.connectionCount()).isZero();
    assertThat(r.attempts()).extracting(a -> a.mx().value(), Attempt::outcome).containsExactly(
        Tuple.tuple("mx.elsewhere.test", Attempt.Outcome.SKIPPED),
        Tuple.tuple("mx.xn--bcher-kva.test", Attempt.Outcome.DELIVERED));
    assertThat(mx.messages()).singleElement()
        .extracting(ReceivedMessage::recipients).isEqualTo(List.of("bob@xn--bcher-kva.test"));
    assertThat(world.events)
        .extracting(e -> e.policyDomain().value(), TlsSessionEvent::policyId,
            e -> e.mxHost().value(), TlsSessionEvent::success)
        .containsExactly(
            Tuple.tuple("xn--bcher-kva.test", "i1", "mx.elsewhere.test", false),
            Tuple.tuple("xn--bcher-kva.test", "i1", "mx.xn--bcher-kva.test", true));
  }

  @Test
  void policySourceThrowsForOneDomain_otherDomainStillDeliveredAndReported() {
    LoopbackMx good = world.starttls("mx.fine.test", PKI.issue("mx.fine.test"));
    world.mx("fine.test", 10, "mx.fine.test");
    world.mx("broken.test", 10, "mx.fine.test");
    io.github.mtasts4j.PolicySource throwing = new io.github.mtasts4j.PolicySource() {
      @Override
      public io.github.mtasts4j.Resolution resolve(DomainName d) {
        if (d.value().equals("broken.test")) {
          throw new IllegalStateException("cache file unreadable");
        }
        return world.policies.resolve(d);
      }

      @Override
      public io.github.mtasts4j.Resolution recheck(DomainName d) {
        return resolve(d);
      }
    };

    List<DeliveryReport> reports = world.direct().policySource(throwing).build()
        .deliver(MailWorld.message("a@fine.test", "b@broken.test", "c@fine.test"));

    assertThat(reports).extracting(r -> r.domain().value())
        .containsExactly("fine.test", "broken.test");
    assertThat(reports.get(0).status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(reports.get(1).status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(reports.get(1).reason())
        .endsWith("IllegalStateException: cache file unreadable")
        .doesNotContain("java.lang"); // the reason is shown to admins by `send`, not a stack dump
    assertThat(good.messages()).singleElement()
        .extracting(ReceivedMessage::recipients).isEqualTo(List.of("a@fine.test", "c@fine.test"));
  }

  @Test
  void twoDomainsInOneMessage_eachUnderItsOwnPolicy() { // STS-70
    LoopbackMx enforced = world.starttls("mx.enf.test", PKI.issueExpired("mx.enf.test"));
    LoopbackMx testing = world.starttls("mx.tst.test", PKI.issueExpired("mx.tst.test"));
    world.mx("enf.test", 10, "mx.enf.test");
    world.mx("tst.test", 10, "mx.tst.test");
    world.policy("enf.test", "e1", "enforce", "mx.enf.test");
    world.policy("tst.test", "t1", "testing", "mx.tst.test");

    List<DeliveryReport> reports = world.direct().build()
        .deliver(MailWorld.message("a@enf.test", "b@tst.test", "c@enf.test"));

    assertThat(reports).extracting(r -> r.domain().value()).containsExactly("enf.test", "tst.test");
    assertThat(reports.get(0).status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(reports.get(0).recipients()).containsExactly("a@enf.test", "c@enf.test");
    assertThat(reports.get(1).status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(enforced.messages()).isEmpty();
    assertThat(testing.messages()).singleElement()
        .extracting(ReceivedMessage::recipients).isEqualTo(List.of("b@tst.test"));
  }

  // -------------------------------------------------------------- SMTP replies

  @Test
  void recipientRejected4xx_deferredAndNoOtherMxTried() {
    LoopbackMx first = world.starttls("mx1.busy.test", PKI.issue("mx1.busy.test"));
    LoopbackMx second = world.starttls("mx2.busy.test", PKI.issue("mx2.busy.test"));
    world.mx("busy.test", 10, "mx1.busy.test");
    world.mx("busy.test", 20, "mx2.busy.test");
    first.rejectRecipients(451, "4.3.0 try again later");

    DeliveryReport r = only(world.direct().build().deliver(MailWorld.message("bob@busy.test")));

    assertThat(r.status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.outcome()).isEqualTo(Attempt.Outcome.FAILED);
      assertThat(a.smtpReply()).contains("451");
    });
    assertThat(first.messages()).isEmpty();
    assertThat(second.connectionCount()).isZero();
  }

  @Test
  void recipientRejected5xx_failed() {
    LoopbackMx mx = world.starttls("mx.nouser.test", PKI.issue("mx.nouser.test"));
    world.mx("nouser.test", 10, "mx.nouser.test");
    mx.rejectRecipients(550, "5.1.1 no such user");

    DeliveryReport r =
        only(world.direct().build().deliver(MailWorld.message("bob@nouser.test")));

    assertThat(r.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(r.reason()).contains("550");
    assertThat(r.attempts()).singleElement()
        .satisfies(a -> assertThat(a.smtpReply()).contains("550"));
    assertThat(mx.messages()).isEmpty();
  }

  @Test
  void mxUnreachable_deferredWithoutTlsEvent() { // STS-62
    world.mx("down.test", 10, "mx.down.test");
    world.dns.a("mx.down.test", "127.0.0.1"); // nothing listens on our port there

    DeliveryReport r = only(world.direct().build().deliver(MailWorld.message("bob@down.test")));

    assertThat(r.status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.tls()).isEqualTo(TlsState.NOT_ATTEMPTED);
      assertThat(a.failure()).isNull();
    });
    assertThat(world.events).isEmpty();
  }
}
