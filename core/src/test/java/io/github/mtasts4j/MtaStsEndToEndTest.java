package io.github.mtasts4j;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.testing.FakeClock;
import io.github.mtasts4j.testing.LoopbackDnsServer;
import io.github.mtasts4j.testing.TestPki;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** resolve() through the loopback DNS server and an HTTPS policy host (STS-14..27). */
class MtaStsEndToEndTest {
  private static final TestPki PKI = TestPki.create("end-to-end CA");
  private static final String PATH = "/.well-known/mta-sts.txt";
  private static final DomainName EXAMPLE = DomainName.of("example.test");

  @TempDir Path dir;

  private final LoopbackDnsServer dns = LoopbackDnsServer.start();
  private final FakeClock clock = FakeClock.at(Instant.now());
  private WireMockServer web;
  private MtaSts mtaSts;

  @BeforeEach
  void start() throws Exception {
    Path keystore = dir.resolve("policy-host.p12");
    try (OutputStream out = Files.newOutputStream(keystore)) {
      PKI.issue("mta-sts.example.test").keyStore("pw".toCharArray())
          .store(out, "pw".toCharArray());
    }
    web = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1")
        .httpDisabled(true).httpsPort(0).keystorePath(keystore.toString())
        .keystoreType("PKCS12").keystorePassword("pw").keyManagerPassword("pw"));
    web.start();
    dns.a("mta-sts.example.test", "127.0.0.1");
    mtaSts = MtaSts.newBuilder()
        .dns(DnsClient.servers(List.of(dns.address()), Duration.ofMillis(500)))
        .trustAnchors(TrustAnchors.of(List.of(PKI.root())))
        .clock(clock)
        .policyPort(web.httpsPort())
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(2))
        .totalTimeout(Duration.ofSeconds(5))
        .build();
  }

  @AfterEach
  void stop() {
    mtaSts.close();
    web.stop();
    dns.close();
  }

  @Test
  void resolve_recordAndValidPolicy_activeFetched() {
    dns.txt("_mta-sts.example.test", "v=STSv1; id=e2e1");
    web.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/plain")
        .withBody("version: STSv1\nmode: testing\nmx: *.example.test\nmax_age: 3600\n")));
    Resolution r = mtaSts.resolve(EXAMPLE);
    assertThat(r).isInstanceOfSatisfying(Resolution.Active.class, a -> {
      assertThat(a.policyId()).isEqualTo("e2e1");
      assertThat(a.policy().mode()).isEqualTo(Mode.TESTING);
      assertThat(a.source()).isEqualTo(Source.FETCHED);
      assertThat(a.fetchedAt()).isEqualTo(clock.instant());
      assertThat(a.expiresAt()).isEqualTo(clock.instant().plusSeconds(3600));
    });
  }

  @Test
  void resolve_recordButPolicy404_failedWithFetchError() {
    dns.txt("_mta-sts.example.test", "v=STSv1; id=e2e2");
    web.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(404)));
    assertThat(mtaSts.resolve(EXAMPLE)).isInstanceOfSatisfying(Resolution.Failed.class, f -> {
      assertThat(f.policyId()).isEqualTo("e2e2");
      assertThat(f.failure().type()).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
    });
  }

  @Test
  void resolve_delegatedRecordButCertOnlyForOwnHost_webpkiFailureForUserDomain() {
    // other.test delegates its record to example.test, but the policy host is mta-sts.other.test
    // and the only certificate is for mta-sts.example.test (STS-16 delegation rule).
    dns.cname("_mta-sts.other.test", "_mta-sts.example.test");
    dns.txt("_mta-sts.example.test", "v=STSv1; id=deleg");
    dns.cname("mta-sts.other.test", "mta-sts.example.test");
    web.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/plain")
        .withBody("version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 3600\n")));
    assertThat(mtaSts.resolve(DomainName.of("other.test")))
        .isInstanceOfSatisfying(Resolution.Failed.class, f ->
            assertThat(f.failure().type()).isEqualTo(ResultType.STS_WEBPKI_INVALID));
    assertThat(web.findAll(getRequestedFor(urlEqualTo(PATH)))).isEmpty();
  }

  @Test
  void resolve_noRecord_noPolicyAndNoHttpsRequest() {
    dns.txt("_mta-sts.elsewhere.test", "v=STSv1; id=x");
    assertThat(mtaSts.resolve(EXAMPLE)).isInstanceOfSatisfying(Resolution.NoPolicy.class,
        n -> assertThat(n.reason()).isEqualTo(Resolution.NoPolicy.Reason.NO_RECORD));
    assertThat(web.getAllServeEvents()).isEmpty();
  }
}
