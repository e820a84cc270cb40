package io.github.mtasts4j.smtp;

import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * The typed factory for Angus Mail session settings: object-valued settings go in with {@code
 * put}, and {@code mail.smtp.ssl.trust} is never set (it would bypass our trust manager).
 */
final class SmtpSessionProperties {
  private SmtpSessionProperties() {}

  static Properties forMx(
      SSLSocketFactory socketFactory,
      boolean startTls,
      boolean requireStartTls,
      String heloName,
      @Nullable InternetAddress envelopeSender,
      Duration connectTimeout,
      Duration readTimeout) {
    Properties p = new Properties();
    p.put("mail.smtp.ssl.socketFactory", socketFactory);
    p.setProperty("mail.smtp.starttls.enable", Boolean.toString(startTls));
    p.setProperty("mail.smtp.starttls.required", Boolean.toString(requireStartTls));
    // Our trust manager checks the DNS-ID itself (no CN fallback); the JDK's endpoint check is
    // not applied to an X509ExtendedTrustManager, so this only pins Angus's default explicitly.
    p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
    p.setProperty("mail.smtp.ssl.protocols", String.join(" ", MxTlsVerifier.protocols()));
    p.setProperty("mail.smtp.localhost", heloName);
    p.setProperty("mail.smtp.sendpartial", "false");
    p.setProperty("mail.smtp.connectiontimeout", Long.toString(connectTimeout.toMillis()));
    p.setProperty("mail.smtp.timeout", Long.toString(readTimeout.toMillis()));
    if (envelopeSender != null) {
      p.setProperty("mail.smtp.from", envelopeSender.getAddress());
    }
    return p;
  }
}
