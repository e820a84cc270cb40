package io.github.mtasts4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mtasts4j.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustAnchorsTest {
  private static final TestPki PKI = TestPki.create("anchors test CA");
  private static final TestPki OTHER = TestPki.create("anchors other CA");

  @TempDir Path dir;

  @Test
  void fromPem_twoCertificates_readsBoth() throws Exception {
    Path pem = dir.resolve("anchors.pem");
    Files.writeString(pem, PKI.rootPem() + "\n" + OTHER.rootPem(), StandardCharsets.US_ASCII);
    assertThat(TrustAnchors.fromPem(pem).certificates()).containsExactly(PKI.root(), OTHER.root());
  }

  @Test
  void fromPem_missingFile_iaeNamingFile() {
    Path missing = dir.resolve("nope.pem");
    assertThatThrownBy(() -> TrustAnchors.fromPem(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope.pem");
  }

  @Test
  void fromPem_emptyFile_iaeSayingNoCertificate() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> TrustAnchors.fromPem(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no")
        .hasMessageContaining("certificate");
  }

  @Test
  void fromPem_garbage_iae() throws Exception {
    Path junk =
        Files.writeString(
            dir.resolve("junk.pem"),
            "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> TrustAnchors.fromPem(junk))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("junk.pem");
  }

  @Test
  void fromKeyStore_trustedEntries_read() {
    assertThat(TrustAnchors.fromKeyStore(PKI.trustStore()).certificates())
        .containsExactly(PKI.root());
  }

  @Test
  void fromKeyStore_noTrustedEntry_iae() throws Exception {
    KeyStore empty = KeyStore.getInstance("PKCS12");
    empty.load(null, null);
    assertThatThrownBy(() -> TrustAnchors.fromKeyStore(empty))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void of_empty_iae() {
    assertThatThrownBy(() -> TrustAnchors.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jdkDefault_holdsCertificates() {
    assertThat(TrustAnchors.jdkDefault().certificates()).isNotEmpty();
  }

  @Test
  void trustManager_chainFromAnchor_acceptedAndOtherCaRejected() throws Exception {
    var manager = TrustAnchors.of(List.of(PKI.root())).trustManager();
    manager.checkServerTrusted(
        PKI.issue("any.example.test").chain().toArray(new X509Certificate[0]), "ECDHE_ECDSA");
    X509Certificate[] foreign =
        OTHER.issue("any.example.test").chain().toArray(new X509Certificate[0]);
    assertThatThrownBy(() -> manager.checkServerTrusted(foreign, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
  }
}
