package io.github.mtasts4j.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.testing.CleartextAuthMx;
import io.github.mtasts4j.testing.LoopbackMx;
import io.github.mtasts4j.testing.TestPki;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SMTP AUTH through the smart host: credentials go only over TLS verified for the smart host's
 * name, whatever its domain's MTA-STS mode, and a rejected login is reported as such.
 */
class SmartHostAuthTest {
  private static final String USER = "app@relay.test";
  private static final String PASSWORD = "s3cret-Pa55";
  private static final String RULE = "credentials are only sent over verified TLS";

  private final MailWorld world = new MailWorld(2);

  @AfterEach
  void close() {
    world.close();
  }

  /** Publishes a policy for {@code host} naming it, unless {@code mode} is "no policy". */
  private void policy(String host, String mode) {
    if (!mode.equals("no policy")) {
      world.policy(host, "p1", mode, host);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"enforce", "testing", "no policy"})
  void relay_rightCredentialsVerifiedTls_authenticatedAndDelivered(String mode) {
    LoopbackMx relay =
        world.starttlsWithAuth("smtp.relay.test", MailWorld.PKI.issue("smtp.relay.test"), USER,
            PASSWORD);
    policy("smtp.relay.test", mode);

    DeliveryReport r = world.relay("smtp.relay.test")
        .credentials(USER, PASSWORD.toCharArray())
        .build()
        .deliver(MailWorld.message("a@rcpt.test"));

    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(relay.authAttempts()).singleElement().satisfies(a -> {
      assertThat(a.username()).isEqualTo(USER);
      assertThat(a.accepted()).isTrue();
      assertThat(a.overTls()).isTrue();
    });
    assertThat(relay.messages()).singleElement().satisfies(m -> {
      assertThat(m.overTls()).isTrue();
      assertThat(m.authenticatedUser()).isEqualTo(USER);
      assertThat(m.recipients()).containsExactly("a@rcpt.test");
    });
    assertThat(r.attempts()).singleElement()
        .satisfies(a -> assertThat(a.tls()).isEqualTo(TlsState.VERIFIED));
  }

  @Test
  void relay_callerWipesPasswordArrayAfterwards_stillAuthenticates() {
    LoopbackMx relay =
        world.starttlsWithAuth("smtp.relay.test", MailWorld.PKI.issue("smtp.relay.test"), USER,
            PASSWORD);
    char[] password = PASSWORD.toCharArray();
    SmartHostRelay.Builder builder = world.relay("smtp.relay.test").credentials(USER, password);
    Arrays.fill(password, '\0');

    DeliveryReport r = builder.build().deliver(MailWorld.message("a@rcpt.test"));

    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(relay.messages()).singleElement()
        .satisfies(m -> assertThat(m.authenticatedUser()).isEqualTo(USER));
  }

