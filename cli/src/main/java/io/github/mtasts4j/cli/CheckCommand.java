package io.github.mtasts4j.cli;

import io.github.mtasts4j.Discovery;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.FetchResult;
import io.github.mtasts4j.LintProblem;
import io.github.mtasts4j.LintReport;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.MxPattern;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.PolicyLint;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.spi.DnsAnswer;
import io.github.mtasts4j.spi.MxHost;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code check DOMAIN}: audits a domain's published MTA-STS setup as a mail admin would, saying for
 * each problem what a sender does about it.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Audit DOMAIN's published setup: _mta-sts TXT record, policy host certificate, policy file"
          + " (HTTPS, content type, syntax), TLSRPT record, every MX against the policy, every"
          + " MX's STARTTLS and certificate (validity, name, days to expiry).",
      "Exit 0 on pass or warn, 1 on fail, 2 on a usage error.",
      "Check names: txt-record, policy-host-certificate, policy-file, policy-syntax,"
          + " policy-mode, policy-max-age, policy-wildcard, tlsrpt-record, mx-records,"
          + " mx-in-policy:HOST, mx-tls:HOST."
    })
final class CheckCommand extends BaseCommand {
  static final long EXPIRY_WARN_DAYS = 14;
  private static final long ONE_DAY = 86_400;

  @Parameters(paramLabel = "DOMAIN", converter = Converters.Domain.class,
      description = "The mail domain to audit.")
  DomainName domain;

  @Option(
      names = "--mailcow",
      description =
          "Word advice for a mailcow server (mailcow.conf, acme-mailcow, CNAME delegation of"
              + " extra domains to the mailcow host's domain).")
  boolean mailcow;

  InstantSource clock = InstantSource.system();

  /** One audited item. */
  record CheckItem(String name, String status, String detail) {}

  /** JSON shape of {@code check}. */
  record CheckOutput(String domain, List<CheckItem> checks, String verdict) {}

  private final List<CheckItem> checks = new ArrayList<>();

  private void pass(String name, String detail) {
    checks.add(new CheckItem(name, "pass", detail));
  }

  private void warn(String name, String detail) {
    checks.add(new CheckItem(name, "warn", detail));
  }

  private void fail(String name, String detail) {
    checks.add(new CheckItem(name, "fail", detail));
  }

  @Override
  public Integer call() {
    try (Services s = new Services(common)) {
      run(s);
    }
    String verdict = verdict(checks);
    if (common.json) {
      printJson(new CheckOutput(domain.value(), List.copyOf(checks), verdict));
    } else {
      var out = out();
      out.println("MTA-STS check of " + domain);
      Text.Table t = new Text.Table("STATUS", "CHECK", "DETAIL");
      for (CheckItem c : checks) {
        t.row(c.status(), c.name(), c.detail());
      }
      t.print(out, "");
      long warns = checks.stream().filter(c -> c.status().equals("warn")).count();
      long fails = checks.stream().filter(c -> c.status().equals("fail")).count();
      out.println("verdict: " + verdict + " (" + fails + " fail, " + warns + " warn, "
          + (checks.size() - fails - warns) + " pass)");
    }
    return verdict.equals("fail") ? ExitCodes.NEGATIVE : ExitCodes.OK;
  }

  static String verdict(List<CheckItem> items) {
    if (items.stream().anyMatch(c -> c.status().equals("fail"))) {
      return "fail";
    }
    return items.stream().anyMatch(c -> c.status().equals("warn")) ? "warn" : "pass";
  }

