package io.github.mtasts4j.cli;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.smtp.Attempt;
import io.github.mtasts4j.smtp.DeliveryReport;
import io.github.mtasts4j.smtp.DeliveryStatus;
import io.github.mtasts4j.smtp.DirectDelivery;
import io.github.mtasts4j.smtp.SmartHostRelay;
import io.github.mtasts4j.tlsrpt.TlsReporter;
import io.github.mtasts4j.tlsrpt.TlsReports;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code send}: delivers a message directly to each recipient domain's MX hosts, or through a
 * smart host ({@code --relay}), enforcing MTA-STS.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
      "Deliver a message directly to each recipient domain's MX hosts, in preference order,"
          + " enforcing MTA-STS.",
      "With --relay HOST, the message goes through that smart host instead, under the policy of"
          + " its domain (RFC 8461 section 3.4).",
      "With --state-dir DIR, every TLS session is also recorded in DIR/tlsrpt/ for"
          + " 'report show' and 'report send'.",
      "Exit 0 when every recipient was delivered, 4 otherwise, 2 on a usage error."
    })
final class SendCommand extends BaseCommand {
  private static final int MESSAGE_LIMIT = 25 * 1024 * 1024;

  @Option(names = "--from", paramLabel = "ADDR", required = true,
      description = "Envelope sender (MAIL FROM) and, for a composed message, the From header.")
  String from;

  @Option(names = "--to", paramLabel = "ADDR", required = true,
      description = "A recipient, repeatable.")
  List<String> to = new ArrayList<>();

  @ArgGroup(exclusive = true, multiplicity = "1")
  Content content;

  /** Either a prepared message or a subject and body. */
  static final class Content {
    @Option(names = "--message", paramLabel = "FILE", required = true,
        description = "An RFC 5322 message to send as it is.")
    @Nullable Path message;

    @ArgGroup(exclusive = false)
    @Nullable Composed composed;
  }

  /** A plain-text message built from options. */
  static final class Composed {
    @Option(names = "--subject", paramLabel = "TEXT", required = true, description = "Subject.")
    String subject;

    @Option(names = "--body", paramLabel = "TEXT", required = true,
        description = "Plain-text body.")
    String body;
  }

  @Option(names = "--helo", paramLabel = "NAME",
      description = "Name announced in EHLO (default: the sender's domain).")
  @Nullable String helo;

  @Option(names = "--relay", paramLabel = "HOST[:PORT]",
      description = "Relay through this smart host instead of delivering to each domain's MX"
          + " hosts; its name is the policy domain. PORT defaults to --smtp-port (25): give"
          + " 587 or 465 for a submission port.")
  @Nullable String relay;

  @Option(names = "--relay-implicit-tls",
      description = "Speak TLS to --relay from the first byte (RFC 8314; give the port, usually"
          + " --relay HOST:465) instead of STARTTLS; the certificate is checked the same way,"
          + " with no cleartext fallback.")
  boolean relayImplicitTls;

  @Option(names = "--relay-user", paramLabel = "USER",
      description = "SMTP AUTH user name for --relay, with --relay-password-file. Sent only over"
          + " TLS verified as under enforce, whatever the policy says.")
  @Nullable String relayUser;

  @Option(names = "--relay-password-file", paramLabel = "FILE",
      description = "File whose first line is the SMTP AUTH password (kept off the command"
          + " line, where other users of the machine could see it).")
  @Nullable Path relayPasswordFile;

  /** JSON shape of one attempt. */
  record AttemptView(
      String mx,
      int preference,
      boolean policyMatch,
      String tls,
      @Nullable String failure,
      String outcome) {
    static AttemptView of(Attempt a) {
      return new AttemptView(a.mx().value(), a.preference(), a.policyMatch(), a.tls().token(),
          a.failure() == null ? null : a.failure().token(), a.outcome().token());
    }
  }

