package io.github.mtasts4j.cli;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.LintReport;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.MxPattern;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.PolicyLint;
import io.github.mtasts4j.PolicyRecord;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code generate}: prints the DNS records, the policy file and (with {@code --mailcow}) the
 * mailcow.conf lines needed to publish an MTA-STS policy. Defaults follow RFC 8461 §10.2 (a long
 * max_age) and the layout of the mailcow guide (extra domains delegate by CNAME to the primary).
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Print the DNS records, the mta-sts.txt body and (with --mailcow) the mailcow.conf lines"
          + " needed to publish an MTA-STS policy. The first --domain is the primary; the"
          + " others delegate to it by CNAME. No network.",
    })
final class GenerateCommand extends BaseCommand {

  /** RFC 8461 §10.2: max_age as long as practical; one week is the RFC's own example. */
  static final long DEFAULT_MAX_AGE = 604_800L;

  private static final long ONE_DAY = 86_400L;
  private static final Pattern RUA =
      Pattern.compile("(mailto:[^@\\s;,!]+@[^@\\s;,!]+|https://[^\\s;,!]+)");
  private static final DateTimeFormatter ID_FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Option(
      names = "--domain",
      paramLabel = "D",
      required = true,
      converter = Converters.Domain.class,
      description = "A mail domain, repeatable; the first one is the primary.")
  List<DomainName> domains = new ArrayList<>();

  @Option(
      names = "--mx",
      paramLabel = "HOST",
      required = true,
      converter = Converters.Mx.class,
      description = "An MX host (or *.suffix pattern) that receives mail, repeatable.")
  List<MxPattern> mx = new ArrayList<>();

  @Option(
      names = "--rua",
      paramLabel = "URI",
      required = true,
      description = "Where TLS reports go (RFC 8460): mailto:ADDRESS or https://URL.")
  String rua;

  @Option(
      names = "--mode",
      paramLabel = "M",
      defaultValue = "testing",
      description =
          "Policy mode: testing (default: report only, switch to enforce when reports are"
              + " clean), enforce or none.")
  String mode;

