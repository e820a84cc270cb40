package io.github.mtasts4j.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PolicyServerTest {

  private static TestPki pki;
  private static PolicyServer server;

  @BeforeAll
  static void startAll() {
    pki = TestPki.create("policy test root");
    server = PolicyServer.start();
  }

  @AfterAll
  static void stopAll() {
    server.close();
  }

  @BeforeEach
  void clean() {
    server.reset();
  }

  /** What a hostname-verifying client got: the served leaf and the raw HTTP response. */
  record Fetched(X509Certificate leaf, String response) {}

  /** An HTTPS GET to 127.0.0.1:port with SNI and hostname verification for {@code host}. */
  private static Fetched fetch(String host, String path) throws IOException {
    return fetch(host, path, true);
  }

  private static Fetched fetch(String host, String path, boolean sendSni) throws IOException {
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(server.address(), server.port()), 5000);
      plain.setSoTimeout(5000);
      try (SSLSocket tls =
          (SSLSocket) pki.clientSslContext().getSocketFactory().createSocket(plain, host, server.port(), true)) {
        SSLParameters p = tls.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!sendSni) {
          p.setServerNames(List.of());
        }
        tls.setSSLParameters(p);
        tls.startHandshake();
        X509Certificate leaf = (X509Certificate) tls.getSession().getPeerCertificates()[0];
        OutputStream out = tls.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + server.port()
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = tls.getInputStream();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        return new Fetched(leaf, buf.toString(StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void sni_twoHosts_eachGetsOwnCertificateAndPolicy() throws Exception {
    ServerIdentity a = pki.issue("mta-sts.a.example");
    ServerIdentity b = pki.issue("mta-sts.b.example");
    server.identity("mta-sts.a.example", a);
    server.identity("MTA-STS.B.example", b);
    server.policy("mta-sts.a.example", "version: STSv1\nmode: enforce\nmx: mx.a.example\nmax_age: 86400\n");
    server.policy("mta-sts.b.example", "version: STSv1\nmode: testing\nmx: mx.b.example\nmax_age: 600\n");

    Fetched fa = fetch("mta-sts.a.example", PolicyServer.POLICY_PATH);
    Fetched fb = fetch("mta-sts.b.example", PolicyServer.POLICY_PATH);

    assertThat(fa.leaf()).isEqualTo(a.leaf());
    assertThat(fb.leaf()).isEqualTo(b.leaf());
    assertThat(fa.response()).startsWith("HTTP/1.1 200").contains("Content-Type: text/plain")
        .endsWith("mode: enforce\nmx: mx.a.example\nmax_age: 86400\n");
    assertThat(fb.response()).contains("mode: testing");
    assertThat(server.serverNames()).containsExactly("mta-sts.a.example", "mta-sts.b.example");
    assertThat(server.requestCount("mta-sts.a.example")).isEqualTo(1);
    assertThat(server.requestCount("mta-sts.b.example")).isEqualTo(1);
    assertThat(server.requestCount("mta-sts.c.example")).isZero();
  }

  @Test
  void sni_unknownHost_getsDefaultIdentityAndHostnameCheckFails() {
    server.defaultIdentity(pki.issue("default.example"));
    assertThatThrownBy(() -> fetch("mta-sts.unknown.example", PolicyServer.POLICY_PATH))
        .isInstanceOf(SSLHandshakeException.class);
    assertThat(server.serverNames()).containsExactly("mta-sts.unknown.example");
    assertThat(server.requestCount("mta-sts.unknown.example")).isZero();
  }

  @Test
  void identity_expired_rejectedByClient() {
    server.identity("mta-sts.old.example", pki.issueExpired("mta-sts.old.example"));
    assertThatThrownBy(() -> fetch("mta-sts.old.example", PolicyServer.POLICY_PATH))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void noSni_client_servedDefaultIdentityRecordedAsEmpty() throws Exception {
    ServerIdentity def = pki.issue("mta-sts.default.example");
    server.defaultIdentity(def);
    server.identity("mta-sts.other.example", pki.issue("mta-sts.other.example"));
    server.policy("mta-sts.default.example", "version: STSv1\nmode: none\nmax_age: 1\n");
    Fetched f = fetch("mta-sts.default.example", PolicyServer.POLICY_PATH, false);
    assertThat(f.leaf()).isEqualTo(def.leaf());
    assertThat(f.response()).startsWith("HTTP/1.1 200").endsWith("mode: none\nmax_age: 1\n");
    assertThat(server.serverNames()).containsExactly("");
  }

  @Test
  void jdkHttpClient_localhost_fetchesPolicyOverVerifiedTls() throws Exception {
    server.identity("localhost", pki.issue("localhost"));
    server.policy("localhost", "version: STSv1\nmode: none\nmax_age: 1\n");
    HttpClient client =
        HttpClient.newBuilder().sslContext(pki.clientSslContext()).connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + PolicyServer.POLICY_PATH))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/plain");
    assertThat(r.body()).isEqualTo("version: STSv1\nmode: none\nmax_age: 1\n");
    assertThat(server.serverNames()).containsExactly("localhost");
    assertThat(server.requestCount("localhost")).isEqualTo(1);
  }

  @Test
  void policy_calledAgain_replacesBody() throws Exception {
    server.identity("mta-sts.r.example", pki.issue("mta-sts.r.example"));
    server.policy("mta-sts.r.example", "first");
    server.policy("mta-sts.r.example", "second");
    assertThat(fetch("mta-sts.r.example", PolicyServer.POLICY_PATH).response()).endsWith("\r\n\r\nsecond");
    server.removePolicy("mta-sts.r.example");
    assertThat(fetch("mta-sts.r.example", PolicyServer.POLICY_PATH).response()).startsWith("HTTP/1.1 404");
  }

  @Test
  void wireMock_customStubByHost_servesRedirectUnfollowed() throws Exception {
    server.identity("mta-sts.m.example", pki.issue("mta-sts.m.example"));
    server.wireMock().stubFor(
        get(urlEqualTo(PolicyServer.POLICY_PATH))
            .withHost(equalTo("mta-sts.m.example"))
            .willReturn(aResponse().withStatus(301).withHeader("Location", "https://evil.example/")));
    assertThat(fetch("mta-sts.m.example", PolicyServer.POLICY_PATH).response())
        .startsWith("HTTP/1.1 301").contains("Location: https://evil.example/");
    assertThat(server.requestCount("mta-sts.m.example")).isEqualTo(1);
  }

  @Test
  void wireMock_fixedDelay_clientReadTimeoutFiresThroughRelay() {
    server.identity("mta-sts.slow.example", pki.issue("mta-sts.slow.example"));
    server.wireMock().stubFor(
        get(urlEqualTo(PolicyServer.POLICY_PATH))
            .withHost(equalTo("mta-sts.slow.example"))
            .willReturn(aResponse().withStatus(200).withBody("late").withFixedDelay(3000)));
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> fetchWithReadTimeout("mta-sts.slow.example", 300))
        .isInstanceOf(java.net.SocketTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
  }

  private static void fetchWithReadTimeout(String host, int millis) throws IOException {
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(server.address(), server.port()), 5000);
      plain.setSoTimeout(millis);
      try (SSLSocket tls =
          (SSLSocket) pki.clientSslContext().getSocketFactory().createSocket(plain, host, server.port(), true)) {
        tls.startHandshake();
        tls.getOutputStream().write(("GET " + PolicyServer.POLICY_PATH + " HTTP/1.1\r\nHost: " + host
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        tls.getOutputStream().flush();
        tls.getInputStream().read();
      }
    }
  }

  @Test
  void close_calledTwice_fastAndStopsListening() {
    PolicyServer s = PolicyServer.start();
    int port = s.port();
    long t0 = System.nanoTime();
    s.close();
    s.close();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    assertThatThrownBy(() -> {
          try (Socket sock = new Socket()) {
            sock.connect(new InetSocketAddress(s.address(), port), 1000);
          }
        })
        .isInstanceOf(IOException.class);
  }
}
