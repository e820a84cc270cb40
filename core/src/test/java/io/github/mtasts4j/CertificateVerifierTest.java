package io.github.mtasts4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.testing.FakeClock;
import io.github.mtasts4j.testing.LeafSpec;
import io.github.mtasts4j.testing.ServerIdentity;
import io.github.mtasts4j.testing.TestPki;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8461 §3.3/§4.2 certificate checks (STS-16, STS-17, STS-58, STS-59, NAME-1..8). */
class CertificateVerifierTest {
  private static final TestPki PKI = TestPki.create("mtasts4j verifier test CA");
  private static final TestPki OTHER_PKI = TestPki.create("some other CA");
  private static final DomainName HOST = DomainName.of("mta-sts.example.test");

  private final FakeClock clock = FakeClock.at(Instant.now());
  private final CertificateVerifier verifier =
      CertificateVerifier.of(TrustAnchors.of(List.of(PKI.root())), clock);

  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @CsvSource({
    // exact names, ASCII case-insensitive (NAME-1)
    "mta-sts.example.test, mta-sts.example.test, true",
    "MTA-STS.Example.TEST, mta-sts.example.test, true",
    "mta-sts.example.test, mta-sts.example.TEST, true",
    "example.test, mta-sts.example.test, false",
    "sts.example.test, mta-sts.example.test, false",
    "mta-sts.badexample.test, mta-sts.example.test, false",
    // one trailing dot stripped (STS-57, NAME-8)
    "mta-sts.example.test., mta-sts.example.test, true",
    "mta-sts.example.test.., mta-sts.example.test, false",
    "mta-sts.example.test, mta-sts.example.test., true",
    // wildcards: complete left-most label, exactly one label (STS-17, STS-59, NAME-3)
    "*.example.test, mta-sts.example.test, true",
    "*.example.test., mta-sts.example.test, true",
    "*.Example.Test, MX1.example.test, true",
    "*.example.test, example.test, false",
    "*.example.test, a.b.example.test, false",
    "m*.example.test, mta-sts.example.test, false",
    "*ts.example.test, mta-sts.example.test, false",
    "mta-*.example.test, mta-sts.example.test, false",
    "*.*.example.test, a.b.example.test, false",
    "a.*.example.test, a.b.example.test, false",
    "*, test, false",
    "*.test, example.test, false",
    "xn--*.example.test, xn--aca-6ma.example.test, false",
    "*.example.test, xn--aca-6ma.example.test, true",
    "**.example.test, a.example.test, false",
    // IDN: certificates carry A-labels; the host is normalised to A-labels (NAME-2)
    "xn--aca-6ma.example.test, ñaca.example.test, true",
    "xn--aca-6ma.example.test, Ñaca.example.test, true",
    "*.xn--aca-6ma.example.test, mx.ñaca.example.test, true",
    "naca.example.test, ñaca.example.test, false",
    "ñaca.example.test, ñaca.example.test, false",
  })
  void dnsIdMatches_table(String dnsId, String host, boolean expected) {
    assertThat(CertificateVerifier.dnsIdMatches(dnsId, DomainName.of(host))).isEqualTo(expected);
  }

  @Test
  void matchesDnsId_secondSanMatches_true() {
    X509Certificate leaf = PKI.issue("other.example.test", "mta-sts.example.test").leaf();
    assertThat(CertificateVerifier.matchesDnsId(leaf, HOST)).isTrue();
  }

  @Test
  void matchesDnsId_cnOnlyCertificate_falseBecauseCnIsNeverUsed() {
    X509Certificate leaf = PKI.issueCnOnly("mta-sts.example.test").leaf();
    assertThat(CertificateVerifier.matchesDnsId(leaf, HOST)).isFalse();
  }

