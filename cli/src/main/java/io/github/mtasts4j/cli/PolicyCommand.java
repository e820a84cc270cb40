package io.github.mtasts4j.cli;

import io.github.mtasts4j.Discovery;
import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Failure;
import io.github.mtasts4j.MxPattern;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.PolicyRecord;
import io.github.mtasts4j.Resolution;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code policy DOMAIN}: discovers and fetches a domain's policy, through the cache. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = {
      "Discover and fetch DOMAIN's MTA-STS policy (through the cache when --state-dir is given).",
      "Exit 0 when a policy is in effect (any mode), 1 when none is, 2 on a usage error."
    })
final class PolicyCommand extends BaseCommand {

  @Parameters(paramLabel = "DOMAIN", converter = Converters.Domain.class, description = "The"
      + " recipient (Policy) domain.")
  DomainName domain;

  /** JSON shape of {@code policy}. */
  record PolicyOutput(
      String domain,
      Json.@Nullable RecordView record,
      Json.@Nullable PolicyView policy,
      String source,
      Json.@Nullable ErrorView error) {}

  @Override
  public Integer call() {
    try (Services services = new Services(common)) {
      Resolution resolution = services.policySource().resolve(domain);
      // The record shown is looked up on its own, unless that lookup has just failed: asking
      // again would only wait as long again (an unreachable resolver).
      boolean txtFailed =
          resolution instanceof Resolution.NoPolicy none
              && none.reason() == Resolution.NoPolicy.Reason.DNS_FAILURE;
      @Nullable PolicyRecord record =
          !txtFailed && services.mtaSts.discover(domain) instanceof Discovery.Found found
              ? found.record()
              : null;
      PolicyOutput view = view(domain, record, resolution);
      if (common.json) {
        printJson(view);
      } else {
        printHuman(view, resolution);
      }
      return resolution instanceof Resolution.Active ? ExitCodes.OK : ExitCodes.NEGATIVE;
    }
  }

  static PolicyOutput view(
      DomainName domain, @Nullable PolicyRecord record, Resolution resolution) {
    Json.RecordView rv = record == null ? null : Json.RecordView.of(record);
    if (resolution instanceof Resolution.Active a) {
      Failure cause = a.fallbackCause();
      return new PolicyOutput(
          domain.value(),
          rv,
          Json.PolicyView.of(a.policy()),
          a.source().token(),
          cause == null ? null : Json.ErrorView.of(cause));
    }
    if (resolution instanceof Resolution.Failed f) {
      return new PolicyOutput(domain.value(), rv, null, "none", Json.ErrorView.of(f.failure()));
    }
    Resolution.NoPolicy n = (Resolution.NoPolicy) resolution;
    return new PolicyOutput(
        domain.value(), rv, null, "none", new Json.ErrorView(noPolicyType(n.reason()), n.detail()));
  }

  /**
   * RFC 8460 has no result type for "no usable record"; these tokens name the case (its
   * {@code no-policy-found} policy type for the plain absence).
   */
  static String noPolicyType(Resolution.NoPolicy.Reason reason) {
    return switch (reason) {
      case NO_RECORD -> "no-policy-found";
      case MULTIPLE_RECORDS -> "multiple-records";
      case INVALID_RECORD -> "invalid-record";
      case DNS_FAILURE -> "dns-error";
    };
  }

  private void printHuman(PolicyOutput v, Resolution resolution) {
    var out = out();
    if (!(resolution instanceof Resolution.Active a)) {
      out.println(v.domain() + ": no MTA-STS policy in effect: " + v.error().type() + ": "
          + v.error().detail());
      if (resolution instanceof Resolution.Failed) {
        out.println("  senders deliver as if the domain had no MTA-STS (RFC 8461 section 3.3)");
      }
      return;
    }
    Policy p = a.policy();
    Text.Table t = Text.Table.noHeader(2);
    t.row("domain", v.domain());
    t.row("record", v.record() == null ? "(none found now)" : v.record().raw());
    t.row("id", a.policyId());
    t.row("mode", p.mode().token());
    t.row("max_age", p.maxAgeSeconds() + " (" + human(p.maxAgeSeconds()) + ")");
    for (MxPattern m : p.mx()) {
      t.row("mx", m.text());
    }
    t.row("source", v.source());
    t.row("fetched", a.fetchedAt() + ", in effect until " + a.expiresAt());
    if (v.error() != null) {
      t.row("note", "live policy unavailable, using the cached one: " + v.error().type() + ": "
          + v.error().detail());
    }
    t.print(out, "");
  }

  static String human(long seconds) {
    if (seconds >= 86_400) {
      return unit(seconds / 86_400.0, "day");
    }
    if (seconds >= 3600) {
      return unit(seconds / 3600.0, "hour");
    }
    return unit(seconds, "second");
  }

  private static String unit(double value, String unit) {
    String n = String.format(Locale.ROOT, "%.1f", value);
    if (n.endsWith(".0")) {
      n = n.substring(0, n.length() - 2);
    }
    return n + " " + unit + (n.equals("1") ? "" : "s");
  }
}
