package io.github.mtasts4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.MxPattern;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.ResultType;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import io.github.mtasts4j.testing.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * RFC 8460 Appendix B, with erratum 6241 applied (mx-host is an array). The one deliberate
   * difference: sending-mta-ip is written in RFC 5952 canonical form as RPT-23 asks, so the RFC's
   * "2001:db8:abcd:0012::1" appears as "2001:db8:abcd:12::1" (the same address).
   */
  static final String APPENDIX_B =
      """
      {
        "organization-name": "Company-X",
        "date-range": {
          "start-datetime": "2016-04-01T00:00:00Z",
          "end-datetime": "2016-04-01T23:59:59Z"
        },
        "contact-info": "sts-reporting@company-x.example",
        "report-id": "5065427c-23d3-47ca-b6e0-946ea0e8c4be",
        "policies": [{
          "policy": {
            "policy-type": "sts",
            "policy-string": ["version: STSv1","mode: testing",
                  "mx: *.mail.company-y.example","max_age: 86400"],
            "policy-domain": "company-y.example",
            "mx-host": ["*.mail.company-y.example"]
          },
          "summary": {
            "total-successful-session-count": 5326,
            "total-failure-session-count": 303
          },
          "failure-details": [{
            "result-type": "certificate-expired",
            "sending-mta-ip": "2001:db8:abcd:12::1",
            "receiving-mx-hostname": "mx1.mail.company-y.example",
            "failed-session-count": 100
          }, {
            "result-type": "starttls-not-supported",
            "sending-mta-ip": "2001:db8:abcd:13::1",
            "receiving-mx-hostname": "mx2.mail.company-y.example",
            "receiving-ip": "203.0.113.56",
            "failed-session-count": 200,
            "additional-information": "https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported"
          }, {
            "result-type": "validation-failure",
            "sending-mta-ip": "198.51.100.62",
            "receiving-ip": "203.0.113.58",
            "receiving-mx-hostname": "mx-backup.mail.company-y.example",
            "failed-session-count": 3,
            "failure-reason-code": "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED"
          }]
        }]
      }
      """;

  @TempDir Path state;

  static Policy testingPolicy() {
    return new Policy(
        Mode.TESTING, 86400, List.of(new MxPattern.Wildcard(new DomainName("mail.company-y.example"))));
  }

  @Test
  void appendixB_recordedSessions_reproduceExampleFieldForField() throws Exception {
    FakeClock clock = FakeClock.at(Instant.parse("2016-04-01T00:00:00Z"));
    TlsReporter reporter =
        TlsReporter.newBuilder()
            .organizationName("Company-X")
            .contactInfo("sts-reporting@company-x.example")
            .stateDirectory(state)
            .clock(clock)
            .dnsClient(new MapDns())
            .maxRandomDelay(Duration.ZERO)
            .reportIds(() -> "5065427c-23d3-47ca-b6e0-946ea0e8c4be")
            .build();
    DomainName domain = new DomainName("company-y.example");
    Policy policy = testingPolicy();
    Instant t = Instant.parse("2016-04-01T12:00:00Z");
    for (int i = 0; i < 5326; i++) {
      reporter.record(
          SessionResult.success(domain, policy, new DomainName("mx1.mail.company-y.example"), null, null, t));
    }
    for (int i = 0; i < 100; i++) {
      reporter.record(
          SessionResult.failure(domain, policy, new DomainName("mx1.mail.company-y.example"), null,
              InetAddress.getByName("2001:db8:abcd:0012::1"), null, ResultType.CERTIFICATE_EXPIRED, null, t));
    }
    for (int i = 0; i < 200; i++) {
      reporter.record(
          new SessionResult(domain, PolicyType.STS, policy, new DomainName("mx2.mail.company-y.example"),
              InetAddress.getByName("203.0.113.56"), InetAddress.getByName("2001:db8:abcd:0013::1"), null,
              ResultType.STARTTLS_NOT_SUPPORTED, null,
              URI.create("https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported"),
              t));
    }
    for (int i = 0; i < 3; i++) {
      reporter.record(
          SessionResult.failure(domain, policy, new DomainName("mx-backup.mail.company-y.example"),
              InetAddress.getByName("203.0.113.58"), InetAddress.getByName("198.51.100.62"), null,
              ResultType.VALIDATION_FAILURE, "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED", t));
    }
    setClock(clock, "2016-04-02T00:00:00Z");
    reporter.tick();
    reporter.close();

    List<TlsReport> reports = reporter.pending(LocalDate.parse("2016-04-01"));
    assertThat(reports).hasSize(1);
    JsonNode actual = JSON.readTree(reports.get(0).toJson());
    assertThat(actual).isEqualTo(JSON.readTree(APPENDIX_B));
    // the member order follows §4.4 too
    assertThat(new String(reports.get(0).toJson(), StandardCharsets.UTF_8))
        .startsWith("{\"organization-name\":\"Company-X\",\"date-range\":{\"start-datetime\"");
  }

  @Test
  void parse_rfcExampleWithSingleStringMxHost_acceptedAsArray() {
    String original = APPENDIX_B.replace("\"mx-host\": [\"*.mail.company-y.example\"]",
        "\"mx-host\": \"*.mail.company-y.example\"");
    assertThat(original).contains("\"mx-host\": \"*.mail");
    TlsReport report = TlsReport.parse(original);
    assertThat(report.policies().get(0).policy().mxHost()).containsExactly("*.mail.company-y.example");
    assertThat(report.policies().get(0).failureDetails()).hasSize(3);
  }

  @Test
  void toGzip_startsWithMagicBytes_andInflatesToJson() throws Exception {
    TlsReport report = TlsReport.parse(APPENDIX_B);
    byte[] gz = report.toGzip();
    assertThat(gz[0]).isEqualTo((byte) 0x1f); // RPT-37
    assertThat(gz[1]).isEqualTo((byte) 0x8b);
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      assertThat(in.readAllBytes()).isEqualTo(report.toJson());
    }
  }

  @Test
  void toJson_roundTrips() {
    TlsReport report = TlsReport.parse(APPENDIX_B);
    assertThat(TlsReport.parse(new String(report.toJson(), StandardCharsets.UTF_8))).isEqualTo(report);
  }

  @Test
  void ip_ipv6_isRfc5952Canonical() throws Exception {
    assertThat(Keys.ip(InetAddress.getByName("2001:0DB8:0000:0000:0000:0000:0000:0001"))).isEqualTo("2001:db8::1");
    assertThat(Keys.ip(InetAddress.getByName("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
    assertThat(Keys.ip(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
    assertThat(Keys.ip(InetAddress.getByName("::"))).isEqualTo("::");
    assertThat(Keys.ip(InetAddress.getByName("fe80::1"))).isEqualTo("fe80::1");
    assertThat(Keys.ip(InetAddress.getByName("192.0.2.1"))).isEqualTo("192.0.2.1");
  }

  /** Moves the fake clock forward to {@code instant}. */
  static void setClock(FakeClock clock, String instant) {
    clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
  }
}
