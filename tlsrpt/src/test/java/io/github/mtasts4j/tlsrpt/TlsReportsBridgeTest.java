package io.github.mtasts4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Failure;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.MtaSts;
import io.github.mtasts4j.MxPattern;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.TrustAnchors;
import io.github.mtasts4j.smtp.DeliveryReport;
import io.github.mtasts4j.smtp.DeliveryStatus;
import io.github.mtasts4j.smtp.DirectDelivery;
import io.github.mtasts4j.smtp.TlsSessionEvent;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.testing.FakeClock;
import io.github.mtasts4j.testing.LoopbackAddresses;
import io.github.mtasts4j.testing.LoopbackDnsServer;
import io.github.mtasts4j.testing.LoopbackMx;
import io.github.mtasts4j.testing.PolicyServer;
import io.github.mtasts4j.testing.ServerIdentity;
import io.github.mtasts4j.testing.TestPki;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TlsReports#listener} between a real {@link DirectDelivery} on loopback and a {@link
 * TlsReporter}: what the MX hosts did ends up, counted, in the pending reports.
 */
class TlsReportsBridgeTest {
  private static final TestPki PKI = TestPki.create("mtasts4j bridge test CA");

  @TempDir Path state;

  private final LoopbackDnsServer dns = LoopbackDnsServer.start();
  private final PolicyServer web = PolicyServer.start();
  private final FakeClock clock = FakeClock.at(Instant.now());
  private final DnsClient dnsClient = DnsClient.servers(List.of(dns.address()), Duration.ofSeconds(2));
  private final List<InetAddress> addresses = LoopbackAddresses.allocate(6);
  private final int port = LoopbackAddresses.commonFreePort(addresses);
  private final List<LoopbackMx> servers = new ArrayList<>();
  private MtaSts mtaSts;
  private TlsReporter reporter;
  private int next;

  @BeforeEach
  void start() {
    mtaSts =
        MtaSts.newBuilder()
            .dns(dnsClient)
            .trustAnchors(TrustAnchors.of(List.of(PKI.root())))
            .clock(clock)
            .policyPort(web.port())
            .connectTimeout(Duration.ofSeconds(2))
            .readTimeout(Duration.ofSeconds(2))
            .totalTimeout(Duration.ofSeconds(5))
            .build();
    reporter = reporter(null);
  }

  @AfterEach
  void stop() {
    reporter.close();
    servers.forEach(LoopbackMx::close);
    mtaSts.close();
    web.close();
    dns.close();
  }

  private TlsReporter reporter(DkimKey dkim) {
    TlsReporter.Builder b =
        TlsReporter.newBuilder()
            .organizationName("Sender Org")
            .contactInfo("tlsrpt@sender.test")
            .stateDirectory(state)
            .clock(clock)
            .dnsClient(dnsClient)
            .sslContext(PKI.clientSslContext())
            .smtpPort(port)
            .timeout(Duration.ofSeconds(5));
    if (dkim != null) {
      b.dkim(dkim);
    }
    return b.build();
  }

  private LoopbackMx mx(String domain, int preference, String host, ServerIdentity identity) {
    InetAddress a = addresses.get(next++);
    LoopbackMx mx = identity == null ? LoopbackMx.plain(a, port) : LoopbackMx.starttls(a, port, identity);
    servers.add(mx);
    dns.a(host, a.getHostAddress());
    dns.mx(domain, preference, host);
    return mx;
  }

  private void policy(String domain, String mode, String... mx) {
    StringBuilder body = new StringBuilder("version: STSv1\nmode: " + mode + "\n");
    for (String m : mx) {
      body.append("mx: ").append(m).append('\n');
    }
    body.append("max_age: 86400\n");
    dns.txt("_mta-sts." + domain, "v=STSv1; id=" + mode + "1");
    dns.a("mta-sts." + domain, web.address().getHostAddress());
    web.identity("mta-sts." + domain, PKI.issue("mta-sts." + domain));
    web.policy("mta-sts." + domain, body.toString());
  }

  private List<DeliveryReport> deliver(String... to) throws Exception {
    MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
    m.setFrom(new InternetAddress("alice@sender.test"));
    for (String t : to) {
      m.addRecipient(Message.RecipientType.TO, new InternetAddress(t));
    }
    m.setSubject("bridge");
    m.setText("hello\n");
    return DirectDelivery.newBuilder()
        .mtaSts(mtaSts)
        .heloName("out.sender.test")
        .smtpPort(port)
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(5))
        .tlsSessionListener(TlsReports.listener(reporter))
        .build()
        .deliver(m);
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private static TlsReport reportFor(List<TlsReport> reports, String domain) {
    return reports.stream().filter(r -> r.policyDomain().equals(domain)).findFirst()
        .orElseThrow(() -> new AssertionError("no report for " + domain + " in " + reports));
  }

