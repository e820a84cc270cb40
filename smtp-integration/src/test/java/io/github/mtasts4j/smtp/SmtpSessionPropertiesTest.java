package io.github.mtasts4j.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.TrustAnchors;
import io.github.mtasts4j.testing.FakeClock;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 4: "Never set {@code mail.smtp.ssl.trust=*}". With it, Angus Mail trusts any certificate
 * whenever our socket factory is not in play, so the typed factory must never produce it, for
 * enforce (verified) and opportunistic sessions alike.
 */
class SmtpSessionPropertiesTest {
  private static final MxTlsVerifier VERIFIER =
      MxTlsVerifier.of(TrustAnchors.of(List.of(MailWorld.PKI.root())), FakeClock.at(Instant.now()));
  private static final Path MAIN_SOURCES = Path.of("src/main/java/io/github/mtasts4j/smtp");

  @ParameterizedTest
  @EnumSource(TlsRequirement.class)
  void forMx_everyRequirement_noTrustAllAndOurSocketFactory(TlsRequirement requirement)
      throws Exception {
    SSLSocketFactory factory =
        VERIFIER.socketFactory(DomainName.of("mx.example.test"), requirement, new TlsObservation());
    boolean verified = requirement == TlsRequirement.VERIFIED;
    for (boolean startTls : new boolean[] {true, false}) {
      Properties p =
          SmtpSessionProperties.forMx(factory, startTls, verified, "out.sender.test",
              new InternetAddress("alice@sender.test"), Duration.ofSeconds(2),
              Duration.ofSeconds(5));

      assertThat(p.stringPropertyNames())
          .noneMatch(k -> k.endsWith(".ssl.trust"))
          .noneMatch(k -> k.endsWith(".ssl.checkserveridentity") && "false".equals(p.get(k)));
      assertThat(p.values()).doesNotContain("*");
      assertThat(p.get("mail.smtp.ssl.socketFactory")).isSameAs(factory);
      assertThat(p.getProperty("mail.smtp.starttls.required")).isEqualTo(Boolean.toString(verified));
    }
  }

  /**
   * Direct delivery and {@link SmartHostRelay} both reach Angus Mail through {@code
   * DeliveryEngine.session}, which takes its settings from {@link SmtpSessionProperties}. This
   * keeps it that way: no other main class builds {@code Properties}, and no main source names an
   * {@code ssl.trust} setting in a string literal.
   */
  @Test
  void mainSources_onlyTheTypedFactoryBuildsSessionPropertiesAndNoneNamesSslTrust()
      throws IOException {
    assertThat(MAIN_SOURCES).isDirectory();
    Pattern trustLiteral = Pattern.compile("\"[^\"\\n]*ssl\\.trust[^\"\\n]*\"");
    List<String> buildingProperties = new ArrayList<>();
    List<String> namingTrust = new ArrayList<>();
    try (Stream<Path> files = Files.list(MAIN_SOURCES)) {
      for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".java"))::iterator) {
        String src = Files.readString(f);
        if (src.contains("new Properties(") || src.contains("System.getProperties()")) {
          buildingProperties.add(f.getFileName().toString());
        }
        if (trustLiteral.matcher(src).find()) {
          namingTrust.add(f.getFileName().toString());
        }
      }
    }
    assertThat(buildingProperties).containsExactly("SmtpSessionProperties.java");
    assertThat(namingTrust).isEmpty();
    for (String entry : List.of("SmartHostRelay.java", "DirectDelivery.java")) {
      assertThat(Files.readString(MAIN_SOURCES.resolve(entry))).as(entry)
          .contains("engine.deliver(");
    }
    assertThat(Files.readString(MAIN_SOURCES.resolve("DeliveryEngine.java")))
        .contains("Session.getInstance(props)")
        .contains("SmtpSessionProperties.forMx(");
  }
}
