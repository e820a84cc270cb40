package io.github.mtasts4j.tlsrpt;

import io.github.mtasts4j.smtp.internal.BoundedSocket;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.spi.DnsAnswer;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.spi.MxHost;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.jspecify.annotations.Nullable;
import org.simplejavamail.utils.mail.dkim.Canonicalization;
import org.simplejavamail.utils.mail.dkim.DkimMessage;
import org.simplejavamail.utils.mail.dkim.DkimSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a report by mail (RFC 8460 §5.3): {@code multipart/report; report-type="tlsrpt"} with a
 * text part and the gzip report attached under its RPT-29 file name, the {@code TLS-Report-*}
 * headers, the RPT-33 subject, DKIM-signed without {@code l=}.
 *
 * <p>The SMTP session is deliberately <em>not</em> subject to MTA-STS (RPT-9): no policy is looked
 * up, STARTTLS is used when offered and verifiable, and when the TLS handshake fails the report is
 * sent again without TLS. The session is not reported to any listener, so it is never counted in a
 * later report.
 *
 * <p>Each session is bounded ({@link BoundedSocket}): connect, each reply and each blocked write by
 * {@code timeout}, each reply in size, and the whole session by {@code deadline}, so a mail host
 * that answers slowly or without end fails the attempt instead of holding the reporter.
 */
final class MailSender {
  private static final Logger LOG = LoggerFactory.getLogger(MailSender.class);

  /** Where to hand mail over: a fixed relay, or the recipient domain's MX hosts on {@code port}. */
  record Route(@Nullable String relayHost, int port) {}

  private final DnsClient dns;
  private final DkimKey dkim;
  private final String from;
  private final String submitter;
  private final String heloName;
  private final Route route;
  private final SSLContext sslContext;
  private final Duration timeout;
  private final Duration deadline;

  MailSender(
      DnsClient dns,
      DkimKey dkim,
      String from,
      String submitter,
      String heloName,
      Route route,
      SSLContext sslContext,
      Duration timeout,
      Duration deadline) {
    this.dns = dns;
    this.dkim = dkim;
    this.from = from;
    this.submitter = submitter;
    this.heloName = heloName;
    this.route = route;
    this.sslContext = sslContext;
    this.timeout = timeout;
    this.deadline = deadline;
  }

  /** The RPT-29 file name: {@code sender!policy-domain!begin!end!unique-id.json.gz}. */
  static String fileName(String submitter, TlsReport report) {
    Instant start = Instant.parse(report.dateRange().startDatetime());
    Instant end = Instant.parse(report.dateRange().endDatetime());
    String unique = report.reportId().replaceAll("[^A-Za-z0-9]", "");
    return submitter
        + "!"
        + report.policyDomain()
        + "!"
        + start.getEpochSecond()
        + "!"
        + end.getEpochSecond()
        + (unique.isEmpty() ? "" : "!" + unique)
        + ".json.gz";
  }

  /** The RPT-33 subject. */
  static String subject(String submitter, TlsReport report) {
    String id = report.reportId().contains("@") ? report.reportId() : report.reportId() + "@" + submitter;
    return "Report Domain: " + report.policyDomain() + " Submitter: " + submitter + " Report-ID: <" + id + ">";
  }

  /** Builds the signed message; visible for tests. */
  MimeMessage compose(Session session, String to, TlsReport report, byte[] gzipped, Instant now)
      throws MessagingException {
    MimeMessage msg = new MimeMessage(session);
    msg.setFrom(new InternetAddress(from));
    msg.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    msg.setSubject(subject(submitter, report), "UTF-8");
    msg.setSentDate(Date.from(now));
    msg.setHeader("TLS-Report-Domain", report.policyDomain());
    msg.setHeader("TLS-Report-Submitter", submitter);

    MimeBodyPart text = new MimeBodyPart();
    text.setText(humanReadable(report), "UTF-8");

    MimeBodyPart attachment = new MimeBodyPart();
    attachment.setDataHandler(
        new DataHandler(new ByteArrayDataSource(gzipped, "application/tlsrpt+gzip")));
    attachment.setFileName(fileName(submitter, report));
    attachment.setDisposition(MimeBodyPart.ATTACHMENT);
    attachment.setHeader("Content-Transfer-Encoding", "base64");

    MimeMultipart multipart = new ReportMultipart();
    multipart.addBodyPart(text);
    multipart.addBodyPart(attachment);
    msg.setContent(multipart);
    msg.saveChanges();

    DkimSigner signer = new DkimSigner(dkim.domain().value(), dkim.selector(), dkim.privateKey());
    signer.setHeaderCanonicalization(Canonicalization.RELAXED);
    signer.setBodyCanonicalization(Canonicalization.RELAXED);
    signer.setLengthParam(false); // RPT-10: never l=
    signer.setCheckDomainKey(false); // no DNS lookup of our own key while signing
    signer.addHeaderToSign("TLS-Report-Domain");
    signer.addHeaderToSign("TLS-Report-Submitter");
    return new DkimMessage(msg, signer);
  }

