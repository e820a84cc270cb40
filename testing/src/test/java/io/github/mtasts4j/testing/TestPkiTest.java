package io.github.mtasts4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {

  private static final TestPki PKI = TestPki.create("mtasts4j test root");

  @Test
  void issue_validLeaf_chainsToRootWithSansInOrder() throws Exception {
    ServerIdentity id = PKI.issue("mta-sts.example.com", "*.example.com");
    X509Certificate leaf = id.leaf();
    leaf.verify(PKI.root().getPublicKey());
    leaf.checkValidity();
    assertThat(sans(leaf)).containsExactly("mta-sts.example.com", "*.example.com");
    assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=mta-sts.example.com");
    assertThat(leaf.getIssuerX500Principal()).isEqualTo(PKI.root().getSubjectX500Principal());
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(PKI.root().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    PKI.trustManager().checkServerTrusted(id.chain().toArray(new X509Certificate[0]), "ECDHE_ECDSA");
  }

  @Test
  void issueExpired_leaf_failsValidityCheck() {
    X509Certificate leaf = PKI.issueExpired("mx.example.com").leaf();
    assertThatThrownBy(leaf::checkValidity).isInstanceOf(CertificateExpiredException.class);
    assertThatThrownBy(
            () -> PKI.trustManager().checkServerTrusted(new X509Certificate[] {leaf}, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void issueCnOnly_leaf_hasNoSubjectAltNames() throws Exception {
    X509Certificate leaf = PKI.issueCnOnly("mx.example.com").leaf();
    assertThat(leaf.getSubjectAlternativeNames()).isNull();
    assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=mx.example.com");
  }

  @Test
  void selfSigned_leaf_isNotTrustedByTestRoot() {
    ServerIdentity id = TestPki.selfSigned("mx.example.com");
    assertThatThrownBy(
            () -> PKI.trustManager()
                .checkServerTrusted(id.chain().toArray(new X509Certificate[0]), "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void issue_fromOtherPki_isNotTrusted() {
    ServerIdentity foreign = TestPki.create("other root").issue("mx.example.com");
    assertThatThrownBy(
            () -> PKI.trustManager()
                .checkServerTrusted(foreign.chain().toArray(new X509Certificate[0]), "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void writeRootPem_file_parsesBackToRoot(@TempDir Path dir) throws Exception {
    Path file = PKI.writeRootPem(dir.resolve("root.pem"));
    try (InputStream in = Files.newInputStream(file)) {
      X509Certificate parsed =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      assertThat(parsed).isEqualTo(PKI.root());
    }
    assertThat(PKI.trustStore().getCertificate("root")).isEqualTo(PKI.root());
  }

  @Test
  void serverSslContext_handshake_succeedsOnlyForMatchingHostname() throws Exception {
    ServerIdentity id = PKI.issue("mx.example.com");
    assertThat(handshake(id, "mx.example.com")).isTrue();
    assertThatThrownBy(() -> handshake(id, "other.example.com"))
        .hasRootCauseInstanceOf(CertificateException.class);
  }

  /** Connects a hostname-verifying client to a one-shot TLS server presenting {@code id}. */
  private static boolean handshake(ServerIdentity id, String expectedHost) throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    try (SSLServerSocket server =
        (SSLServerSocket) id.serverSslContext().getServerSocketFactory().createServerSocket(0, 1, lo)) {
      CompletableFuture<Void> accepted =
          CompletableFuture.runAsync(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
              s.setSoTimeout(5000);
              s.startHandshake();
              s.getInputStream().read();
            } catch (Exception e) {
              // the client side decides the outcome
            }
          });
      try (Socket plain = new Socket()) {
        plain.connect(new InetSocketAddress(lo, server.getLocalPort()), 5000);
        plain.setSoTimeout(5000);
        try (SSLSocket c = (SSLSocket) PKI.clientSslContext().getSocketFactory()
            .createSocket(plain, expectedHost, server.getLocalPort(), false)) {
          SSLParameters p = c.getSSLParameters();
          p.setEndpointIdentificationAlgorithm("HTTPS");
          c.setSSLParameters(p);
          c.startHandshake();
          OutputStream out = c.getOutputStream();
          out.write(1);
          out.flush();
        }
      }
      accepted.get(5, TimeUnit.SECONDS);
      return true;
    }
  }

  private static List<String> sans(X509Certificate cert) throws Exception {
    return cert.getSubjectAlternativeNames().stream()
        .filter(l -> (Integer) l.get(0) == 2)
        .map(l -> (String) l.get(1))
        .toList();
  }
}
