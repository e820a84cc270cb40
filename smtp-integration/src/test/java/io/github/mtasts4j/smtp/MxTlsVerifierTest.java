package io.github.mtasts4j.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mtasts4j.CertificateRejectedException;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.TrustAnchors;
import io.github.mtasts4j.testing.FakeClock;
import io.github.mtasts4j.testing.LoopbackAddresses;
import io.github.mtasts4j.testing.LoopbackMx;
import io.github.mtasts4j.testing.ServerIdentity;
import io.github.mtasts4j.testing.TestPki;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The raw seam: an MTA that speaks SMTP itself and only borrows our socket factory. */
class MxTlsVerifierTest {
  private static final TestPki PKI = MailWorld.PKI;
  private static final DomainName MX = DomainName.of("mx.raw.test");
  private final MxTlsVerifier verifier =
      MxTlsVerifier.of(TrustAnchors.of(List.of(PKI.root())), FakeClock.at(Instant.now()));
  private LoopbackMx server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  /** Connects by IP, speaks EHLO + STARTTLS by hand, and returns the plain socket. */
  private Socket startTls(ServerIdentity identity) throws IOException {
    InetAddress address = LoopbackAddresses.allocate(1).get(0);
    server = LoopbackMx.starttls(address, 0, identity);
    Socket s = new Socket();
    s.connect(new InetSocketAddress(address, server.port()), 2000);
    s.setSoTimeout(5000);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    OutputStream out = s.getOutputStream();
    readReply(in);
    out.write("EHLO out.sender.test\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(readReply(in)).contains("STARTTLS");
    out.write("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(readReply(in)).startsWith("220");
    return s;
  }

  private static String readReply(BufferedReader in) throws IOException {
    StringBuilder sb = new StringBuilder();
    String line;
    do {
      line = in.readLine();
      sb.append(line).append('\n');
    } while (line != null && line.length() > 3 && line.charAt(3) == '-');
    return sb.toString();
  }

  @Test
  void socketFactory_goodCertificate_verifiedAndSniIsMxNameEvenWhenCallerPassesIp()
      throws IOException {
    Socket plain = startTls(PKI.issue("mx.raw.test"));
    TlsObservation seen = new TlsObservation();

    try (SSLSocket tls = (SSLSocket) verifier.socketFactory(MX, TlsRequirement.VERIFIED, seen)
        .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true)) {
      tls.startHandshake();
      assertThat(tls.getSession().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
      assertThat(verifier.verify(tls.getSession(), MX)).isEmpty();
    }

    assertThat(seen.verified()).isTrue();
    assertThat(seen.tlsStarted()).isTrue();
    assertThat(server.tlsServerNames()).containsExactly("mx.raw.test"); // STS-61
  }

  @Test
  void socketFactory_verifiedRequirementWrongName_handshakeAbortedWithFailure()
      throws IOException {
    Socket plain = startTls(PKI.issue("other.raw.test"));
    TlsObservation seen = new TlsObservation();
    SSLSocket tls = (SSLSocket) verifier.socketFactory(MX, TlsRequirement.VERIFIED, seen)
        .createSocket(plain, "mx.raw.test", plain.getPort(), true);

    assertThatThrownBy(tls::startHandshake)
        .isInstanceOf(SSLHandshakeException.class)
        .hasRootCauseInstanceOf(CertificateRejectedException.class);
    tls.close();

    assertThat(seen.failure().type()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
    assertThat(server.messages()).isEmpty();
  }

  @Test
  void socketFactory_opportunisticExpired_handshakeCompletesAndFailureRecorded()
      throws IOException {
    Socket plain = startTls(PKI.issueExpired("mx.raw.test"));
    TlsObservation seen = new TlsObservation();

    try (SSLSocket tls = (SSLSocket) verifier.socketFactory(MX, TlsRequirement.OPPORTUNISTIC, seen)
        .createSocket(plain, "mx.raw.test", plain.getPort(), true)) {
      tls.startHandshake();
      assertThat(verifier.verify(tls.getSession(), MX))
          .hasValueSatisfying(f -> assertThat(f.type()).isEqualTo(ResultType.CERTIFICATE_EXPIRED));
    }

    assertThat(seen.verified()).isFalse();
    assertThat(seen.failure().type()).isEqualTo(ResultType.CERTIFICATE_EXPIRED);
  }

  /** A plain JDK context whose only trust manager is {@link MxTlsVerifier#trustManager}. */
  private SSLSocket plainContextSocket(Socket plain, TlsObservation seen)
      throws IOException, GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {
        verifier.trustManager(MX, TlsRequirement.VERIFIED, seen)}, null);
    return (SSLSocket) context.getSocketFactory()
        .createSocket(plain, "mx.raw.test", plain.getPort(), true);
  }

  @Test
  void trustManager_inPlainSslContextWrongName_handshakeRejectedAsHostMismatch()
      throws Exception {
    Socket plain = startTls(PKI.issue("other.raw.test"));
    TlsObservation seen = new TlsObservation();
    SSLSocket tls = plainContextSocket(plain, seen);

    assertThatThrownBy(tls::startHandshake)
        .isInstanceOf(SSLHandshakeException.class)
        .hasRootCauseInstanceOf(CertificateRejectedException.class)
        .satisfies(e -> assertThat(((CertificateRejectedException) rootCause(e)).failure().type())
            .isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH));
    tls.close();

    assertThat(seen.verified()).isFalse();
    assertThat(seen.failure().type()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
    assertThat(server.messages()).isEmpty();
  }

  @Test
  void trustManager_inPlainSslContextRightName_handshakeAccepted() throws Exception {
    Socket plain = startTls(PKI.issue("mx.raw.test"));
    TlsObservation seen = new TlsObservation();

    try (SSLSocket tls = plainContextSocket(plain, seen)) {
      tls.startHandshake();
      assertThat(tls.getSession().getPeerCertificates()).isNotEmpty();
    }

    assertThat(seen.certificateChecked()).isTrue();
    assertThat(seen.verified()).isTrue();
    assertThat(seen.failure()).isNull();
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