  @Test
  void listener_mixedDeliveries_pendingCountsPerPolicyDomain() throws Exception {
    policy("good.test", "enforce", "mx.good.test");
    LoopbackMx good = mx("good.test", 10, "mx.good.test", PKI.issue("mx.good.test"));
    policy("try.test", "testing", "mx.try.test");
    LoopbackMx expired = mx("try.test", 10, "mx.try.test", PKI.issueExpired("mx.try.test"));
    policy("out.test", "enforce", "mx.out.test");
    LoopbackMx rogue = mx("out.test", 5, "rogue.out.test", PKI.issue("rogue.out.test"));
    mx("out.test", 10, "mx.out.test", PKI.issue("mx.out.test"));
    policy("none.test", "none", "mx.none.test");
    mx("none.test", 10, "mx.none.test", null);
    mx("nopol.test", 10, "mx.nopol.test", null);

    List<DeliveryReport> first =
        deliver("a@good.test", "b@try.test", "c@out.test", "d@none.test", "e@nopol.test");
    assertThat(first).extracting(DeliveryReport::status).containsOnly(DeliveryStatus.DELIVERED);
    deliver("f@good.test");
    assertThat(good.messages()).hasSize(2);
    assertThat(expired.messages()).hasSize(1);
    assertThat(rogue.connectionCount()).isZero();

    List<TlsReport> reports = reporter.pending(today());
    // none.test: its only session failed under mode none, which is not reported (STS-69)
    assertThat(reports).extracting(TlsReport::policyDomain)
        .containsExactly("good.test", "nopol.test", "out.test", "try.test");
    assertThat(reports).allSatisfy(r -> assertThat(r.policies()).hasSize(1));

    TlsReport.PolicyResult goodPolicy = reportFor(reports, "good.test").policies().get(0);
    assertThat(goodPolicy.policy().policyType()).isEqualTo("sts");
    assertThat(goodPolicy.policy().policyString())
        .containsExactly("version: STSv1", "mode: enforce", "mx: mx.good.test", "max_age: 86400");
    assertThat(goodPolicy.policy().mxHost()).containsExactly("mx.good.test");
    assertThat(goodPolicy.summary()).isEqualTo(new TlsReport.Summary(2, 0));
    assertThat(goodPolicy.failureDetails()).isEmpty();

    TlsReport.PolicyResult tryPolicy = reportFor(reports, "try.test").policies().get(0);
    assertThat(tryPolicy.policy().policyString()).contains("mode: testing");
    assertThat(tryPolicy.summary()).isEqualTo(new TlsReport.Summary(0, 1));
    assertThat(tryPolicy.failureDetails()).singleElement().satisfies(d -> {
      assertThat(d.resultType()).isEqualTo("certificate-expired");
      assertThat(d.receivingMxHostname()).isEqualTo("mx.try.test");
      assertThat(d.receivingIp()).isEqualTo(expired.address().getHostAddress());
      assertThat(d.sendingMtaIp()).isNotNull();
      assertThat(d.receivingMxHelo()).isNotBlank();
      assertThat(d.failedSessionCount()).isEqualTo(1);
      assertThat(d.failureReasonCode()).contains("mx.try.test");
    });

    // the MX outside the enforce policy is a failure never connected to, then the good one works
    TlsReport.PolicyResult outPolicy = reportFor(reports, "out.test").policies().get(0);
    assertThat(outPolicy.summary()).isEqualTo(new TlsReport.Summary(1, 1));
    assertThat(outPolicy.failureDetails()).singleElement().satisfies(d -> {
      assertThat(d.resultType()).isEqualTo("validation-failure");
      assertThat(d.receivingMxHostname()).isEqualTo("rogue.out.test");
      assertThat(d.receivingIp()).isNull();
    });

    TlsReport.PolicyResult noPolicy = reportFor(reports, "nopol.test").policies().get(0);
    assertThat(noPolicy.policy().policyType()).isEqualTo("no-policy-found");
    assertThat(noPolicy.policy().policyString()).isEmpty();
    assertThat(noPolicy.policy().mxHost()).isEmpty();
    assertThat(noPolicy.summary()).isEqualTo(new TlsReport.Summary(0, 1));
    assertThat(noPolicy.failureDetails()).singleElement()
        .satisfies(d -> assertThat(d.resultType()).isEqualTo("starttls-not-supported"));
  }