  private static String humanReadable(TlsReport report) {
    long ok = 0;
    long failed = 0;
    for (TlsReport.PolicyResult p : report.policies()) {
      ok += p.summary().totalSuccessfulSessionCount();
      failed += p.summary().totalFailureSessionCount();
    }
    LocalDate day = LocalDate.ofInstant(Instant.parse(report.dateRange().startDatetime()), ZoneOffset.UTC);
    return "This is an aggregate SMTP TLS report (RFC 8460) from "
        + report.organizationName()
        + " for "
        + report.policyDomain()
        + ", covering "
        + day
        + " (UTC).\r\n\r\nSuccessful sessions: "
        + ok
        + "\r\nFailed sessions: "
        + failed
        + "\r\nReport-ID: "
        + report.reportId()
        + "\r\n\r\nThe report itself is attached as application/tlsrpt+gzip.\r\n";
  }

  /**
   * Mails the report to the mail hosts of {@code destination}'s domain (or the relay), one after
   * another until one takes it.
   *
   * @return null, or what went wrong on the way to a delivery: the STARTTLS failure after which
   *     the report was sent without TLS
   * @throws DeliveryException if no mail host took the report
   */
  @Nullable String send(URI destination, TlsReport report, byte[] gzipped, Instant now)
      throws DeliveryException {
    String to = TlsRptRecord.mailbox(destination);
    if (to == null) {
      throw new DeliveryException("not a usable mailto URI: " + destination);
    }
    List<Target> targets = targets(to.substring(to.lastIndexOf('@') + 1));
    List<String> errors = new ArrayList<>();
    for (Target target : targets) {
      try {
        deliver(target, to, report, gzipped, now, true);
        return null;
      } catch (MessagingException e) {
        if (isTlsFailure(e)) {
          // RPT-9: a TLS failure must not stop the report; retry the same host in plain text.
          String tlsFailure = "STARTTLS with " + target.name + " failed: " + oneLine(e);
          LOG.debug("{}; resending without TLS", tlsFailure);
          try {
            deliver(target, to, report, gzipped, now, false);
            return "delivered without TLS: " + tlsFailure;
          } catch (MessagingException e2) {
            errors.add(target.name + ": " + oneLine(e2));
          }
        } else {
          errors.add(target.name + ": " + oneLine(e));
        }
      }
    }
    throw new DeliveryException(
        "mail to " + to + " failed: " + (errors.isEmpty() ? "no MX host" : String.join("; ", errors)));
  }

  private record Target(String name, InetAddress address, int port) {}

  private List<Target> targets(String rcptDomain) throws DeliveryException {
    List<String> hosts = new ArrayList<>();
    if (route.relayHost() != null) {
      hosts.add(route.relayHost());
    } else {
      DomainName domain;
      try {
        domain = Keys.domain(rcptDomain);
      } catch (IllegalArgumentException e) {
        throw new DeliveryException("invalid report address domain " + rcptDomain);
      }
      DnsAnswer<MxHost> mx = dns.mx(domain);
      if (mx instanceof DnsAnswer.Found<MxHost> found) {
        for (MxHost h : found.records()) {
          hosts.add(h.host().value());
        }
      } else if (mx instanceof DnsAnswer.NotFound<MxHost> notFound && notFound.unusable()) {
        // a null MX (RFC 7505) or no usable MX: the domain takes no mail, and has no implicit MX
        throw new DeliveryException(notFound.detail());
      } else if (mx instanceof DnsAnswer.NotFound<MxHost>) {
        hosts.add(domain.value()); // RFC 5321 §5.1 implicit MX
      } else {
        String detail = ((DnsAnswer.Error<MxHost>) mx).detail();
        throw new DeliveryException(detail.startsWith("MX lookup for ")
            ? detail
            : "MX lookup for " + domain + " failed: " + detail);
      }
    }
    List<Target> targets = new ArrayList<>();
    for (String host : hosts) {
      InetAddress literal = literal(host);
      if (literal != null) {
        targets.add(new Target(host, literal, route.port()));
        continue;
      }
      DnsAnswer<InetAddress> a = dns.addresses(Keys.domain(host));
      if (a instanceof DnsAnswer.Found<InetAddress> found) {
        for (InetAddress addr : found.records()) {
          targets.add(new Target(host, addr, route.port()));
        }
      }
    }
    if (targets.isEmpty()) {
      throw new DeliveryException("no address for any mail host of " + rcptDomain + " " + hosts);
    }
    return targets;
  }