  /** JSON shape of one domain's result. */
  record DomainResult(
      String domain,
      List<String> recipients,
      Json.@Nullable PolicyView policy,
      String policySource,
      List<AttemptView> attempts,
      String status,
      String reason) {
    static DomainResult of(DeliveryReport r) {
      return new DomainResult(r.domain().value(), r.recipients(), Json.PolicyView.of(r.policy()),
          r.policySource(), r.attempts().stream().map(AttemptView::of).toList(),
          r.status().token(), r.reason());
    }
  }

  /** JSON shape of {@code send}. */
  record SendOutput(List<DomainResult> results) {}

  @Override
  public Integer call() {
    InternetAddress sender = address("--from", from);
    List<InternetAddress> recipients = new ArrayList<>();
    for (String t : to) {
      recipients.add(address("--to", t));
    }
    String heloName = helo != null ? helo : sender.getAddress().substring(
        sender.getAddress().lastIndexOf('@') + 1);
    SmartHostRelay.@Nullable Builder relayBuilder = relayBuilder();
    MimeMessage message = message(sender, recipients);
    List<DeliveryReport> reports;
    try (Services s = new Services(common);
        TlsReporter recorder = common.stateDir == null ? null : ReportCommand.recorder(spec, s)) {
      try {
        if (relayBuilder != null) {
          reports = List.of(relay(relayBuilder, s, heloName, recorder)
              .deliver(message, sender, recipients));
        } else {
          reports = delivery(s, heloName, recorder).deliver(message, sender, recipients);
        }
      } catch (IllegalArgumentException e) {
        throw new UserException("cannot send: " + Text.oneLine(e.getMessage()));
      }
    }
    SendOutput view = new SendOutput(reports.stream().map(DomainResult::of).toList());
    if (common.json) {
      printJson(view);
    } else {
      printHuman(out(), view.results());
    }
    boolean all = reports.stream().allMatch(r -> r.status() == DeliveryStatus.DELIVERED);
    return all ? ExitCodes.OK : ExitCodes.NOT_DELIVERED;
  }

