package io.github.mtasts4j.smtp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.testing.ImplicitTlsMx;
import io.github.mtasts4j.testing.ReceivedMessage;
import io.github.mtasts4j.testing.ScriptedServer;
import java.net.InetAddress;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Relaying to a smart host that speaks TLS from the first byte (port 465, RFC 8314): the same
 * certificate check as after STARTTLS, never a cleartext fallback.
 */
class SmartHostImplicitTlsTest {
  private static final String RELAY = "smtp.relay.test";

  private final MailWorld world = new MailWorld(2);

  @AfterEach
  void close() {
    world.close();
  }

  @Test
  void goodCertificateNoPolicy_deliveredOverVerifiedTls() {
    ImplicitTlsMx relay = world.implicitTls(RELAY, MailWorld.PKI.issue(RELAY));

    DeliveryReport r =
        world.relay(RELAY).implicitTls(true).build().deliver(MailWorld.message("a@rcpt.test"));

    assertThat(r.status()).as(r.reason()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.tls()).isEqualTo(TlsState.VERIFIED);
      assertThat(a.failure()).isNull();
    });
    assertThat(relay.messages()).singleElement()
        .satisfies(m -> assertThat(m.overTls()).isTrue())
        .extracting(ReceivedMessage::recipients).isEqualTo(java.util.List.of("a@rcpt.test"));
  }

  @Test
  void wrongNameUnderEnforce_deferredNothingSent() {
    ImplicitTlsMx relay = world.implicitTls(RELAY, MailWorld.PKI.issue("other.relay.test"));
    world.policy(RELAY, "1", "enforce", RELAY);

    DeliveryReport r =
        world.relay(RELAY).implicitTls(true).build().deliver(MailWorld.message("a@rcpt.test"));

    assertThat(r.status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.tls()).isEqualTo(TlsState.FAILED);
      assertThat(a.failure()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
    });
    assertThat(relay.messages()).isEmpty();
  }

  @Test
  void untrustedCertificateNoPolicy_deliveredUnverifiedNoCleartextRetry() {
    ImplicitTlsMx relay = world.implicitTls(RELAY, MailWorld.UNTRUSTED_CA.issue(RELAY));

    DeliveryReport r =
        world.relay(RELAY).implicitTls(true).build().deliver(MailWorld.message("a@rcpt.test"));

    assertThat(r.status()).as(r.reason()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.tls()).isEqualTo(TlsState.UNVERIFIED);
      assertThat(a.failure()).isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
    });
    assertThat(relay.messages()).singleElement()
        .satisfies(m -> assertThat(m.overTls()).isTrue());
    assertThat(relay.connectionCount()).isEqualTo(1);
  }

  @Test
  void credentialsAndUntrustedCertificate_deferredBeforeAnySmtp() {
    ImplicitTlsMx relay = world.implicitTls(RELAY, MailWorld.UNTRUSTED_CA.issue(RELAY));

    DeliveryReport r =
        world.relay(RELAY)
            .implicitTls(true)
            .credentials("app@relay.test", "s3cret".toCharArray())
            .build()
            .deliver(MailWorld.message("a@rcpt.test"));

    assertThat(r.status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(r.reason()).contains("credentials are only sent over verified TLS");
    assertThat(r.attempts()).singleElement()
        .satisfies(a -> assertThat(a.tls()).isEqualTo(TlsState.FAILED));
    assertThat(relay.messages()).isEmpty();
    assertThat(relay.connectionCount()).isEqualTo(1);
  }

  @Test
  void handshakeRejectedUnderEnforce_sessionEventNamesTheRealSendingAddress() {
    world.implicitTls(RELAY, MailWorld.PKI.issue("other.relay.test"));
    world.policy(RELAY, "1", "enforce", RELAY);

    world.relay(RELAY).implicitTls(true).build().deliver(MailWorld.message("a@rcpt.test"));

    assertThat(world.events).filteredOn(e -> e.mxHost() != null).isNotEmpty().allSatisfy(e -> {
      assertThat(e.failure().type()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
      assertThat(e.sendingIp()).isNotNull();
      assertThat(e.sendingIp().isAnyLocalAddress()).as("sending-mta-ip " + e.sendingIp()).isFalse();
    });
  }

  @Test
  void greetingRefusedAfterTheHandshake_tlsOutcomeKeptAndReported() throws Exception {
    InetAddress address = world.address(RELAY);
    world.policy(RELAY, "1", "testing", RELAY);
    SSLContext untrusted = MailWorld.UNTRUSTED_CA.issue(RELAY).serverSslContext();
    try (ScriptedServer busy =
        ScriptedServer.on(address)
            .port(world.port())
            .tls(untrusted)
            .start(
                s -> {
                  s.getOutputStream().write("421 too busy\r\n".getBytes(US_ASCII));
                  s.getOutputStream().flush();
                  ScriptedServer.awaitClose();
                })) {

      DeliveryReport r =
          world.relay(RELAY).implicitTls(true).build().deliver(MailWorld.message("a@rcpt.test"));

      assertThat(r.status()).isEqualTo(DeliveryStatus.DEFERRED);
      assertThat(r.attempts()).singleElement().satisfies(a -> {
        assertThat(a.tls()).isEqualTo(TlsState.UNVERIFIED);
        assertThat(a.failure()).isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
        assertThat(a.outcome()).isEqualTo(Attempt.Outcome.FAILED);
      });
      assertThat(world.events).filteredOn(e -> e.mxHost() != null).singleElement()
          .satisfies(e -> assertThat(e.failure().type())
              .isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED));
      assertThat(busy.connectionCount()).isEqualTo(1);
    }
  }
}
