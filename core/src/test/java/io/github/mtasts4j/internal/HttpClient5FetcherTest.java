package io.github.mtasts4j.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.mtasts4j.CertificateVerifier;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.FetchResult;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.TrustAnchors;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.testing.LoopbackDnsServer;
import io.github.mtasts4j.testing.ServerIdentity;
import io.github.mtasts4j.testing.TestPki;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS policy fetch (RFC 8461 §3.3; STS-14..27) against a loopback WireMock over TLS. */
class HttpClient5FetcherTest {
  private static final TestPki PKI = TestPki.create("fetcher test CA");
  private static final TestPki OTHER_PKI = TestPki.create("untrusted CA");
  private static final String PATH = "/.well-known/mta-sts.txt";
  private static final String HOST = "mta-sts.example.test";
  private static final DomainName DOMAIN = DomainName.of("example.test");
  private static final String POLICY =
      "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\nmx: *.example.net\r\n"
          + "max_age: 604800\r\n";

  @TempDir Path dir;

  private final LoopbackDnsServer dns = LoopbackDnsServer.start();
  private WireMockServer web;
  private HttpClient5Fetcher fetcher;

  @AfterEach
  void stop() {
    if (fetcher != null) {
      fetcher.close();
    }
    if (web != null) {
      web.stop();
    }
    dns.close();
  }

  private void serve(ServerIdentity identity, ResponseDefinitionBuilder response) {
    serve(identity, response, Duration.ofSeconds(5));
  }

