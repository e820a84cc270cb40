package io.github.mtasts4j.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.testing.BrokenStartTlsMx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A failed STARTTLS handshake: Angus Mail never falls back to cleartext, so opportunistic delivery
 * needs its own second connection (STS-66), and enforce must not deliver at all (STS-63).
 */
class HandshakeFailureTest {
  private final MailWorld world = new MailWorld(1);
  private BrokenStartTlsMx server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
    world.close();
  }

  @Test
  void noPolicy_handshakeFails_deliveredInCleartextOnSecondConnection() {
    server = new BrokenStartTlsMx(world.address("mx.broken.test"), world.port());
    world.mx("broken.test", 10, "mx.broken.test");

    DeliveryReport r = world.direct().build().deliver(MailWorld.message("bob@broken.test")).get(0);

    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(server.connectionCount()).isEqualTo(2);
    assertThat(server.messages()).singleElement()
        .satisfies(m -> assertThat(m.recipients()).containsExactly("bob@broken.test"));
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.tls()).isEqualTo(TlsState.FAILED);
      assertThat(a.failure()).isEqualTo(ResultType.VALIDATION_FAILURE);
      assertThat(a.outcome()).isEqualTo(Attempt.Outcome.DELIVERED);
    });
  }

  @Test
  void enforce_handshakeFails_nothingDeliveredNoCleartextRetry() {
    server = new BrokenStartTlsMx(world.address("mx.broken.test"), world.port());
    world.mx("broken.test", 10, "mx.broken.test");
    world.policy("broken.test", "b1", "enforce", "mx.broken.test");

    DeliveryReport r = world.direct().build().deliver(MailWorld.message("bob@broken.test")).get(0);

    assertThat(r.status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(server.connectionCount()).isEqualTo(1);
    assertThat(server.messages()).isEmpty();
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.tls()).isEqualTo(TlsState.FAILED);
      assertThat(a.failure()).isEqualTo(ResultType.VALIDATION_FAILURE);
    });
    assertThat(world.events).singleElement()
        .satisfies(e -> assertThat(e.failure().type()).isEqualTo(ResultType.VALIDATION_FAILURE));
  }
}
