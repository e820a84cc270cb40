package io.github.mtasts4j.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.testing.FakeClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Enabling TLS reports" example, kept compiling and running here. */
class ExamplesTest {
  @TempDir Path dir;

  @Test
  void readmeExample_buildsReporterFromPemKey() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair pair = gen.generateKeyPair();
    Path keyFile = dir.resolve("tlsrpt-dkim.key");
    Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    Path stateDir = dir.resolve("state");

    // --- README example ---
    DkimKey key = DkimKey.fromPkcs8Pem(DomainName.of("sender.example"), "tlsrpt", keyFile);
    TlsReporter reporter = TlsReporter.newBuilder()
        .organizationName("Example Sender Inc.")
        .contactInfo("tlsrpt@sender.example")
        .stateDirectory(stateDir)
        .dkim(key)
        .clock(FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"))) // omit in production
        .dnsClient(new MapDns())                                       // omit in production
        .maxRandomDelay(Duration.ofHours(4))
        .build();
    reporter.start(); // journal once per second, reports once a day
    // for every TLS session: reporter.record(SessionResult.success(...)) or .failure(...)
    reporter.close();
    // --- end ---

    assertThat(key.privateKey().getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
    assertThat(stateDir.resolve("journal")).isDirectory();
    assertThat(stateDir.resolve("outbox")).isDirectory();
  }

  @Test
  void fromPkcs8Pem_notAKey_clearError() throws Exception {
    Path file = dir.resolve("x.pem");
    Files.writeString(file, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    assertThatThrownBy(() -> DkimKey.fromPkcs8Pem(DomainName.of("a.example"), "tlsrpt", file))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PKCS#8");
  }

  @Test
  void fromPkcs8Pem_validKeyBadSelector_errorNamesTheSelectorNotTheKey() throws Exception {
    Path keyFile = dir.resolve("dkim.pem");
    writeKey(keyFile);
    assertThatThrownBy(() -> DkimKey.fromPkcs8Pem(DomainName.of("a.example"), "a b", keyFile))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a DKIM selector: a b")
        .hasMessageNotContaining("RSA key");
  }

  private static void writeKey(Path file) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    byte[] der = gen.generateKeyPair().getPrivate().getEncoded();
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n");
  }
}
