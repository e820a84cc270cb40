package io.github.mtasts4j.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.testing.LoopbackMx;
import io.github.mtasts4j.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Relaying through a smart host: the smart host's domain is the Policy Domain (STS-31). */
class SmartHostRelayTest {
  private final MailWorld world = new MailWorld(3);

  @AfterEach
  void close() {
    world.close();
  }

  @Test
  void relay_enforcePolicyGoodCertificate_allRecipientsRelayedOverVerifiedTls() {
    LoopbackMx relay = world.starttls("smtp.relay.test", MailWorld.PKI.issue("smtp.relay.test"));
    LoopbackMx recipientMx = world.starttls("mx.rcpt.test", MailWorld.PKI.issue("mx.rcpt.test"));
    world.mx("rcpt.test", 10, "mx.rcpt.test");
    world.policy("smtp.relay.test", "r1", "enforce", "smtp.relay.test");

    DeliveryReport r = world.relay("smtp.relay.test").build()
        .deliver(MailWorld.message("a@rcpt.test", "b@other.test"));

    assertThat(r.domain().value()).isEqualTo("smtp.relay.test");
    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(r.enforced()).isTrue();
    assertThat(relay.messages()).singleElement().satisfies(m -> {
      assertThat(m.overTls()).isTrue();
      assertThat(m.recipients()).containsExactly("a@rcpt.test", "b@other.test");
    });
    assertThat(relay.tlsServerNames()).containsExactly("smtp.relay.test");
    assertThat(recipientMx.connectionCount()).isZero();
    assertThat(world.events).singleElement()
        .satisfies(e -> assertThat(e.policyDomain().value()).isEqualTo("smtp.relay.test"));
  }

  @Test
  void relay_enforcePolicyBadCertificate_nothingRelayed() {
    LoopbackMx relay =
        world.starttls("smtp.strict.test", MailWorld.PKI.issue("wrong.strict.test"));
    world.policy("smtp.strict.test", "r1", "enforce", "smtp.strict.test");

    DeliveryReport r = world.relay("smtp.strict.test").build()
        .deliver(MailWorld.message("a@rcpt.test"));

    assertThat(relay.messages()).isEmpty();
    assertThat(r.status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(r.attempts()).singleElement()
        .satisfies(a -> assertThat(a.failure()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH));
  }

  @Test
  void relay_policyOfConfiguredDomainNotMatchingRelay_neverConnected() {
    LoopbackMx relay = world.starttls("smtp.provider.test", MailWorld.PKI.issue("smtp.provider.test"));
    world.policy("provider.test", "p1", "enforce", "mx.provider.test");

    DeliveryReport r = world.relay("smtp.provider.test")
        .policyDomain(io.github.mtasts4j.DomainName.of("provider.test"))
        .build()
        .deliver(MailWorld.message("a@rcpt.test"));

    assertThat(relay.connectionCount()).isZero();
    assertThat(r.domain().value()).isEqualTo("provider.test");
    assertThat(r.status()).isEqualTo(DeliveryStatus.DEFERRED);
  }

  @Test
  void relay_noPolicySelfSigned_relayedOpportunistically() {
    LoopbackMx relay = world.starttls("smtp.open.test", TestPki.selfSigned("smtp.open.test"));

    DeliveryReport r = world.relay("smtp.open.test").build()
        .deliver(MailWorld.message("a@rcpt.test"));

    assertThat(relay.messages()).singleElement()
        .satisfies(m -> assertThat(m.overTls()).isTrue());
    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(r.policy()).isNull();
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.tls()).isEqualTo(TlsState.UNVERIFIED);
      assertThat(a.failure()).isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
    });
  }
}