  @Test
  void listener_policyFetchFailure_reportedBesideTheSession() throws Exception { // STS-69 a
    policy("broken.test", "enforce", "mx.broken.test");
    web.removePolicy("mta-sts.broken.test"); // the TXT record is valid, the policy host says 404
    LoopbackMx mx = mx("broken.test", 10, "mx.broken.test", PKI.issue("mx.broken.test"));

    assertThat(deliver("a@broken.test")).extracting(DeliveryReport::status)
        .containsExactly(DeliveryStatus.DELIVERED);
    assertThat(mx.messages()).hasSize(1);

    TlsReport.PolicyResult p = reportFor(reporter.pending(today()), "broken.test").policies().get(0);
    assertThat(p.policy().policyType()).isEqualTo("no-policy-found");
    assertThat(p.summary()).isEqualTo(new TlsReport.Summary(1, 1));
    assertThat(p.failureDetails()).singleElement().satisfies(d -> {
      assertThat(d.resultType()).isEqualTo("sts-policy-fetch-error");
      assertThat(d.receivingMxHostname()).isNull();
      assertThat(d.failedSessionCount()).isEqualTo(1);
    });
  }

  @Test
  void listener_noneModeSuccess_countedWithoutFailureDetails() throws Exception { // STS-69
    policy("none.test", "none", "mx.none.test");
    mx("none.test", 10, "mx.none.test", PKI.issue("mx.none.test"));

    assertThat(deliver("a@none.test")).extracting(DeliveryReport::status)
        .containsExactly(DeliveryStatus.DELIVERED);

    TlsReport.PolicyResult p = reportFor(reporter.pending(today()), "none.test").policies().get(0);
    assertThat(p.policy().policyType()).isEqualTo("sts");
    assertThat(p.policy().policyString()).contains("mode: none");
    assertThat(p.summary()).isEqualTo(new TlsReport.Summary(1, 0));
    assertThat(p.failureDetails()).isEmpty();
  }

  @Test
  void listener_mailedReportSession_notCountedNextDay() throws Exception { // RPT-9
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    DkimKey key = new DkimKey(new DomainName("sender.test"), "tlsrpt",
        (RSAPrivateKey) gen.generateKeyPair().getPrivate());
    reporter.close();
    reporter = reporter(key);
    // the report address's domain has an enforce policy its plain-text MX fails; the report goes
    // there anyway and must not show up as a session of its own
    policy("good.test", "enforce", "mx.good.test");
    LoopbackMx good = mx("good.test", 10, "mx.good.test", PKI.issue("mx.good.test"));
    policy("reports.test", "enforce", "mx.reports.test");
    LoopbackMx reportsMx = mx("reports.test", 10, "mx.reports.test", null);
    dns.txt("_smtp._tls.good.test", "v=TLSRPTv1; rua=mailto:tlsrpt@reports.test");

    deliver("a@good.test");
    LocalDate day = today();
    clock.advance(Duration.ofDays(1));
    List<Delivery> sent = reporter.sendNow(day);

    assertThat(sent).singleElement().satisfies(d -> {
      assertThat(d.policyDomain()).isEqualTo("good.test");
      assertThat(d.state()).isEqualTo(Delivery.State.DELIVERED);
    });
    assertThat(reportsMx.messages()).singleElement()
        .satisfies(m -> assertThat(m.recipients()).containsExactly("tlsrpt@reports.test"));
    assertThat(good.messages()).hasSize(1);
    assertThat(reporter.pending(today())).isEmpty();
  }

  @Test
  void toSessionResult_eventFields_carriedOver() throws Exception {
    Policy policy = new Policy(Mode.TESTING, 86400,
        List.of(new MxPattern.Exact(new DomainName("mx.x.test"))));
    TlsSessionEvent event = new TlsSessionEvent(Instant.parse("2026-05-01T10:00:00Z"),
        new DomainName("x.test"), policy, "id1", true, new DomainName("mx.x.test"),
        InetAddress.getByName("192.0.2.7"), InetAddress.getByName("198.51.100.1"), "helo.x.test",
        new Failure(ResultType.CERTIFICATE_HOST_MISMATCH, "x".repeat(400)));

    SessionResult r = TlsReports.toSessionResult(event);

    assertThat(r.policyType()).isEqualTo(PolicyType.STS);
    assertThat(r.policy()).isEqualTo(policy);
    assertThat(r.receivingMxHostname()).isEqualTo(new DomainName("mx.x.test"));
    assertThat(r.receivingIp()).isEqualTo(InetAddress.getByName("192.0.2.7"));
    assertThat(r.sendingMtaIp()).isEqualTo(InetAddress.getByName("198.51.100.1"));
    assertThat(r.receivingMxHelo()).isEqualTo("helo.x.test");
    assertThat(r.failure()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
    assertThat(r.failureReasonCode()).hasSize(TlsReports.MAX_REASON).endsWith("...");
    assertThat(r.at()).isEqualTo(Instant.parse("2026-05-01T10:00:00Z"));

    SessionResult ok = TlsReports.toSessionResult(new TlsSessionEvent(event.at(),
        new DomainName("y.test"), null, null, false, new DomainName("mx.y.test"), null, null, null,
        null));
    assertThat(ok.policyType()).isEqualTo(PolicyType.NO_POLICY_FOUND);
    assertThat(ok.succeeded()).isTrue();
    assertThat(ok.failureReasonCode()).isNull();
  }
}
