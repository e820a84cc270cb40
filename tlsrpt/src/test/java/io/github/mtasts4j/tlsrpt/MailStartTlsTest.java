package io.github.mtasts4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.testing.FakeClock;
import io.github.mtasts4j.testing.ServerIdentity;
import io.github.mtasts4j.testing.TestPki;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/** Report mail uses STARTTLS when it verifies, and falls back to plain text when not (RPT-9). */
class MailStartTlsTest {
  static final LocalDate DAY = LocalDate.parse("2026-06-02");
  static final TestPki PKI = TestPki.create("tlsrpt mail CA");

  record Received(boolean tls, String data) {}

  @TempDir Path state;
  final List<Received> received = new CopyOnWriteArrayList<>();
  SMTPServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  void startMx(ServerIdentity identity) {
    server = SMTPServer.port(0)
        .bindAddress(InetAddress.getLoopbackAddress())
        .hostName("mx.receiver.example")
        .enableTLS()
        .startTlsSocketFactory(identity.serverSslContext())
        .messageHandler((ctx, from, to, data) -> received.add(new Received(
            ctx instanceof Session s && s.isTLSStarted(), new String(data, StandardCharsets.UTF_8))))
        .build();
    server.start();
  }

  List<Delivery> sendReport() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    MapDns dns = new MapDns()
        .txt("_smtp._tls.receiver.example", "v=TLSRPTv1;rua=mailto:tlsrpt@receiver.example")
        .mx("receiver.example", "mx.receiver.example")
        .address("mx.receiver.example", InetAddress.getLoopbackAddress());
    FakeClock clock = FakeClock.at(Instant.parse("2026-06-02T10:00:00Z"));
    try (TlsReporter r = TlsReporter.newBuilder()
        .organizationName("Sender Org").contactInfo("tlsrpt@sender.example").stateDirectory(state)
        .clock(clock).dnsClient(dns).sslContext(PKI.clientSslContext())
        .dkim(new DkimKey(new DomainName("sender.example"), "tlsrpt", (RSAPrivateKey) gen.generateKeyPair().getPrivate()))
        .smtpPort(server.getPortAllocated()).timeout(Duration.ofSeconds(10)).build()) {
      r.record(SessionResult.success(new DomainName("receiver.example"), null,
          new DomainName("mx.receiver.example"), null, null, clock.instant()));
      return r.sendNow(DAY);
    }
  }

  @Test
  void startTls_verifiedCertificateForMxName_deliveredOverTls() throws Exception {
    startMx(PKI.issue("mx.receiver.example"));
    assertThat(sendReport()).singleElement().satisfies(d -> {
      assertThat(d.state()).isEqualTo(Delivery.State.DELIVERED);
      assertThat(d.detail()).isNull();
    });
    assertThat(received).singleElement().satisfies(m -> {
      assertThat(m.tls()).isTrue();
      assertThat(m.data()).contains("TLS-Report-Domain: receiver.example");
    });
  }

  @Test
  void startTls_certificateForOtherName_fallsBackToPlainText_detailNamesTheTlsFailure()
      throws Exception {
    startMx(PKI.issue("other.example"));
    assertThat(sendReport()).singleElement().satisfies(d -> {
      assertThat(d.state()).isEqualTo(Delivery.State.DELIVERED);
      assertThat(d.detail())
          .startsWith("delivered without TLS: STARTTLS with mx.receiver.example failed: ")
          .containsIgnoringCase("subject alternative")
          .doesNotContain("\n");
    });
    assertThat(received).singleElement().extracting(Received::tls).isEqualTo(false);
  }

  @Test
  void startTls_untrustedCertificate_fallsBackToPlainText_detailNamesTheTlsFailure()
      throws Exception {
    startMx(TestPki.selfSigned("mx.receiver.example"));
    assertThat(sendReport()).singleElement().satisfies(d -> {
      assertThat(d.state()).isEqualTo(Delivery.State.DELIVERED);
      assertThat(d.detail())
          .startsWith("delivered without TLS: STARTTLS with mx.receiver.example failed: ")
          .contains("PKIX")
          .doesNotContain("\n");
    });
    assertThat(received).singleElement().extracting(Received::tls).isEqualTo(false);
  }
}
