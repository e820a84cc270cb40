package io.github.mtasts4j.cli;

import io.github.mtasts4j.LintProblem;
import io.github.mtasts4j.LintReport;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.PolicyLint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lint FILE}: validates a policy file before it is published (RFC 8461 §3.2). */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    description = {
      "Validate a policy file (mta-sts.txt) before publishing it, as RFC 8461 section 3.2"
          + " defines it. No network.",
      "Exit 0 when valid, 1 when not, 2 on a usage error."
    })
final class LintCommand extends BaseCommand {

  /** Policy hosts may serve at most 64 KiB; anything far bigger is not a policy file. */
  private static final int LIMIT = 1 << 20;

  @Parameters(paramLabel = "FILE", description = "The policy file to check.")
  Path file;

  /** JSON shape of {@code lint}. */
  record LintView(
      boolean valid,
      Json.PolicyView policy,
      List<Json.ProblemView> errors,
      List<Json.ProblemView> warnings) {}

  @Override
  public Integer call() {
    String body = Files2.readText(file, LIMIT);
    LintReport report = PolicyLint.lint(body);
    if (common.json) {
      printJson(
          new LintView(
              report.valid(),
              report.valid() ? Json.PolicyView.of(report.policy()) : null,
              Json.ProblemView.of(report.errors()),
              Json.ProblemView.of(report.warnings())));
    } else {
      printHuman(report);
    }
    return report.valid() ? ExitCodes.OK : ExitCodes.NEGATIVE;
  }

  private void printHuman(LintReport report) {
    var out = out();
    if (report.valid()) {
      Policy p = report.policy();
      String summary =
          p == null
              ? ""
              : " (mode " + p.mode().token() + ", max_age " + p.maxAgeSeconds() + ", "
                  + p.mx().size() + " mx)";
      out.println(file + ": valid" + summary
          + (report.warnings().isEmpty() ? "" : ", " + report.warnings().size() + " warning(s)"));
    } else {
      out.println(file + ": INVALID, " + report.errors().size()
          + " error(s) under RFC 8461 section 3.2: senders may treat it as no policy"
          + " (sts-policy-invalid)");
    }
    List<Object[]> rows = new ArrayList<>();
    for (LintProblem e : report.errors()) {
      rows.add(new Object[] {"error", line(e), e.message()});
    }
    for (LintProblem w : report.warnings()) {
      rows.add(new Object[] {"warning", line(w), w.message()});
    }
    if (!rows.isEmpty()) {
      Text.Table t = new Text.Table("LEVEL", "LINE", "PROBLEM");
      rows.forEach(t::row);
      t.print(out, "  ");
    }
  }

  private static String line(LintProblem p) {
    return p.line() == 0 ? "-" : Integer.toString(p.line());
  }
}