  private void run(Services s) {
    TlsProbe probe = new TlsProbe(s.dns, s.trust, common.timeout);
    Instant now = clock.instant();

    DnsAnswer<MxHost> mxAnswer = s.dns.mx(domain);
    List<MxHost> mxHosts =
        mxAnswer instanceof DnsAnswer.Found<MxHost> f ? f.records() : List.of();
    Mailcow mc = mailcow ? Mailcow.of(domain, mxHosts) : null;

    // 1. The _mta-sts TXT record (RFC 8461 §3.1).
    Discovery discovery = s.mtaSts.discover(domain);
    String txtName = "txt-record";
    if (discovery instanceof Discovery.Found found) {
      pass(txtName, "_mta-sts." + domain + ": " + found.record().raw());
    } else if (discovery instanceof Discovery.Absent absent) {
      String what =
          switch (absent.reason()) {
            case NO_RECORD -> "no v=STSv1 TXT record at _mta-sts." + domain
                + ": senders never look for the policy, so MTA-STS is off for this domain";
            case MULTIPLE_RECORDS -> "more than one v=STSv1 record at _mta-sts." + domain
                + ": senders ignore them all (RFC 8461 section 3.1); keep exactly one";
            default -> "invalid record at _mta-sts." + domain + " (" + absent.detail()
                + "): senders ignore it, so MTA-STS is off for this domain";
          };
      fail(txtName, what + advice(mc == null ? null : mc.txtAdvice(domain, now)));
    } else {
      Discovery.DnsFailed failed = (Discovery.DnsFailed) discovery;
      fail(txtName, "DNS lookup failed: " + failed.detail() + ": senders keep using a policy they"
          + " have cached; new senders deliver without MTA-STS");
    }

    // 2. The policy host's certificate (RFC 8461 §3.3: HTTPS with a valid certificate).
    DomainName policyHost = domain.prefixed("mta-sts");
    String hostName = "policy-host-certificate";
    String fetchConsequence = ": senders cannot fetch the policy and, with none cached, deliver"
        + " without MTA-STS";
    List<TlsProbe.AtAddress> hostProbes = probe.httpsEveryAddress(policyHost, common.policyPort);
    boolean severalHosts = hostProbes.size() > 1;
    List<String> hostUnreached = new ArrayList<>();
    List<String> hostBroken = new ArrayList<>();
    TlsProbe.Tls hostSoonest = null;
    boolean mismatch = false;
    for (TlsProbe.AtAddress at : hostProbes) {
      String where = severalHosts ? " (at " + at.address().getHostAddress() + ")" : "";
      if (at.outcome() instanceof TlsProbe.Tls t && t.failure() != null) {
        mismatch |= t.failure() == ResultType.CERTIFICATE_HOST_MISMATCH;
        hostBroken.add("sts-webpki-invalid (" + t.failure().token() + ")" + where + ": "
            + t.detail());
      } else if (at.outcome() instanceof TlsProbe.Tls t) {
        if (hostSoonest == null || t.daysLeft(now) < hostSoonest.daysLeft(now)) {
          hostSoonest = t;
        }
      } else if (at.outcome() instanceof TlsProbe.SessionFailed f) {
        hostBroken.add("sts-policy-fetch-error" + where + ": " + f.detail());
      } else {
        hostUnreached.add(((TlsProbe.Unreachable) at.outcome()).detail());
      }
    }
    if (!hostBroken.isEmpty()) {
      fail(hostName, String.join("; ", hostBroken) + fetchConsequence
          + (severalHosts && hostBroken.size() < hostProbes.size()
              ? " (senders fetch from any of its addresses, so every one must pass)"
              : "")
          + advice(mc != null && mismatch ? Mailcow.SAN_ADVICE : null));
    } else if (hostSoonest == null) {
      fail(hostName, String.join("; ", hostUnreached) + fetchConsequence
          + advice(mc == null ? null : mc.policyHostAdvice(domain)));
    } else if (!hostUnreached.isEmpty()) {
      warn(hostName, hostSoonest.protocol() + ", certificate valid for " + policyHost
          + " where reached, but " + String.join("; ", hostUnreached) + ": senders that reach"
          + " that address were not checked here; run the check from a network that reaches"
          + " every address");
    } else {
      certificateTiming(hostName, hostSoonest, now, policyHost, "senders will not fetch the"
          + " policy once it has expired", mc == null ? null : Mailcow.RENEW_ADVICE);
    }

    // 3. The policy file itself.
    FetchResult fetch = s.mtaSts.fetch(domain);
    @Nullable Policy policy = null;
    String url = "https://" + policyHost + "/.well-known/mta-sts.txt";
    if (fetch instanceof FetchResult.Fetched fetched) {
      policy = fetched.policy();
      pass("policy-file", url + ": HTTP 200, text/plain, a valid policy");
      lint(fetched.body(), policy, mxHosts);
    } else {
      FetchResult.FetchFailed ff = (FetchResult.FetchFailed) fetch;
      String adv =
          mc != null && ff.failure().type() == ResultType.STS_POLICY_FETCH_ERROR
              ? "mailcow serves the policy from data/web/.well-known/mta-sts.txt in the mailcow"
                  + " folder"
              : null;
      fail("policy-file", url + ": " + ff.failure().type().token() + ": " + ff.failure().detail()
          + ": senders treat this as no policy (a cached policy keeps applying until its max_age"
          + " ends)" + advice(adv));
    }

    // 4. TLSRPT (RFC 8460 §3).
    tlsrpt(s, mc);

    // 5. MX hosts: policy coverage, STARTTLS, certificate.
    if (!(mxAnswer instanceof DnsAnswer.Found<MxHost>)) {
      String why =
          mxAnswer instanceof DnsAnswer.NotFound<MxHost> nf ? nf.detail()
              : ((DnsAnswer.Error<MxHost>) mxAnswer).detail();
      fail("mx-records", "no usable MX records (" + why + ")");
      return;
    }
    List<String> shown = new ArrayList<>();
    for (MxHost m : mxHosts) {
      shown.add(m.preference() + " " + m.host());
    }
    pass("mx-records", String.join(", ", shown));
    Set<DomainName> seen = new LinkedHashSet<>();
    for (MxHost m : mxHosts) {
      if (!seen.add(m.host())) {
        continue;
      }
      checkMx(probe, m.host(), policy, now);
    }
  }