  /** The smart host of {@code --relay} with its port and credentials, or null without one. */
  private SmartHostRelay.@Nullable Builder relayBuilder() {
    boolean user = relayUser != null;
    boolean password = relayPasswordFile != null;
    if (relay == null) {
      if (user || password || relayImplicitTls) {
        throw new ParameterException(spec.commandLine(),
            "--relay-user, --relay-password-file and --relay-implicit-tls need --relay");
      }
      return null;
    }
    if (user != password) {
      throw new ParameterException(spec.commandLine(),
          "--relay-user and --relay-password-file go together");
    }
    String host = relay;
    int port = common.smtpPort;
    int colon = relay.lastIndexOf(':');
    if (colon >= 0) {
      host = relay.substring(0, colon);
      port = -1;
      try {
        port = Integer.parseInt(relay.substring(colon + 1));
      } catch (NumberFormatException e) {
        // reported below
      }
      if (port < 1 || port > 65535) {
        throw new ParameterException(spec.commandLine(), "--relay: '" + relay
            + "' does not end in a port from 1 to 65535");
      }
    }
    if (host.startsWith("[") || host.matches("[0-9.]+")) {
      throw new ParameterException(spec.commandLine(), "--relay: '" + host + "' is an address;"
          + " give the smart host's name (its certificate and policy belong to the name)");
    }
    DomainName name;
    try {
      name = DomainName.of(host);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--relay: '" + host
          + "' is not a host name (its name is the policy domain): " + Text.oneLine(e.getMessage()));
    }
    SmartHostRelay.Builder b =
        SmartHostRelay.newBuilder(name).port(port).implicitTls(relayImplicitTls);
    if (user) {
      char[] secret = password(relayPasswordFile);
      try {
        b.credentials(relayUser, secret);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(),
            "--relay-user: " + Text.oneLine(e.getMessage()));
      } finally {
        Arrays.fill(secret, '\0');
      }
    }
    return b;
  }

  /** The first line of {@code file}, without its line end. */
  private static char[] password(Path file) {
    String text = Files2.readText(file, 4096);
    int end = 0;
    while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
      end++;
    }
    if (end == 0) {
      throw new UserException("--relay-password-file " + file + ": the first line is empty");
    }
    return text.substring(0, end).toCharArray();
  }

  private SmartHostRelay relay(
      SmartHostRelay.Builder b, Services s, String heloName, @Nullable TlsReporter recorder) {
    if (recorder != null) {
      b.tlsSessionListener(TlsReports.listener(recorder));
    }
    return b
        .mtaSts(s.mtaSts)
        .policySource(s.policySource())
        .dns(s.dns)
        .trustAnchors(s.trust)
        .heloName(heloName)
        .connectTimeout(common.timeout)
        .readTimeout(common.timeout.multipliedBy(3))
        .build();
  }

  private DirectDelivery delivery(Services s, String heloName, @Nullable TlsReporter recorder) {
    try {
      DirectDelivery.Builder b = DirectDelivery.newBuilder();
      if (recorder != null) {
        // every TLS session is counted in DIR/tlsrpt/ for 'report show' and 'report send'
        b.tlsSessionListener(TlsReports.listener(recorder));
      }
      return b
          .mtaSts(s.mtaSts)
          .policySource(s.policySource())
          .dns(s.dns)
          .trustAnchors(s.trust)
          .heloName(heloName)
          .smtpPort(common.smtpPort)
          .connectTimeout(common.timeout)
          .readTimeout(common.timeout.multipliedBy(3))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), Text.oneLine(e.getMessage()));
    }
  }

  static void printHuman(java.io.PrintWriter out, List<DomainResult> results) {
    for (DomainResult r : results) {
      String policy = r.policy() == null ? "no policy (" + r.policySource() + ")"
          : "policy " + r.policy().mode() + " (" + r.policySource() + ")";
      out.println(r.domain() + ": " + r.status() + ", " + policy + ": " + r.reason());
      out.println("  recipients: " + String.join(", ", r.recipients()));
      if (!r.attempts().isEmpty()) {
        Text.Table t = new Text.Table("MX", "PREF", "POLICY", "TLS", "FAILURE", "OUTCOME");
        for (AttemptView a : r.attempts()) {
          t.row(a.mx(), a.preference(), a.policyMatch() ? "match" : "no match", a.tls(),
              a.failure() == null ? "-" : a.failure(), a.outcome());
        }
        t.print(out, "  ");
      }
    }
  }

  private InternetAddress address(String option, String value) {
    try {
      InternetAddress a = new InternetAddress(value, true);
      String addr = a.getAddress();
      int at = addr.lastIndexOf('@');
      if (at <= 0 || at == addr.length() - 1 || addr.indexOf('<') >= 0) {
        throw new AddressException("expected local-part@domain");
      }
      // The domain as an A-label: without SMTPUTF8 a U-label cannot go into MAIL FROM or RCPT TO.
      String domain = DomainName.of(addr.substring(at + 1)).value();
      return new InternetAddress(addr.substring(0, at + 1) + domain, true);
    } catch (AddressException | IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), option + ": '" + value
          + "' is not a valid address: " + Text.oneLine(e.getMessage()));
    }
  }

  private MimeMessage message(InternetAddress sender, List<InternetAddress> recipients) {
    Session session = Session.getInstance(new Properties());
    try {
      if (content.message != null) {
        byte[] bytes = Files2.readBytes(content.message, MESSAGE_LIMIT);
        return new MimeMessage(session, new ByteArrayInputStream(bytes));
      }
      MimeMessage m = new MimeMessage(session);
      m.setFrom(sender);
      m.setRecipients(jakarta.mail.Message.RecipientType.TO,
          recipients.toArray(InternetAddress[]::new));
      m.setSubject(content.composed.subject, "UTF-8");
      m.setText(content.composed.body, "UTF-8");
      m.setSentDate(new Date());
      m.saveChanges();
      return m;
    } catch (MessagingException e) {
      throw new UserException("cannot build the message: " + Text.oneLine(e.getMessage()));
    }
  }
}