  private void serve(
      ServerIdentity identity, ResponseDefinitionBuilder response, Duration totalTimeout) {
    try {
      Path keystore = dir.resolve("server.p12");
      try (OutputStream out = Files.newOutputStream(keystore)) {
        identity.keyStore("secret".toCharArray()).store(out, "secret".toCharArray());
      }
      web =
          new WireMockServer(
              WireMockConfiguration.options()
                  .bindAddress("127.0.0.1")
                  .httpDisabled(true)
                  .httpsPort(0)
                  .keystorePath(keystore.toString())
                  .keystoreType("PKCS12")
                  .keystorePassword("secret")
                  .keyManagerPassword("secret"));
      web.start();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    web.stubFor(get(urlEqualTo(PATH)).willReturn(response));
    dns.a(HOST, "127.0.0.1");
    fetcher = newFetcher(web.httpsPort(), totalTimeout);
  }

  private HttpClient5Fetcher newFetcher(int port, Duration totalTimeout) {
    return new HttpClient5Fetcher(
        DnsClient.servers(List.of(dns.address()), Duration.ofMillis(500)),
        CertificateVerifier.of(TrustAnchors.of(List.of(PKI.root())), InstantSource.system()),
        Duration.ofSeconds(2),
        Duration.ofSeconds(2),
        totalTimeout,
        port);
  }

  private static ResponseDefinitionBuilder ok(String contentType, String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(body);
  }

  private static ResultType failureType(FetchResult result) {
    assertThat(result).isInstanceOf(FetchResult.FetchFailed.class);
    return ((FetchResult.FetchFailed) result).failure().type();
  }

  private static String detail(FetchResult result) {
    return ((FetchResult.FetchFailed) result).failure().detail();
  }

  @Test
  void fetch_200TextPlain_fetchedPolicy() {
    serve(PKI.issue(HOST), ok("text/plain", POLICY));
    FetchResult result = fetcher.fetch(DOMAIN);
    assertThat(result).isInstanceOfSatisfying(FetchResult.Fetched.class, f -> {
      assertThat(f.policy().mode()).isEqualTo(Mode.ENFORCE);
      assertThat(f.policy().maxAgeSeconds()).isEqualTo(604800);
      assertThat(f.body()).isEqualTo(POLICY);
    });
  }

  @Test
  void fetch_textPlainWithCharsetParameterAnyCase_fetched() {
    serve(PKI.issue(HOST), ok("Text/Plain; charset=utf-8", POLICY));
    assertThat(fetcher.fetch(DOMAIN)).isInstanceOf(FetchResult.Fetched.class);
  }

  @Test
  void fetch_requestHeaders_noConditionalNoCookieAndOurUserAgent() { // STS-23
    serve(PKI.issue(HOST), ok("text/plain", POLICY).withHeader("Set-Cookie", "a=b")
        .withHeader("ETag", "\"v1\"").withHeader("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT")
        .withHeader("Cache-Control", "max-age=3600"));
    assertThat(fetcher.fetch(DOMAIN)).isInstanceOf(FetchResult.Fetched.class);
    assertThat(fetcher.fetch(DOMAIN)).isInstanceOf(FetchResult.Fetched.class);
    List<LoggedRequest> requests = web.findAll(getRequestedFor(urlEqualTo(PATH)));
    assertThat(requests).hasSize(2); // no HTTP cache: the second fetch goes to the server
    assertThat(requests).allSatisfy(r -> {
      assertThat(r.containsHeader("If-None-Match")).isFalse();
      assertThat(r.containsHeader("If-Modified-Since")).isFalse();
      assertThat(r.containsHeader("Cookie")).isFalse();
      assertThat(r.containsHeader("Authorization")).isFalse();
      assertThat(r.getHeader("User-Agent")).isEqualTo("mtasts4j");
      assertThat(r.getHeader("Host")).startsWith(HOST);
    });
  }

  @Test
  void fetch_textHtml_policyInvalid() { // STS-24
    serve(PKI.issue(HOST), ok("text/html", POLICY));
    FetchResult result = fetcher.fetch(DOMAIN);
    assertThat(failureType(result)).isEqualTo(ResultType.STS_POLICY_INVALID);
    assertThat(detail(result)).contains("text/html");
  }

  @Test
  void fetch_invalidPolicyBody_policyInvalid() {
    serve(PKI.issue(HOST), ok("text/plain", "version: STSv1\nmode: enforce\n"));
    assertThat(failureType(fetcher.fetch(DOMAIN))).isEqualTo(ResultType.STS_POLICY_INVALID);
  }

  @Test
  void fetch_301_fetchErrorAndTargetNeverRequested() { // STS-22
    redirect(301);
  }

  @Test
  void fetch_302_fetchErrorAndTargetNeverRequested() {
    redirect(302);
  }

  private void redirect(int status) {
    // the target is on the same server, so following it would show in the request log
    serve(PKI.issue(HOST), aResponse().withStatus(status).withHeader("Location", "/elsewhere"));
    web.stubFor(get(urlEqualTo("/elsewhere")).willReturn(ok("text/plain", POLICY)));
    FetchResult result = fetcher.fetch(DOMAIN);
    assertThat(failureType(result)).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
    assertThat(detail(result)).contains(String.valueOf(status));
    assertThat(web.findAll(getRequestedFor(urlEqualTo("/elsewhere")))).isEmpty();
  }

  @Test
  void fetch_404_fetchError() { // STS-21
    serve(PKI.issue(HOST), aResponse().withStatus(404).withBody("nope"));
    FetchResult result = fetcher.fetch(DOMAIN);
    assertThat(failureType(result)).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
    assertThat(detail(result)).contains("404");
  }

  @Test
  void fetch_500_fetchError() {
    serve(PKI.issue(HOST), aResponse().withStatus(500));
    assertThat(failureType(fetcher.fetch(DOMAIN))).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
  }

  @Test
  void fetch_204_fetchError() {
    serve(PKI.issue(HOST), aResponse().withStatus(204));
    assertThat(failureType(fetcher.fetch(DOMAIN))).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
  }

  @Test
  void fetch_chunkedBodyOver64KiB_fetchError() { // STS-25
    String big = POLICY + "x".repeat(70 * 1024) + "\n";
    serve(PKI.issue(HOST), ok("text/plain", big).withChunkedDribbleDelay(8, 50));
    FetchResult result = fetcher.fetch(DOMAIN);
    assertThat(failureType(result)).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
    assertThat(detail(result)).contains("65536");
  }

  @Test
  void fetch_bodyExactly64KiB_accepted() {
    String body = POLICY + "ext: " + "y".repeat(64 * 1024 - POLICY.length() - 6) + "\n";
    assertThat(body.length()).isEqualTo(64 * 1024);
    serve(PKI.issue(HOST), ok("text/plain", body));
    assertThat(fetcher.fetch(DOMAIN)).isInstanceOf(FetchResult.Fetched.class);
  }

  @Test
  void fetch_bodyDribbledSlowerThanTotalTimeout_fetchErrorWithinBound() {
    Duration total = Duration.ofMillis(1500);
    // 10 chunks spread over 8 s: each read completes within the 2 s read timeout,
    // so only the total deadline can stop it.
    serve(PKI.issue(HOST), ok("text/plain", POLICY).withChunkedDribbleDelay(10, 8000), total);
    long start = System.nanoTime();
    FetchResult result = fetcher.fetch(DOMAIN);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertThat(failureType(result)).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
    assertThat(elapsed).isLessThan(total.plusSeconds(2));
  }

  @Test
  void fetch_certificateForWrongName_webpkiInvalid() { // STS-16
    serve(PKI.issue("mta-sts.other.test"), ok("text/plain", POLICY));
    FetchResult result = fetcher.fetch(DOMAIN);
    assertThat(failureType(result)).isEqualTo(ResultType.STS_WEBPKI_INVALID);
    assertThat(detail(result)).contains("certificate-host-mismatch", HOST, "mta-sts.other.test");
    assertThat(web.findAll(getRequestedFor(urlEqualTo(PATH)))).isEmpty();
  }

  @Test
  void fetch_expiredCertificate_webpkiInvalid() {
    serve(PKI.issueExpired(HOST), ok("text/plain", POLICY));
    FetchResult result = fetcher.fetch(DOMAIN);
    assertThat(failureType(result)).isEqualTo(ResultType.STS_WEBPKI_INVALID);
    assertThat(detail(result)).contains("certificate-expired");
  }

  @Test
  void fetch_untrustedCa_webpkiInvalid() {
    serve(OTHER_PKI.issue(HOST), ok("text/plain", POLICY));
    FetchResult result = fetcher.fetch(DOMAIN);
    assertThat(failureType(result)).isEqualTo(ResultType.STS_WEBPKI_INVALID);
    assertThat(detail(result)).contains("certificate-not-trusted");
  }

  @Test
  void fetch_cnOnlyCertificate_webpkiInvalid() { // STS-17: no CN fallback
    serve(PKI.issueCnOnly(HOST), ok("text/plain", POLICY));
    FetchResult result = fetcher.fetch(DOMAIN);
    assertThat(failureType(result)).isEqualTo(ResultType.STS_WEBPKI_INVALID);
    assertThat(detail(result)).contains("certificate-host-mismatch");
  }

  @Test
  void fetch_wildcardCertificate_fetched() {
    serve(PKI.issue("*.example.test"), ok("text/plain", POLICY));
    assertThat(fetcher.fetch(DOMAIN)).isInstanceOf(FetchResult.Fetched.class);
  }

  @Test
  void fetch_policyHostNotInDns_fetchError() {
    serve(PKI.issue(HOST), ok("text/plain", POLICY));
    FetchResult result = fetcher.fetch(DomainName.of("absent.test"));
    assertThat(failureType(result)).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
    assertThat(detail(result)).contains("mta-sts.absent.test");
  }

  @Test
  void fetch_connectionRefused_fetchError() throws Exception {
    int closedPort;
    try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    dns.a(HOST, "127.0.0.1");
    fetcher = newFetcher(closedPort, Duration.ofSeconds(5));
    assertThat(failureType(fetcher.fetch(DOMAIN))).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
  }

  @Test
  void fetch_sniIsPolicyHost() throws Exception { // STS-19
    ServerIdentity identity = PKI.issue(HOST);
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (SSLServerSocket server =
        (SSLServerSocket) identity.serverSslContext().getServerSocketFactory()
            .createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      SSLParameters params = server.getSSLParameters();
      params.setSNIMatchers(List.of(new SNIMatcher(0) {
        @Override
        public boolean matches(SNIServerName name) {
          seen.add(((SNIHostName) name).getAsciiName());
          return true;
        }
      }));
      server.setSSLParameters(params);
      CompletableFuture<Void> accept = CompletableFuture.runAsync(() -> {
        try (SSLSocket s = (SSLSocket) server.accept()) {
          s.startHandshake();
        } catch (Exception ignored) {
          // only the ClientHello matters
        }
      });
      dns.a(HOST, "127.0.0.1");
      fetcher = newFetcher(((InetSocketAddress) server.getLocalSocketAddress()).getPort(),
          Duration.ofSeconds(3));
      fetcher.fetch(DOMAIN);
      accept.get(5, TimeUnit.SECONDS);
    }
    assertThat(seen).containsExactly(HOST);
  }

  @Test
  void policyUri_defaultPort_isWellKnownHttpsUrl() {
    HttpClient5Fetcher f = newFetcher(443, Duration.ofSeconds(1));
    try {
      assertThat(f.policyUri(DOMAIN))
          .hasToString("https://mta-sts.example.test/.well-known/mta-sts.txt");
    } finally {
      f.close();
    }
  }
}