  private void lint(String body, Policy policy, List<MxHost> mxHosts) {
    LintReport report = PolicyLint.lint(body);
    for (LintProblem e : report.errors()) {
      fail("policy-syntax", where(e) + e.message() + ": stricter senders reject the policy");
    }
    List<String> lines = body.lines().toList();
    int shown = 0;
    for (LintProblem w : report.warnings()) {
      if (coveredBelow(lines, w.line())) {
        continue;
      }
      warn("policy-syntax", where(w) + w.message());
      shown++;
    }
    if (report.errors().isEmpty() && shown == 0) {
      pass("policy-syntax", "no problems under the strict RFC 8461 section 3.2 reading");
    }
    switch (policy.mode()) {
      case ENFORCE -> pass("policy-mode", "enforce: senders deliver only over verified TLS to"
          + " the MX hosts listed");
      case TESTING -> warn("policy-mode", "testing: senders report TLS failures (TLSRPT) but"
          + " still deliver, so mail is not protected; switch to enforce once reports are"
          + " clean, and publish a new id");
      case NONE -> warn("policy-mode", "none: the policy is withdrawn; senders apply no MTA-STS");
    }
    long maxAge = policy.maxAgeSeconds();
    if (maxAge < ONE_DAY) {
      warn("policy-max-age", maxAge + " s is under a day: an attacker who blocks the policy"
          + " fetch needs to wait only that long before senders forget it; use weeks"
          + " (e.g. 604800 or more, RFC 8461 section 10.2)");
    } else {
      pass("policy-max-age", maxAge + " s (" + PolicyCommand.human(maxAge) + ")");
    }
    for (MxPattern p : policy.mx()) {
      if (!(p instanceof MxPattern.Wildcard w)) {
        continue;
      }
      List<String> covered = new ArrayList<>();
      for (MxHost m : mxHosts) {
        if (p.matches(m.host())) {
          covered.add(m.host().value());
        }
      }
      String suffix = w.suffix().value();
      boolean ownZone = domain.value().equals(suffix) || domain.value().endsWith("." + suffix);
      if (covered.isEmpty()) {
        warn("policy-wildcard", "mx: " + p.text() + " matches none of the domain's MX hosts");
      } else if (ownZone) {
        warn("policy-wildcard", "mx: " + p.text() + " accepts every host directly under "
            + suffix + ", more than needed: only " + String.join(", ", covered)
            + (covered.size() == 1 ? " receives" : " receive") + " mail; list "
            + (covered.size() == 1 ? "it" : "them") + " exactly (mx: " + covered.get(0) + ")");
      }
    }
  }