  private static @Nullable InetAddress literal(String host) {
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
      return null;
    }
    try {
      return InetAddress.getByName(host); // an address literal: no lookup happens
    } catch (IOException e) {
      return null;
    }
  }

  private void deliver(
      Target target, String to, TlsReport report, byte[] gzipped, Instant now, boolean tls)
      throws MessagingException {
    Properties p = new Properties();
    p.put("mail.smtp.host", target.address().getHostAddress());
    p.put("mail.smtp.port", String.valueOf(target.port()));
    p.put("mail.smtp.localhost", heloName);
    p.put("mail.smtp.from", from);
    p.put("mail.from", from); // Message-ID domain, without a local host name lookup
    p.put("mail.smtp.timeout", String.valueOf(timeout.toMillis()));
    p.put("mail.smtp.starttls.enable", String.valueOf(tls));
    p.put("mail.smtp.starttls.required", "false");
    // The host we connect to is an IP address; the certificate is checked against the MX name by
    // JSSE endpoint identification in VerifyingFactory, so Angus' own IP-based check is off.
    p.put("mail.smtp.ssl.checkserveridentity", "false");
    Session session = Session.getInstance(p);
    if (tls) {
      p.put("mail.smtp.ssl.socketFactory", new VerifyingFactory(sslContext, target.name()));
    }
    MimeMessage msg = compose(session, to, report, gzipped, now);
    msg.saveChanges();
    BoundedSocket socket = connect(target);
    SMTPTransport transport =
        new SMTPTransport(
            session,
            new URLName("smtp", target.address().getHostAddress(), target.port(), null, null, null));
    try {
      transport.connect(socket);
      transport.sendMessage(msg, msg.getAllRecipients());
    } catch (MessagingException e) {
      if (socket.sessionExpired()) {
        closeQuietly(socket); // no QUIT: the session has had its time
        throw new MessagingException(
            "SMTP session did not complete within " + deadline.toMillis() + " ms");
      }
      throw e;
    } finally {
      try {
        transport.close();
      } catch (MessagingException e) {
        LOG.debug("closing the session with {}: {}", target.name(), e.getMessage());
      }
      closeQuietly(socket);
    }
    LOG.debug("mailed TLS report {} to {} via {} (tls={})", report.reportId(), to, target.name(), tls);
  }

  /** Connects to {@code target}; the session's size and time bounds start here. */
  private BoundedSocket connect(Target target) throws MessagingException {
    Socket raw = new Socket();
    try {
      // Named, so Angus takes the host name from the address instead of a reverse lookup through
      // the system resolver (unbounded, and past the configured DNS client).
      InetAddress named = InetAddress.getByAddress(target.name(), target.address().getAddress());
      raw.connect(
          new InetSocketAddress(named, target.port()),
          millis(timeout.compareTo(deadline) < 0 ? timeout : deadline));
      return new BoundedSocket(raw, BoundedSocket.MAX_REPLY_BYTES, timeout, deadline);
    } catch (IOException e) {
      closeQuietly(raw);
      throw new MessagingException(
          "cannot connect to " + target.address().getHostAddress() + " port " + target.port()
              + ": " + e.getMessage(),
          e);
    }
  }

  private static int millis(Duration d) {
    // At least 1: 0 would mean no connect timeout at all.
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      LOG.debug("closing {}: {}", socket, e.toString());
    }
  }

  private static boolean isTlsFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException
          || t instanceof java.security.cert.CertificateException) {
        return true;
      }
      if (t instanceof MessagingException me && me.getNextException() != null && me.getNextException() != t.getCause()) {
        if (isTlsFailure(me.getNextException())) {
          return true;
        }
      }
    }
    return false;
  }

  /** The message and its causes' on one line: Angus keeps the reason in the cause. */
  private static String oneLine(Exception e) {
    StringBuilder sb = new StringBuilder();
    int depth = 0;
    for (Throwable t = e; t != null && depth++ < 5; t = t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (sb.indexOf(m) < 0) {
        sb.append(sb.length() == 0 ? "" : "; ").append(m);
      }
    }
    return sb.toString().replaceAll("\\s+", " ").strip();
  }

  /** {@code multipart/report; report-type="tlsrpt"} (RPT-31). */
  private static final class ReportMultipart extends MimeMultipart {
    ReportMultipart() {
      super("report");
      try {
        ContentType ct = new ContentType(contentType);
        ct.setParameter("report-type", "tlsrpt");
        contentType = ct.toString();
      } catch (jakarta.mail.internet.ParseException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Upgrades the connection with {@code sslContext}, checking the certificate against the MX host
   * name (SNI and endpoint identification), whatever host Angus thinks it connected to.
   */
  private static final class VerifyingFactory extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    private final String hostName;

    VerifyingFactory(SSLContext context, String hostName) {
      this.delegate = context.getSocketFactory();
      this.hostName = hostName;
    }

    private Socket verify(Socket s) {
      if (s instanceof SSLSocket ssl) {
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        try {
          params.setServerNames(List.of(new javax.net.ssl.SNIHostName(hostName)));
        } catch (IllegalArgumentException ignored) {
          // not a valid SNI name (e.g. an address literal): send no SNI
        }
        ssl.setSSLParameters(params);
      }
      return s;
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
      Socket tls = verify(delegate.createSocket(s, hostName, port, autoClose));
      return BoundedSocket.layered(s, tls);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      throw new IOException("implicit TLS is not used for reports");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      throw new IOException("implicit TLS is not used for reports");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      throw new IOException("implicit TLS is not used for reports");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
        throws IOException {
      throw new IOException("implicit TLS is not used for reports");
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }
  }
}