  @Test
  void relay_wrongPassword_failedAsAuthenticationFailureNothingReceived() {
    LoopbackMx relay =
        world.starttlsWithAuth("smtp.relay.test", MailWorld.PKI.issue("smtp.relay.test"), USER,
            PASSWORD);

    DeliveryReport r = world.relay("smtp.relay.test")
        .credentials(USER, "wrong".toCharArray())
        .build()
        .deliver(MailWorld.message("a@rcpt.test"));

    assertThat(r.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(r.reason()).contains("authentication").contains("535");
    assertThat(relay.messages()).isEmpty();
    assertThat(relay.authAttempts()).singleElement().satisfies(a -> {
      assertThat(a.username()).isEqualTo(USER);
      assertThat(a.accepted()).isFalse();
    });
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.tls()).isEqualTo(TlsState.VERIFIED);
      assertThat(a.outcome()).isEqualTo(Attempt.Outcome.FAILED);
      assertThat(a.smtpReply()).startsWith("535");
    });
  }

  @Test
  void relay_authTemporarilyRefused_deferredNothingReceived() {
    LoopbackMx relay =
        world.starttlsWithAuth("smtp.relay.test", MailWorld.PKI.issue("smtp.relay.test"), USER,
            PASSWORD);
    relay.rejectAuth(454, "4.7.0 temporary authentication failure");

    DeliveryReport r = world.relay("smtp.relay.test")
        .credentials(USER, PASSWORD.toCharArray())
        .build()
        .deliver(MailWorld.message("a@rcpt.test"));

    assertThat(r.status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(r.reason()).contains("authentication").contains("454");
    assertThat(relay.messages()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"testing", "none", "no policy"})
  void relay_noStartTlsButAuthOffered_credentialsNeverSentDeferred(String mode) {
    CleartextAuthMx relay = world.cleartextAuth("smtp.plain.test", USER, PASSWORD);
    policy("smtp.plain.test", mode);

    DeliveryReport r = world.relay("smtp.plain.test")
        .credentials(USER, PASSWORD.toCharArray())
        .build()
        .deliver(MailWorld.message("a@rcpt.test"));

    assertThat(relay.authAttempts()).isEmpty();
    assertThat(relay.messages()).isEmpty();
    assertThat(relay.connectionCount()).isEqualTo(1);
    assertThat(r.status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(r.reason()).contains(RULE);
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.tls()).isEqualTo(TlsState.NOT_OFFERED);
      assertThat(a.failure()).isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
      assertThat(a.outcome()).isEqualTo(Attempt.Outcome.FAILED);
    });
  }

  @Test
  void relay_noStartTlsWithoutCredentials_relayedInCleartextAsBefore() {
    CleartextAuthMx relay = world.cleartextAuth("smtp.plain.test", USER, PASSWORD);

    DeliveryReport r = world.relay("smtp.plain.test").build()
        .deliver(MailWorld.message("a@rcpt.test"));

    assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(relay.authAttempts()).isEmpty();
    assertThat(relay.messages()).singleElement().satisfies(m -> {
      assertThat(m.overTls()).isFalse();
      assertThat(m.authenticatedUser()).isNull();
    });
  }

  @Test
  void relay_untrustedCertificateNoPolicy_credentialsNeverSentDeferred() {
    LoopbackMx relay =
        world.starttlsWithAuth("smtp.relay.test", TestPki.selfSigned("smtp.relay.test"), USER,
            PASSWORD);

    DeliveryReport r = world.relay("smtp.relay.test")
        .credentials(USER, PASSWORD.toCharArray())
        .build()
        .deliver(MailWorld.message("a@rcpt.test"));

    assertThat(relay.authAttempts()).isEmpty();
    assertThat(relay.messages()).isEmpty();
    assertThat(relay.connectionCount()).isEqualTo(1);
    assertThat(r.status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(r.reason()).contains(RULE);
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.tls()).isEqualTo(TlsState.FAILED);
      assertThat(a.failure()).isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
    });
  }

  @Test
  void relay_wrongNameCertificateTestingPolicy_credentialsNeverSentDeferred() {
    LoopbackMx relay =
        world.starttlsWithAuth("smtp.relay.test", MailWorld.PKI.issue("other.relay.test"), USER,
            PASSWORD);
    policy("smtp.relay.test", "testing");

    DeliveryReport r = world.relay("smtp.relay.test")
        .credentials(USER, PASSWORD.toCharArray())
        .build()
        .deliver(MailWorld.message("a@rcpt.test"));

    assertThat(relay.authAttempts()).isEmpty();
    assertThat(relay.messages()).isEmpty();
    assertThat(r.status()).isEqualTo(DeliveryStatus.DEFERRED);
    assertThat(r.reason()).contains(RULE);
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.tls()).isEqualTo(TlsState.FAILED);
      assertThat(a.failure()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
    });
  }

  @Test
  void credentials_toString_hidesPassword() {
    assertThat(SmtpCredentials.of(USER, PASSWORD.toCharArray()).toString())
        .contains(USER)
        .doesNotContain(PASSWORD);
  }

  @Test
  void credentials_blankUserName_rejected() {
    SmartHostRelay.Builder builder = world.relay("smtp.relay.test");

    assertThatThrownBy(() -> builder.credentials(" ", PASSWORD.toCharArray()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