  /**
   * True when a lint warning sits on the first {@code mode} or {@code max_age} line: the
   * policy-mode and policy-max-age checks below say the same with the sender's view added.
   */
  private static boolean coveredBelow(List<String> lines, int line) {
    if (line < 1 || line > lines.size()) {
      return false;
    }
    String text = lines.get(line - 1);
    for (String key : new String[] {"mode:", "max_age:"}) {
      if (text.startsWith(key)) {
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).startsWith(key)) {
            return i == line - 1;
          }
        }
      }
    }
    return false;
  }

  private static String where(LintProblem p) {
    return p.line() == 0 ? "" : "line " + p.line() + ": ";
  }

  private void tlsrpt(Services s, @Nullable Mailcow mc) {
    DomainName name = domain.prefixed("_tls").prefixed("_smtp");
    DnsAnswer<String> answer = s.dns.txt(name);
    String adv = mc == null ? null : mc.tlsrptAdvice(domain);
    String none = ": you will not hear about senders' TLS failures (RFC 8460)";
    if (answer instanceof DnsAnswer.Error<String> e) {
      warn("tlsrpt-record", "lookup of " + name + " failed: " + e.detail());
      return;
    }
    List<String> records = new ArrayList<>();
    if (answer instanceof DnsAnswer.Found<String> f) {
      for (String r : f.records()) {
        if (r.matches("(?s)v=TLSRPTv1\\s*(;.*)?")) {
          records.add(r);
        }
      }
    }
    if (records.isEmpty()) {
      warn("tlsrpt-record", "no v=TLSRPTv1 TXT record at " + name + none + advice(adv));
    } else if (records.size() > 1) {
      warn("tlsrpt-record", records.size() + " v=TLSRPTv1 records at " + name
          + ": reporting senders ignore them all; keep exactly one");
    } else {
      String rua = null;
      for (String field : records.get(0).split(";")) {
        String f = field.trim();
        if (f.startsWith("rua=")) {
          rua = f.substring(4).trim();
        }
      }
      if (rua == null || rua.isEmpty()) {
        warn("tlsrpt-record", "the record at " + name + " has no rua= destination" + none);
      } else {
        boolean ok = true;
        for (String uri : rua.split(",")) {
          String u = uri.trim();
          ok &= u.startsWith("mailto:") || u.startsWith("https:");
        }
        if (ok) {
          pass("tlsrpt-record", "reports go to " + rua);
        } else {
          warn("tlsrpt-record", "rua=" + rua + " must list mailto: or https: URIs" + none);
        }
      }
    }
  }

  private void checkMx(TlsProbe probe, DomainName host, @Nullable Policy policy, Instant now) {
    Mode mode = policy == null ? null : policy.mode();
    if (policy != null && mode != Mode.NONE) {
      String name = "mx-in-policy:" + host;
      var match = policy.mx().stream().filter(p -> p.matches(host)).findFirst();
      if (match.isPresent()) {
        pass(name, "matches mx: " + match.get().text());
      } else if (mode == Mode.ENFORCE) {
        fail(name, host + " is not covered by the policy: senders enforcing MTA-STS never"
            + " deliver to it (validation-failure); add an mx line for it");
      } else {
        warn(name, host + " is not covered by the policy: under testing senders deliver but"
            + " report it; under enforce they would never deliver to it; add an mx line for it");
      }
    }
    String name = "mx-tls:" + host;
    List<TlsProbe.AtAddress> probed = probe.smtpEveryAddress(host, common.smtpPort);
    boolean several = probed.size() > 1;
    List<String> unreached = new ArrayList<>();
    List<String> broken = new ArrayList<>();
    TlsProbe.Tls soonest = null;
    boolean sessionsOnly = true; // every broken address failed before TLS, not at it
    for (TlsProbe.AtAddress at : probed) {
      String where = several ? " (at " + at.address().getHostAddress() + ")" : "";
      TlsProbe.Outcome o = at.outcome();
      if (o instanceof TlsProbe.Unreachable u) {
        unreached.add(u.detail());
      } else if (o instanceof TlsProbe.SessionFailed f) {
        broken.add("no SMTP session" + where + ": " + f.detail());
      } else if (o instanceof TlsProbe.NoStarttls n) {
        sessionsOnly = false;
        broken.add("starttls-not-supported" + where + ": " + n.detail());
      } else {
        TlsProbe.Tls t = (TlsProbe.Tls) o;
        if (t.failure() != null) {
          sessionsOnly = false;
          broken.add(t.failure().token() + where + ": " + t.detail());
        } else if (soonest == null || t.daysLeft(now) < soonest.daysLeft(now)) {
          soonest = t;
        }
      }
    }
    if (!broken.isEmpty()) {
      String consequence = sessionsOnly
          ? "senders that reach it cannot deliver there; they try the next MX and retry later"
          : senderAction(mode);
      fail(name, String.join("; ", broken) + ": " + consequence
          + (several && broken.size() < probed.size()
              ? " (senders reach any of its addresses, so every one must pass)"
              : ""));
    } else if (soonest == null) {
      fail(name, String.join("; ", unreached) + ": senders try the next MX and retry later (if"
          + " outbound port " + common.smtpPort + " is blocked where you run this check, run it"
          + " from elsewhere)");
    } else if (!unreached.isEmpty()) {
      warn(name, soonest.protocol() + ", certificate valid for " + host + " where reached, but "
          + String.join("; ", unreached) + ": senders that reach that address were not checked"
          + " here; run the check from a network that reaches every address");
    } else {
      certificateTiming(name, soonest, now, host,
          "senders enforcing MTA-STS will stop delivering once it has expired", null);
    }
  }

  private void certificateTiming(String name, TlsProbe.Tls t, Instant now, DomainName host,
      String consequence, @Nullable String adv) {
    long days = t.daysLeft(now);
    String until = t.leaf() == null ? "" : LocalDate.ofInstant(t.leaf().getNotAfter().toInstant(),
        ZoneOffset.UTC).toString();
    String base = t.protocol() + ", certificate valid for " + host + ", expires " + until;
    if (days < EXPIRY_WARN_DAYS) {
      warn(name, base + ", in " + days + " day" + (days == 1 ? "" : "s") + ": renew it soon; "
          + consequence + advice(adv));
    } else {
      pass(name, base + " (in " + days + " days)");
    }
  }

  private static String senderAction(@Nullable Mode mode) {
    if (mode == Mode.ENFORCE) {
      return "under this enforce policy senders will not deliver to this host";
    }
    if (mode == Mode.TESTING) {
      return "under this testing policy senders deliver anyway and report it; under enforce they"
          + " would not deliver";
    }
    return "with an enforce policy senders would not deliver to this host";
  }

  private static String advice(@Nullable String advice) {
    return advice == null ? "" : ". Fix: " + advice;
  }

  /**
   * The mailcow guide's layout: the mailcow server is the first MX, its parent domain is the
   * primary domain, and every other domain delegates its MTA-STS names to the primary by CNAME.
   */
  record Mailcow(DomainName host, @Nullable DomainName primary) {
    static final String SAN_ADVICE = "in mailcow.conf set ADDITIONAL_SAN=mta-sts.* and"
        + " ADDITIONAL_SERVER_NAMES=mta-sts.*, run 'docker compose up -d', and once DNS has"
        + " propagated 'docker compose restart acme-mailcow'";
    static final String RENEW_ADVICE = "acme-mailcow renews certificates itself; if it did not,"
        + " check its logs and run 'docker compose restart acme-mailcow'";

    static @Nullable Mailcow of(DomainName domain, List<MxHost> mx) {
      if (mx.isEmpty()) {
        return null;
      }
      DomainName host = mx.get(0).host();
      String v = host.value();
      int dot = v.indexOf('.');
      DomainName primary = dot > 0 && v.indexOf('.', dot + 1) > 0
          ? DomainName.of(v.substring(dot + 1)) : null;
      return new Mailcow(host, primary);
    }

    boolean isExtra(DomainName d) {
      return primary != null && !primary.equals(d);
    }

    String txtAdvice(DomainName d, Instant now) {
      if (isExtra(d)) {
        return "add the record  _mta-sts." + d + ". IN CNAME _mta-sts." + primary + ".";
      }
      return "add the record  _mta-sts." + d + ". IN TXT \"v=STSv1; id="
          + java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'", Locale.ROOT)
              .withZone(ZoneOffset.UTC).format(now) + "\"";
    }

    String policyHostAdvice(DomainName d) {
      return "add the record  mta-sts." + d + ". IN CNAME " + host + ".  (and make sure"
          + " ADDITIONAL_SAN=mta-sts.* is in mailcow.conf)";
    }

    String tlsrptAdvice(DomainName d) {
      if (isExtra(d)) {
        return "add the record  _smtp._tls." + d + ". IN CNAME _smtp._tls." + primary + ".";
      }
      return "add the record  _smtp._tls." + d + ". IN TXT \"v=TLSRPTv1; rua=mailto:tls-reports@"
          + d + "\"";
    }
  }
}