  @Option(
      names = "--max-age",
      paramLabel = "S",
      defaultValue = "604800",
      description = "max_age in seconds, 0..31557600 (default: ${DEFAULT-VALUE}, one week).")
  long maxAge;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description = "Policy id for the TXT record (default: the current UTC time, e.g."
          + " 20260101120000Z). Change it whenever the policy file changes.")
  @Nullable String id;

  @Option(names = "--mailcow", description = "Lay the output out for a mailcow server.")
  boolean mailcow;

  Clock clock = Clock.systemUTC();

  /** One DNS record. */
  record DnsRecord(String name, String type, String value) {}

  /** JSON shape of {@code generate}. */
  record GenerateView(
      List<String> domains,
      List<DnsRecord> records,
      Json.PolicyView policy,
      String policyFile,
      @Nullable List<String> mailcowConf,
      List<String> advice) {}

  @Override
  public Integer call() {
    Mode m = Mode.fromToken(mode);
    if (m == null) {
      throw new ParameterException(
          spec.commandLine(), "--mode must be enforce, testing or none, not '" + mode + "'");
    }
    if (maxAge < 0 || maxAge > Policy.MAX_AGE_LIMIT) {
      throw new ParameterException(
          spec.commandLine(), "--max-age must be between 0 and " + Policy.MAX_AGE_LIMIT);
    }
    if (!RUA.matcher(rua).matches()) {
      throw new ParameterException(
          spec.commandLine(), "--rua must be mailto:ADDRESS or https://URL, not '" + rua + "'");
    }
    String policyId = id != null ? id : ID_FORMAT.format(clock.instant());
    List<DomainName> ds = List.copyOf(new LinkedHashSet<>(domains));
    DomainName primary = ds.get(0);
    @Nullable DomainName mailHost = null;
    if (mailcow) {
      mailHost =
          mx.stream()
              .filter(p -> p instanceof MxPattern.Exact)
              .map(p -> ((MxPattern.Exact) p).host())
              .findFirst()
              .orElseThrow(
                  () ->
                      new ParameterException(
                          spec.commandLine(),
                          "--mailcow needs at least one exact --mx host (the mailcow server)"));
    }

    String txt = "v=STSv1; id=" + policyId;
    String rpt = "v=TLSRPTv1; rua=" + rua;
    try {
      PolicyRecord.parse(txt);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--id: " + e.getMessage());
    }
    List<String> lines = new ArrayList<>();
    lines.add("version: STSv1");
    lines.add("mode: " + m.token());
    for (MxPattern p : mx) {
      lines.add("mx: " + p.text());
    }
    lines.add("max_age: " + maxAge);
    String body = String.join("\n", lines) + "\n";
    LintReport lint = PolicyLint.lint(body);
    if (!lint.valid()) {
      throw new IllegalStateException("generated an invalid policy: " + lint.errors());
    }

    List<DnsRecord> records = new ArrayList<>();
    String policyHostTarget = mailHost != null ? mailHost.value() : null;
    if (policyHostTarget != null) {
      records.add(new DnsRecord("mta-sts." + primary, "CNAME", policyHostTarget));
    }
    records.add(new DnsRecord("_mta-sts." + primary, "TXT", txt));
    records.add(new DnsRecord("_smtp._tls." + primary, "TXT", rpt));
    for (DomainName d : ds.subList(1, ds.size())) {
      records.add(
          new DnsRecord(
              "mta-sts." + d,
              "CNAME",
              policyHostTarget != null ? policyHostTarget : "mta-sts." + primary));
      records.add(new DnsRecord("_mta-sts." + d, "CNAME", "_mta-sts." + primary));
      records.add(new DnsRecord("_smtp._tls." + d, "CNAME", "_smtp._tls." + primary));
    }

    List<String> mailcowConf =
        mailcow ? List.of("ADDITIONAL_SAN=mta-sts.*", "ADDITIONAL_SERVER_NAMES=mta-sts.*") : null;
    List<String> advice = advice(m, ds, primary);

    if (common.json) {
      printJson(
          new GenerateView(
              ds.stream().map(DomainName::value).toList(),
              records,
              Json.PolicyView.of(lint.policy()),
              body,
              mailcowConf,
              advice));
      return ExitCodes.OK;
    }
    var out = out();
    out.println("; DNS records (zone-file syntax; names are absolute)");
    if (policyHostTarget == null) {
      out.println("; mta-sts." + primary + ": add A/AAAA records (or a CNAME) for the web server that"
          + " serves the policy file over HTTPS");
    }
    for (DnsRecord r : records) {
      String value = r.type().equals("TXT") ? "\"" + r.value() + "\"" : r.value() + ".";
      out.println(r.name() + ". 3600 IN " + r.type() + " " + value);
    }
    out.println();
    out.println("; Policy file: serve it as text/plain at");
    for (DomainName d : ds) {
      out.println(";   https://mta-sts." + d + "/.well-known/mta-sts.txt");
    }
    if (mailcow) {
      out.println("; mailcow: save it as data/web/.well-known/mta-sts.txt in the mailcow folder"
          + " (/opt/mailcow-dockerized)");
    }
    out.print(body);
    if (mailcowConf != null) {
      out.println();
      out.println("; mailcow.conf: set both variables (append mta-sts.* to existing values),");
      out.println("; then run 'docker compose up -d' in the mailcow folder");
      mailcowConf.forEach(out::println);
    }
    out.println();
    for (String a : advice) {
      out.println("; " + a);
    }
    return ExitCodes.OK;
  }

  private List<String> advice(Mode m, List<DomainName> ds, DomainName primary) {
    List<String> advice = new ArrayList<>();
    advice.add(
        "The policy host certificate must be valid for "
            + String.join(", ", ds.stream().map(d -> "mta-sts." + d).toList())
            + (mailcow
                ? " (ADDITIONAL_SAN=mta-sts.* does this; if it is missing after DNS has"
                    + " propagated, run 'docker compose restart acme-mailcow')."
                : "."));
    if (m == Mode.TESTING) {
      advice.add(
          "Mode testing only asks senders for TLS reports. When 'mtasts4j check "
              + primary
              + "' passes and the reports show no failures, switch to --mode enforce and"
              + " publish a new id.");
    } else if (m == Mode.ENFORCE) {
      advice.add(
          "Mode enforce: senders that honour MTA-STS will not deliver to an MX host outside the"
              + " policy or without a valid certificate. Run 'mtasts4j check " + primary
              + "' after publishing.");
    } else {
      advice.add("Mode none withdraws the policy; keep publishing it until the old max_age ends.");
    }
    if (maxAge < ONE_DAY) {
      advice.add(
          "max_age " + maxAge + " is under a day: an attacker who blocks the policy fetch only"
              + " has to wait that long (RFC 8461 section 10.2); weeks are recommended.");
    }
    advice.add("Whenever the policy file changes, publish a new id in the _mta-sts TXT record.");
    return advice;
  }
}
