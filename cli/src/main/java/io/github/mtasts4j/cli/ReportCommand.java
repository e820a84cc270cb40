package io.github.mtasts4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.tlsrpt.Delivery;
import io.github.mtasts4j.tlsrpt.DkimKey;
import io.github.mtasts4j.tlsrpt.TlsReport;
import io.github.mtasts4j.tlsrpt.TlsReporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code report show|send}: the SMTP TLS reports (RFC 8460) of the sessions {@code send
 * --state-dir DIR} recorded in {@code DIR/tlsrpt/}.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "SMTP TLS reports (RFC 8460) of the sessions 'send --state-dir DIR' recorded.",
      "Exit 0 on success, 2 on a usage error."
    },
    subcommands = {ReportCommand.Show.class, ReportCommand.Send.class})
final class ReportCommand implements Callable<Integer> {

  /** {@code organization-name} and {@code contact-info} of pending reports shown without them. */
  static final String PLACEHOLDER_ORG = "mtasts4j";

  static final String PLACEHOLDER_CONTACT = "postmaster@localhost";

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing a subcommand: show or send");
  }

  /** JSON shape of {@code report show}: the RFC 8460 report objects as they would be sent. */
  record ShowOutput(String date, List<JsonNode> reports) {}

  /** JSON shape of one destination in {@code report send}. */
  record DeliveryView(
      String policyDomain,
      String reportId,
      @Nullable String destination,
      String state,
      int attempts,
      @Nullable String detail) {
    static DeliveryView of(Delivery d) {
      return new DeliveryView(
          d.policyDomain(),
          d.reportId(),
          d.destination() == null ? null : d.destination().toString(),
          d.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
          d.attempts(),
          d.detail());
    }
  }

  /** JSON shape of {@code report send}. */
  record SendOutput(String date, List<DeliveryView> deliveries) {}

  /** {@code report show}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Print the TLS reports of a UTC day recorded in --state-dir (required): the pending"
            + " aggregate for a day not yet sent, the sent reports otherwise.",
        "Exit 0, or 2 on a usage error."
      })
  static final class Show extends BaseCommand {
    @Option(names = "--date", paramLabel = "YYYY-MM-DD", converter = Converters.Day.class,
        description = "The UTC day (default: today, UTC).")
    @Nullable LocalDate date;

    @Option(names = "--org", paramLabel = "NAME",
        description = "organization-name shown in pending reports (default: " + PLACEHOLDER_ORG
            + ").")
    String org = PLACEHOLDER_ORG;

    @Option(names = "--contact", paramLabel = "ADDR",
        description = "contact-info shown in pending reports (default: " + PLACEHOLDER_CONTACT
            + ").")
    String contact = PLACEHOLDER_CONTACT;

    @Override
    public Integer call() {
      Path state = requireStateDir(spec, common, "show");
      if (!Files.isDirectory(state)) {
        throw new UserException("cannot use --state-dir " + state + ": no such directory");
      }
      LocalDate today = LocalDate.now(Clock.systemUTC());
      LocalDate day = date != null ? date : today;
      if (day.isAfter(today)) {
        throw new ParameterException(spec.commandLine(),
            "--date: " + day + " is in the future (today is " + today + " UTC)");
      }
      List<TlsReport> reports;
      try (Services s = new Services(common);
          TlsReporter reporter = reporter(spec, s, org, contact, null).build()) {
        reports = reporter.pending(day);
      }
      if (common.json) {
        List<JsonNode> nodes = new ArrayList<>();
        for (TlsReport r : reports) {
          try {
            nodes.add(Json.MAPPER.readTree(r.toJson()));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        printJson(new ShowOutput(day.toString(), nodes));
      } else {
        printHuman(out(), day, reports);
      }
      return ExitCodes.OK;
    }

    static void printHuman(PrintWriter out, LocalDate day, List<TlsReport> reports) {
      if (reports.isEmpty()) {
        out.println("No TLS sessions recorded for " + day + " (UTC).");
        return;
      }
      out.println("TLS reports for " + day + " (UTC):");
      Text.Table t = new Text.Table("POLICY DOMAIN", "POLICY", "SUCCESSFUL", "FAILED", "REPORT ID");
      List<String[]> details = new ArrayList<>();
      for (TlsReport r : reports) {
        for (TlsReport.PolicyResult p : r.policies()) {
          String mode = p.policy().policyString().stream()
              .filter(l -> l.startsWith("mode:")).map(l -> l.substring(5).strip())
              .findFirst().map(m -> " (" + m + ")").orElse("");
          t.row(r.policyDomain(), p.policy().policyType() + mode,
              p.summary().totalSuccessfulSessionCount(), p.summary().totalFailureSessionCount(),
              r.reportId());
          for (TlsReport.FailureDetail d : p.failureDetails()) {
            details.add(new String[] {r.policyDomain(), d.resultType(),
                d.receivingMxHostname() == null ? "-" : d.receivingMxHostname(),
                d.receivingIp() == null ? "-" : d.receivingIp(),
                Long.toString(d.failedSessionCount()),
                d.failureReasonCode() == null ? "" : d.failureReasonCode()});
          }
        }
      }
      t.print(out, "  ");
      if (!details.isEmpty()) {
        out.println("Failures:");
        Text.Table f = new Text.Table("POLICY DOMAIN", "RESULT TYPE", "MX", "IP", "COUNT",
            "REASON");
        details.forEach(row -> f.row((Object[]) row));
        f.print(out, "  ");
      }
    }
  }

  /** DKIM options: the key file and selector go together. */
  static final class Dkim {
    @Option(names = "--dkim-key", paramLabel = "FILE", required = true,
        description = "Unencrypted PKCS#8 PEM RSA key signing mailed reports.")
    Path key;

    @Option(names = "--dkim-selector", paramLabel = "SELECTOR", required = true,
        description = "DKIM selector of that key (its record should carry s=tlsrpt).")
    String selector;

    @Option(names = "--dkim-domain", paramLabel = "DOMAIN", converter = Converters.Domain.class,
        description = "DKIM signing domain d= (default: the domain of --contact).")
    @Nullable DomainName domain;
  }

  /** {@code report send}. */
  @Command(
      name = "send",
      mixinStandardHelpOptions = true,
      description = {
        "Finalize the TLS reports of a UTC day recorded in --state-dir (required) and send each"
            + " to the rua destinations its policy domain publishes in _smtp._tls, now. Run it"
            + " again to retry destinations that failed. Sessions recorded for that day later"
            + " are not counted.",
        "Exit 0 when nothing is left undelivered, 4 when a destination failed, 2 on a usage"
            + " error."
      })
  static final class Send extends BaseCommand {
    @Option(names = "--date", paramLabel = "YYYY-MM-DD", converter = Converters.Day.class,
        description = "The UTC day (default: yesterday, UTC).")
    @Nullable LocalDate date;

    @Option(names = "--org", paramLabel = "NAME", required = true,
        description = "organization-name of the reports: who is sending them.")
    String org;

    @Option(names = "--contact", paramLabel = "ADDR", required = true,
        description = "contact-info of the reports, an address; its domain names the submitter.")
    String contact;

    @ArgGroup(exclusive = false)
    @Nullable Dkim dkim;

    @Option(names = "--relay", paramLabel = "HOST",
        description = "Mail reports through HOST (port --smtp-port) instead of the report"
            + " address's MX hosts.")
    @Nullable String relay;

    @Option(names = "--helo", paramLabel = "NAME",
        description = "EHLO name for report mail (default: the domain of --contact).")
    @Nullable String helo;

    @Override
    public Integer call() {
      requireStateDir(spec, common, "send");
      LocalDate day = date != null ? date : LocalDate.now(Clock.systemUTC()).minusDays(1);
      List<Delivery> deliveries;
      try (Services s = new Services(common)) {
        TlsReporter.Builder b = reporter(spec, s, org, contact, dkim);
        try {
          if (relay != null) {
            b.relayHost(relay);
          }
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), "--relay: " + Text.oneLine(e.getMessage()));
        }
        try {
          if (helo != null) {
            b.heloName(helo);
          }
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), "--helo: " + Text.oneLine(e.getMessage()));
        }
        try (TlsReporter reporter = b.build()) {
          try {
            deliveries = reporter.sendNow(day);
          } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--date: " + e.getMessage());
          }
        }
      }
      SendOutput view = new SendOutput(day.toString(),
          deliveries.stream().map(DeliveryView::of).toList());
      if (common.json) {
        printJson(view);
      } else if (deliveries.isEmpty()) {
        out().println("No TLS reports for " + day + " (UTC).");
      } else {
        Text.Table t = new Text.Table("POLICY DOMAIN", "DESTINATION", "STATE", "DETAIL");
        for (DeliveryView d : view.deliveries()) {
          t.row(d.policyDomain(), d.destination() == null ? "-" : d.destination(), d.state(),
              d.detail() == null ? "" : d.detail());
        }
        t.print(out(), "");
      }
      boolean left = deliveries.stream().anyMatch(
          d -> d.state() == Delivery.State.PENDING || d.state() == Delivery.State.GAVE_UP);
      return left ? ExitCodes.NOT_DELIVERED : ExitCodes.OK;
    }
  }

  private static Path requireStateDir(CommandSpec spec, CommonOptions common, String command) {
    if (common.stateDir == null) {
      throw new ParameterException(spec.commandLine(), "report " + command
          + " needs --state-dir DIR: the directory 'send --state-dir DIR' records sessions in");
    }
    return common.stateDir;
  }

  /** A reporter on {@code DIR/tlsrpt/} using the command's DNS, trust anchors and timeout. */
  static TlsReporter.Builder reporter(CommandSpec spec, Services s, String org, String contact,
      @Nullable Dkim dkim) {
    TlsReporter.Builder b = TlsReporter.newBuilder();
    try {
      b.organizationName(org);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--org: " + e.getMessage());
    }
    try {
      b.contactInfo(contact);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--contact: " + e.getMessage());
    }
    if (dkim != null) {
      DomainName domain = dkim.domain;
      if (domain == null) {
        domain = DomainName.of(contact.substring(contact.lastIndexOf('@') + 1));
      }
      try {
        b.dkim(DkimKey.fromPkcs8Pem(domain, dkim.selector, dkim.key));
      } catch (IllegalArgumentException e) {
        String why = Text.oneLine(e.getMessage());
        throw new UserException((why.startsWith("not a DKIM selector")
            ? "cannot use --dkim-selector: " : "cannot use --dkim-key: ") + why);
      }
    }
    return b.stateDirectory(s.tlsrptStateDir())
        .dnsClient(s.dns)
        .sslContext(s.trust.sslContext())
        .smtpPort(s.options.smtpPort)
        .timeout(s.options.timeout);
  }

  /** A reporter that only records the sessions of {@code send} (nothing it builds is sent). */
  static TlsReporter recorder(CommandSpec spec, Services s) {
    return reporter(spec, s, PLACEHOLDER_ORG, PLACEHOLDER_CONTACT, null).build();
  }
}
