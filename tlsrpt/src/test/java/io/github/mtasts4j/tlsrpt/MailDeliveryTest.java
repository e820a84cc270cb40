package io.github.mtasts4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.MxPattern;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.testing.FakeClock;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailDeliveryTest {
  static final LocalDate DAY = LocalDate.parse("2026-06-01");
  static final DomainName DOMAIN = new DomainName("receiver.example");
  static final String SELECTOR = "tlsrpt2026";
  static KeyPair keys;

  @TempDir Path state;
  GreenMail greenMail;
  int smtpPort;
  FakeClock clock;
  MapDns dns;

  @BeforeAll
  static void generateKey() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    keys = gen.generateKeyPair();
  }

  @BeforeEach
  void setUp() {
    greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    greenMail.start();
    smtpPort = greenMail.getSmtp().getPort();
    clock = FakeClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    dns = new MapDns()
        .txt("_smtp._tls.receiver.example", "v=TLSRPTv1;rua=mailto:tls-reports@receiver.example")
        .mx("receiver.example", "mx.receiver.example")
        .address("mx.receiver.example", InetAddress.getLoopbackAddress())
        // the report domain enforces MTA-STS with a policy that does not list its MX, and the MX
        // offers no STARTTLS: an MTA-STS sender would refuse it; reports must not (RPT-9)
        .txt("_mta-sts.receiver.example", "v=STSv1; id=20260601");
  }

  @AfterEach
  void tearDown() {
    greenMail.stop();
  }

  TlsReporter reporter() {
    return TlsReporter.newBuilder()
        .organizationName("Sender Org")
        .contactInfo("tlsrpt@sender.example")
        .stateDirectory(state)
        .clock(clock)
        .dnsClient(dns)
        .dkim(new DkimKey(new DomainName("sender.example"), SELECTOR, (RSAPrivateKey) keys.getPrivate()))
        .smtpPort(smtpPort)
        .reportIds(() -> "a1b2c3@sender.example")
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  MimeMessage deliverOne() throws Exception {
    TlsReporter r = reporter();
    Policy p = new Policy(Mode.ENFORCE, 86400, List.of(new MxPattern.Exact(new DomainName("mx.elsewhere.example"))));
    r.record(SessionResult.success(DOMAIN, p, new DomainName("mx.elsewhere.example"), null, null, clock.instant()));
    r.record(SessionResult.failure(DOMAIN, p, new DomainName("mx.receiver.example"), null, null, null,
        ResultType.VALIDATION_FAILURE, "mx not in policy", clock.instant()));
    List<Delivery> result = r.sendNow(DAY);
    r.close();
    assertThat(result).singleElement().satisfies(d -> {
      assertThat(d.state()).as("%s", d.detail()).isEqualTo(Delivery.State.DELIVERED);
      assertThat(d.destination()).hasToString("mailto:tls-reports@receiver.example");
    });
    MimeMessage[] received = greenMail.getReceivedMessages();
    assertThat(received).hasSize(1);
    return received[0];
  }

  static byte[] raw(MimeMessage m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return out.toByteArray();
  }

  static PublicKeyRecordRetriever keyRecord(String record) {
    return (method, selector, token) -> {
      if (selector.toString().equals(SELECTOR) && token.toString().equals("sender.example")) {
        return List.of(record);
      }
      throw new PermFailException("no key for " + selector + "._domainkey." + token);
    };
  }

  static String publicKeyRecord() {
    return "v=DKIM1; k=rsa; s=tlsrpt; p=" + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
  }

  @Test
  void mailto_messageStructureHeadersAndAttachment() throws Exception {
    MimeMessage m = deliverOne();
    ContentType top = new ContentType(m.getContentType());
    assertThat(top.getBaseType()).isEqualTo("multipart/report");
    assertThat(top.getParameter("report-type")).isEqualTo("tlsrpt");
    assertThat(m.getHeader("TLS-Report-Domain")).containsExactly("receiver.example");
    assertThat(m.getHeader("TLS-Report-Submitter")).containsExactly("sender.example");
    assertThat(m.getSubject())
        .isEqualTo("Report Domain: receiver.example Submitter: sender.example Report-ID: <a1b2c3@sender.example>");
    assertThat(m.getFrom()[0].toString()).isEqualTo("tlsrpt@sender.example");
    assertThat(m.getAllRecipients()[0].toString()).isEqualTo("tls-reports@receiver.example");

    Multipart mp = (Multipart) m.getContent();
    assertThat(mp.getCount()).isEqualTo(2);
    BodyPart text = mp.getBodyPart(0);
    assertThat(new ContentType(text.getContentType()).getBaseType()).isEqualTo("text/plain");
    assertThat((String) text.getContent()).contains("receiver.example").contains("2026-06-01");
    BodyPart attachment = mp.getBodyPart(1);
    assertThat(new ContentType(attachment.getContentType()).getBaseType()).isEqualTo("application/tlsrpt+gzip");
    assertThat(attachment.getDisposition()).isEqualTo(Part.ATTACHMENT);
    long start = Instant.parse("2026-06-01T00:00:00Z").getEpochSecond();
    assertThat(attachment.getFileName())
        .isEqualTo("sender.example!receiver.example!" + start + "!" + (start + 86399) + "!a1b2c3senderexample.json.gz");
    assertThat(attachment.getHeader("Content-Transfer-Encoding")).containsExactly("base64");
    byte[] gz;
    try (InputStream in = attachment.getInputStream()) {
      gz = in.readAllBytes();
    }
    String json;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    TlsReport report = TlsReport.parse(json);
    assertThat(report.reportId()).isEqualTo("a1b2c3@sender.example");
    assertThat(report.contactInfo()).isEqualTo("tlsrpt@sender.example");
    assertThat(report.policyDomain()).isEqualTo("receiver.example");
    assertThat(report.policies().get(0).summary()).isEqualTo(new TlsReport.Summary(1, 1));
    assertThat(report.policies().get(0).failureDetails().get(0).failureReasonCode()).isEqualTo("mx not in policy");
  }

  @Test
  void mailto_notSubjectToMtaSts_deliveredToRefusableMx() throws Exception {
    deliverOne();
    assertThat(dns.asked).contains("TXT _smtp._tls.receiver.example", "MX receiver.example", "A mx.receiver.example");
    assertThat(dns.asked).noneMatch(q -> q.contains("_mta-sts"));
  }

  @Test
  void mailto_dkimSignature_verifiesWithIndependentVerifier() throws Exception {
    byte[] raw = raw(deliverOne());
    java.util.regex.Matcher header = java.util.regex.Pattern.compile("(?s)DKIM-Signature:.*?\r\n(?![ \t])")
        .matcher(new String(raw, StandardCharsets.US_ASCII));
    assertThat(header.find()).isTrue();
    String unfolded = header.group().replaceAll("\r\n[ \t]*", " ");
    assertThat(unfolded).contains("d=sender.example").contains("s=" + SELECTOR);
    assertThat(unfolded).doesNotContainPattern("[;\\s]l=");

    DKIMVerifier verifier = new DKIMVerifier(keyRecord(publicKeyRecord()));
    List<SignatureRecord> sigs = verifier.verify(new ByteArrayInputStream(raw));
    assertThat(sigs).hasSize(1);
    SignatureRecord sig = sigs.get(0);
    assertThat(sig.getDToken().toString()).isEqualTo("sender.example");
    assertThat(sig.getSelector().toString()).isEqualTo(SELECTOR);
    assertThat(sig.getBodyHashLimit()).isEqualTo(-1); // jDKIM: -1 means no l= tag
    assertThat(sig.getHeaders()).extracting(h -> h.toString().toLowerCase())
        .contains("tls-report-domain", "tls-report-submitter", "subject", "from");
  }

  @Test
  void mailto_tamperedSignedHeader_failsVerification() throws Exception {
    byte[] raw = raw(deliverOne());
    String tampered = new String(raw, StandardCharsets.ISO_8859_1)
        .replace("TLS-Report-Domain: receiver.example", "TLS-Report-Domain: attacker.example");
    assertThat(tampered).contains("attacker.example");
    DKIMVerifier verifier = new DKIMVerifier(keyRecord(publicKeyRecord()));
    assertThatThrownBy(() -> verifier.verify(new ByteArrayInputStream(tampered.getBytes(StandardCharsets.ISO_8859_1))))
        .isInstanceOf(FailException.class);
  }

  @Test
  void mailto_withoutDkimKey_notSentUnsigned() throws Exception {
    TlsReporter r = TlsReporter.newBuilder()
        .organizationName("Sender Org").contactInfo("tlsrpt@sender.example").stateDirectory(state)
        .clock(clock).dnsClient(dns).smtpPort(greenMail.getSmtp().getPort()).build();
    r.record(SessionResult.success(DOMAIN, null, new DomainName("mx.receiver.example"), null, null, clock.instant()));
    List<Delivery> result = r.sendNow(DAY);
    r.close();
    assertThat(result).singleElement().satisfies(d -> {
      assertThat(d.state()).isEqualTo(Delivery.State.GAVE_UP);
      assertThat(d.detail()).contains("DKIM");
    });
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void twoRua_httpsUnreachable_mailStillDelivered_httpsRetried() throws Exception {
    dns.txt("_smtp._tls.receiver.example",
        "v=TLSRPTv1;rua=https://nowhere.receiver.example/tlsrpt,mailto:tls-reports@receiver.example");
    TlsReporter r = reporter();
    r.record(SessionResult.success(DOMAIN, null, new DomainName("mx.receiver.example"), null, null, clock.instant()));
    List<Delivery> result = r.sendNow(DAY);
    r.close();
    assertThat(result).extracting(d -> d.destination().toString(), Delivery::state).containsExactly(
        org.assertj.core.groups.Tuple.tuple("https://nowhere.receiver.example/tlsrpt", Delivery.State.PENDING),
        org.assertj.core.groups.Tuple.tuple("mailto:tls-reports@receiver.example", Delivery.State.DELIVERED));
    assertThat(result.get(0).detail()).contains("nowhere.receiver.example");
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void mailto_mxDown_retriedThenDelivered() throws Exception {
    int port = smtpPort;
    greenMail.stop();
    TlsReporter r = reporter();
    r.record(SessionResult.success(DOMAIN, null, new DomainName("mx.receiver.example"), null, null, clock.instant()));
    assertThat(r.sendNow(DAY)).singleElement().extracting(Delivery::state).isEqualTo(Delivery.State.PENDING);
    greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    greenMail.start();
    clock.advance(Duration.ofMinutes(1));
    r.tick();
    r.close();
    assertThat(r.deliveries(DAY)).singleElement().extracting(Delivery::state).isEqualTo(Delivery.State.DELIVERED);
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }
  @Test
  void mailto_reportDomainWithNullMx_notSentToTheDomainsAddress() throws Exception { // RFC 7505
    dns.mx.put("receiver.example",
        new io.github.mtasts4j.spi.DnsAnswer.NotFound<>(
            false, "null MX (RFC 7505) for receiver.example", true));
    dns.address("receiver.example", InetAddress.getLoopbackAddress());
    TlsReporter r = reporter();
    r.record(SessionResult.success(DOMAIN, null, new DomainName("mx.receiver.example"), null, null, clock.instant()));
    List<Delivery> result = r.sendNow(DAY);
    r.close();
    assertThat(result).singleElement().satisfies(d -> {
      assertThat(d.state()).isNotEqualTo(Delivery.State.DELIVERED);
      assertThat(d.detail()).contains("null MX");
    });
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }
}