  @Test
  void matchesDnsId_cnMatchesButSanDoesNot_false() {
    Instant now = Instant.now();
    X509Certificate leaf =
        PKI.issue(
                new LeafSpec(
                    List.of("other.example.test"),
                    "mta-sts.example.test",
                    now.minus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(1))))
            .leaf();
    assertThat(CertificateVerifier.matchesDnsId(leaf, HOST)).isFalse();
  }

  @Test
  void verify_validCertificate_noFailure() {
    assertThat(verifier.verify(PKI.issue("mta-sts.example.test").chain(), HOST)).isEmpty();
  }

  @Test
  void verify_wildcardCertificate_noFailure() {
    assertThat(verifier.verify(PKI.issue("*.example.test").chain(), HOST)).isEmpty();
  }

  @Test
  void verify_chainIncludingRoot_noFailure() {
    ServerIdentity id = PKI.issue("mta-sts.example.test");
    assertThat(verifier.verify(List.of(id.leaf(), PKI.root()), HOST)).isEmpty();
  }

  @Test
  void verify_wrongName_hostMismatchNamingHostAndSans() {
    Optional<Failure> failure =
        verifier.verify(PKI.issue("www.example.test", "example.test").chain(), HOST);
    assertThat(failure).get().extracting(Failure::type)
        .isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
    assertThat(failure.get().detail())
        .contains("mta-sts.example.test", "www.example.test", "example.test")
        .doesNotContain("\n", "Exception");
  }

  @Test
  void verify_cnOnly_hostMismatchSayingCnIsNotUsed() {
    Optional<Failure> failure =
        verifier.verify(PKI.issueCnOnly("mta-sts.example.test").chain(), HOST);
    assertThat(failure).get().extracting(Failure::type)
        .isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH);
    assertThat(failure.get().detail()).contains("no DNS name", "CN");
  }

  @Test
  void verify_expired_certificateExpiredWithDate() {
    ServerIdentity id = PKI.issueExpired("mta-sts.example.test");
    Optional<Failure> failure = verifier.verify(id.chain(), HOST);
    assertThat(failure).get().extracting(Failure::type).isEqualTo(ResultType.CERTIFICATE_EXPIRED);
    assertThat(failure.get().detail())
        .contains("mta-sts.example.test", id.leaf().getNotAfter().toInstant().toString());
  }

  @Test
  void verify_notYetValid_certificateExpired() {
    Instant now = Instant.now();
    ServerIdentity id =
        PKI.issue(
            LeafSpec.of("mta-sts.example.test")
                .validity(now.plus(Duration.ofDays(2)), now.plus(Duration.ofDays(30))));
    Optional<Failure> failure = verifier.verify(id.chain(), HOST);
    assertThat(failure).get().extracting(Failure::type).isEqualTo(ResultType.CERTIFICATE_EXPIRED);
    assertThat(failure.get().detail()).contains("not valid before");
  }

  @Test
  void verify_clockAdvancedPastNotAfter_certificateExpired() {
    ServerIdentity id = PKI.issue("mta-sts.example.test");
    assertThat(verifier.verify(id.chain(), HOST)).isEmpty();
    clock.advance(Duration.ofDays(31));
    assertThat(verifier.verify(id.chain(), HOST)).get().extracting(Failure::type)
        .isEqualTo(ResultType.CERTIFICATE_EXPIRED);
  }

  @Test
  void verify_otherCa_notTrusted() {
    Optional<Failure> failure =
        verifier.verify(OTHER_PKI.issue("mta-sts.example.test").chain(), HOST);
    assertThat(failure).get().extracting(Failure::type)
        .isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
    assertThat(failure.get().detail()).contains("mta-sts.example.test", "some other CA");
  }

  @Test
  void verify_selfSigned_notTrusted() {
    Optional<Failure> failure =
        verifier.verify(TestPki.selfSigned("mta-sts.example.test").chain(), HOST);
    assertThat(failure).get().extracting(Failure::type)
        .isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
    assertThat(failure.get().detail()).contains("self-signed");
  }

  @Test
  void verify_emptyChain_validationFailure() {
    assertThat(verifier.verify(List.of(), HOST)).get().extracting(Failure::type)
        .isEqualTo(ResultType.VALIDATION_FAILURE);
  }

  @Test
  void verify_untrustedAndExpired_trustReportedFirst() {
    Optional<Failure> failure =
        verifier.verify(OTHER_PKI.issueExpired("mta-sts.example.test").chain(), HOST);
    assertThat(failure).get().extracting(Failure::type)
        .isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
  }

  @Test
  void verify_expiredAndWrongName_expiryReportedBeforeName() {
    Optional<Failure> failure =
        verifier.verify(PKI.issueExpired("www.example.test").chain(), HOST);
    assertThat(failure).get().extracting(Failure::type).isEqualTo(ResultType.CERTIFICATE_EXPIRED);
  }

  @Test
  void verify_untrustedAndWrongName_trustReportedFirst() {
    Optional<Failure> failure =
        verifier.verify(OTHER_PKI.issue("www.example.test").chain(), HOST);
    assertThat(failure).get().extracting(Failure::type)
        .isEqualTo(ResultType.CERTIFICATE_NOT_TRUSTED);
  }

  @Test
  void trustManagerForHost_wrongName_throwsRejectionCarryingFailure() {
    var manager = verifier.trustManager(HOST);
    X509Certificate[] chain = PKI.issue("www.example.test").chain().toArray(new X509Certificate[0]);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> manager.checkServerTrusted(chain, "ECDHE_ECDSA"))
        .isInstanceOfSatisfying(
            CertificateRejectedException.class,
            e -> assertThat(e.failure().type()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH));
  }

  @Test
  void trustManagerForHost_goodChain_accepts() throws Exception {
    var manager = verifier.trustManager(HOST);
    manager.checkServerTrusted(
        PKI.issue("mta-sts.example.test").chain().toArray(new X509Certificate[0]), "ECDHE_ECDSA");
    assertThat(manager.getAcceptedIssuers()).containsExactly(PKI.root());
  }
}
