package io.github.mtasts4j.smtp;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.jspecify.annotations.Nullable;

/**
 * Angus Mail's SMTP transport, recording how far the session got (greeting and EHLO done, STARTTLS
 * advertised, STARTTLS issued, the MX's announced name), so failures can be classified without
 * parsing exception messages; with {@link SmtpCredentials} it authenticates when the server offers
 * AUTH. Whether that may happen only after verified STARTTLS is the session settings' business.
 */
final class ObservingTransport extends SMTPTransport {
  private boolean greeted;
  private boolean startTlsOffered;
  private boolean startTlsIssued;
  private @Nullable String announcedName;
  private final @Nullable SmtpCredentials credentials;

  /**
   * @param credentials used for AUTH when the server offers it (after STARTTLS, when the session
   *     settings ask for it); null: never authenticate
   */
  ObservingTransport(Session session, URLName url, @Nullable SmtpCredentials credentials) {
    super(session, url);
    this.credentials = credentials;
  }

  /** Hands Angus the credentials directly: {@code connect(Socket)} takes none. */
  @Override
  protected synchronized boolean protocolConnect(
      String host, int port, @Nullable String user, @Nullable String password)
      throws MessagingException {
    SmtpCredentials c = credentials;
    if (c == null) {
      return super.protocolConnect(host, port, user, password);
    }
    return super.protocolConnect(host, port, c.username(), c.passwordString());
  }

  @Override
  protected boolean ehlo(String domain) throws MessagingException {
    boolean ok = super.ehlo(domain);
    if (ok) {
      afterGreeting(true);
    }
    return ok;
  }

  @Override
  protected void helo(String domain) throws MessagingException {
    super.helo(domain);
    afterGreeting(false);
  }

  private void afterGreeting(boolean extended) {
    if (!startTlsIssued) {
      greeted = true;
      startTlsOffered = extended && supportsExtension("STARTTLS");
      announcedName = firstName(getLastServerResponse());
    }
  }

  @Override
  protected void startTLS() throws MessagingException {
    startTlsIssued = true;
    super.startTLS();
  }

  /** True once the MX greeted and answered EHLO or HELO. */
  boolean greeted() {
    return greeted;
  }

  /** True when the first EHLO reply advertised STARTTLS. */
  boolean startTlsOffered() {
    return startTlsOffered;
  }

  /** True once the STARTTLS command was sent. */
  boolean startTlsIssued() {
    return startTlsIssued;
  }

  /** The host name in the MX's EHLO/HELO reply, or null. */
  @Nullable String announcedName() {
    return announcedName;
  }

  static @Nullable String firstName(@Nullable String reply) {
    if (reply == null || reply.length() < 5) {
      return null;
    }
    String rest = reply.substring(4).strip();
    int end = 0;
    while (end < rest.length() && !Character.isWhitespace(rest.charAt(end))) {
      end++;
    }
    return end == 0 ? null : rest.substring(0, end);
  }
}
