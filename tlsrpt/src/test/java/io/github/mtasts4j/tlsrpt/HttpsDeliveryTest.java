package io.github.mtasts4j.tlsrpt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.MxPattern;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.testing.FakeClock;
import io.github.mtasts4j.testing.PolicyServer;
import io.github.mtasts4j.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsDeliveryTest {
  static final LocalDate DAY = LocalDate.parse("2026-05-01");
  static final DomainName DOMAIN = new DomainName("alpha.example");
  static TestPki pki;
  static PolicyServer server;
  static WireMockServer wm;

  @TempDir Path state;
  FakeClock clock;
  MapDns dns;

  @BeforeAll
  static void startServer() {
    pki = TestPki.create("tlsrpt test CA");
    server = PolicyServer.start();
    server.identity("reports.example", pki.issue("reports.example"));
    wm = server.wireMock();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void setUp() {
    wm.resetAll();
    clock = FakeClock.at(Instant.parse("2026-05-01T10:00:00Z"));
    dns = new MapDns()
        .txt("_smtp._tls.alpha.example", "v=TLSRPTv1; rua=https://reports.example:" + server.port() + "/tlsrpt")
        .address("reports.example", server.address());
  }

  TlsReporter reporter() {
    return TlsReporter.newBuilder()
        .organizationName("Sender Org")
        .contactInfo("tlsrpt@sender.example")
        .stateDirectory(state)
        .clock(clock)
        .dnsClient(dns)
        .sslContext(pki.clientSslContext())
        .maxRandomDelay(Duration.ZERO)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  void recordDay(TlsReporter r) throws Exception {
    Policy p = new Policy(Mode.TESTING, 86400, List.of(new MxPattern.Exact(new DomainName("mx.alpha.example"))));
    r.record(SessionResult.success(DOMAIN, p, new DomainName("mx.alpha.example"), null, null, clock.instant()));
    r.record(SessionResult.failure(DOMAIN, p, new DomainName("mx.alpha.example"),
        InetAddress.getByName("192.0.2.1"), null, null, ResultType.CERTIFICATE_EXPIRED, null, clock.instant()));
  }

  void advanceTo(String instant) {
    clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
  }

  /**
   * The report JSON of a logged POST, checking that it travelled gzip-compressed. WireMock hands
   * out gzip bodies already decompressed, so the wire form is checked through Content-Length:
   * it must be the size of the gzip of the JSON, not of the JSON.
   */
  static String wireJson(LoggedRequest request) throws Exception {
    byte[] body = request.getBody();
    String json = body.length > 1 && body[0] == (byte) 0x1f && body[1] == (byte) 0x8b
        ? gunzip(body) : new String(body, StandardCharsets.UTF_8);
    byte[] gz = TlsReport.gzip(json.getBytes(StandardCharsets.UTF_8));
    assertThat(Integer.parseInt(request.getHeader("Content-Length"))).isEqualTo(gz.length)
        .isNotEqualTo(json.getBytes(StandardCharsets.UTF_8).length);
    return json;
  }

  static String gunzip(byte[] body) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void post_503ThenCreated_retriedAfterBackoff_bodyIsGzipReport() throws Exception {
    wm.stubFor(post(urlEqualTo("/tlsrpt")).inScenario("s").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
    wm.stubFor(post(urlEqualTo("/tlsrpt")).inScenario("s").whenScenarioStateIs("up")
        .willReturn(aResponse().withStatus(201)));
    TlsReporter r = reporter();
    recordDay(r);
    advanceTo("2026-05-02T00:00:00Z");
    r.tick();
    assertThat(wm.findAll(postRequestedFor(urlEqualTo("/tlsrpt")))).hasSize(1);
    assertThat(r.deliveries(DAY)).singleElement().satisfies(d -> {
      assertThat(d.state()).isEqualTo(Delivery.State.PENDING);
      assertThat(d.detail()).contains("HTTP 503");
    });

    clock.advance(Duration.ofSeconds(59));
    r.tick();
    assertThat(wm.findAll(postRequestedFor(urlEqualTo("/tlsrpt")))).hasSize(1); // still backing off
    clock.advance(Duration.ofSeconds(1));
    r.tick();
    List<LoggedRequest> requests = wm.findAll(postRequestedFor(urlEqualTo("/tlsrpt")));
    assertThat(requests).hasSize(2);
    assertThat(r.deliveries(DAY)).singleElement().satisfies(d -> {
      assertThat(d.state()).isEqualTo(Delivery.State.DELIVERED);
      assertThat(d.destination()).isEqualTo(URI.create("https://reports.example:" + server.port() + "/tlsrpt"));
    });

    LoggedRequest last = requests.get(1);
    assertThat(last.getHeader("Content-Type")).isEqualTo("application/tlsrpt+gzip");
    String json = wireJson(last);
    TlsReport sent = TlsReport.parse(json);
    assertThat(sent.policyDomain()).isEqualTo("alpha.example");
    assertThat(sent.policies().get(0).summary()).isEqualTo(new TlsReport.Summary(1, 1));
    assertThat(sent.policies().get(0).failureDetails()).extracting(TlsReport.FailureDetail::resultType)
        .containsExactly("certificate-expired");
    // the retry repeats the same report, report-id included
    assertThat(TlsReport.parse(wireJson(requests.get(0)))).isEqualTo(sent);
    assertThat(server.serverNames()).contains("reports.example");

    // later ticks and a restart never send it again
    clock.advance(Duration.ofHours(30));
    r.tick();
    r.close();
    TlsReporter again = reporter();
    again.tick();
    again.close();
    assertThat(wm.findAll(postRequestedFor(urlEqualTo("/tlsrpt")))).hasSize(2);
  }

  @Test
  void post_alwaysUnavailable_exponentialBackoff_givesUpAfter24Hours() throws Exception {
    wm.stubFor(post(urlEqualTo("/tlsrpt")).willReturn(aResponse().withStatus(503)));
    TlsReporter r = reporter();
    recordDay(r);
    advanceTo("2026-05-02T00:00:00Z");
    Instant first = clock.instant();
    List<Long> attemptMinutes = new ArrayList<>();
    int seen = 0;
    for (int minute = 0; minute <= 26 * 60; minute++) {
      r.tick();
      int now = wm.findAll(postRequestedFor(urlEqualTo("/tlsrpt"))).size();
      if (now > seen) {
        attemptMinutes.add(Duration.between(first, clock.instant()).toMinutes());
        seen = now;
      }
      clock.advance(Duration.ofMinutes(1));
    }
    // 1, 2, 4, ... minutes apart, capped at 8 h, the last attempt exactly 24 h after the first
    assertThat(attemptMinutes).containsExactly(0L, 1L, 3L, 7L, 15L, 31L, 63L, 127L, 255L, 511L, 991L, 1440L);
    assertThat(r.deliveries(DAY)).singleElement().satisfies(d -> {
      assertThat(d.state()).isEqualTo(Delivery.State.GAVE_UP);
      assertThat(d.attempts()).isEqualTo(12);
    });
    r.close();
  }

  @Test
  void restartWhileRetrying_continuesSchedule_withoutResending() throws Exception {
    wm.stubFor(post(urlEqualTo("/tlsrpt")).willReturn(aResponse().withStatus(503)));
    TlsReporter r = reporter();
    recordDay(r);
    advanceTo("2026-05-02T00:00:00Z");
    r.tick();
    r.close();
    assertThat(wm.findAll(postRequestedFor(urlEqualTo("/tlsrpt")))).hasSize(1);

    TlsReporter again = reporter();
    again.tick(); // the back-off survives the restart: no immediate resend
    assertThat(wm.findAll(postRequestedFor(urlEqualTo("/tlsrpt")))).hasSize(1);
    wm.resetAll();
    wm.stubFor(post(urlEqualTo("/tlsrpt")).willReturn(aResponse().withStatus(200)));
    clock.advance(Duration.ofMinutes(1));
    again.tick();
    assertThat(wm.findAll(postRequestedFor(urlEqualTo("/tlsrpt")))).hasSize(1);
    assertThat(again.deliveries(DAY)).extracting(Delivery::state).containsExactly(Delivery.State.DELIVERED);
    again.close();
  }

  @Test
  void redirect_isNotFollowed_countsAsFailure() throws Exception {
    wm.stubFor(post(urlEqualTo("/tlsrpt")).willReturn(aResponse().withStatus(307).withHeader("Location", "/other")));
    wm.stubFor(post(urlEqualTo("/other")).willReturn(aResponse().withStatus(200)));
    TlsReporter r = reporter();
    recordDay(r);
    List<Delivery> result = r.sendNow(DAY);
    r.close();
    assertThat(result).singleElement().satisfies(d -> {
      assertThat(d.state()).isEqualTo(Delivery.State.PENDING);
      assertThat(d.detail()).contains("HTTP 307");
    });
    assertThat(wm.findAll(postRequestedFor(urlEqualTo("/other")))).isEmpty();
  }

  @Test
  void untrustedCertificate_isRejected() throws Exception {
    wm.stubFor(post(urlEqualTo("/tlsrpt")).willReturn(aResponse().withStatus(200)));
    TlsReporter r = TlsReporter.newBuilder()
        .organizationName("Sender Org").contactInfo("tlsrpt@sender.example").stateDirectory(state)
        .clock(clock).dnsClient(dns)
        .sslContext(TestPki.create("another CA").clientSslContext())
        .build();
    recordDay(r);
    List<Delivery> result = r.sendNow(DAY);
    r.close();
    assertThat(result).singleElement().extracting(Delivery::state).isEqualTo(Delivery.State.PENDING);
    assertThat(wm.findAll(postRequestedFor(urlEqualTo("/tlsrpt")))).isEmpty();
  }
}
