package io.github.mtasts4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The strict, publisher-side reading (RFC 8461 §3.2 ABNF, checklist STS-33..44). */
class PolicyLintTest {

  private static final String CLEAN =
      "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n";

  @Test
  void lint_cleanPolicy_noErrorsNoWarnings() {
    LintReport r = PolicyLint.lint(CLEAN);
    assertThat(r.valid()).isTrue();
    assertThat(r.errors()).isEmpty();
    assertThat(r.warnings()).isEmpty();
    assertThat(r.policy()).isEqualTo(Policy.parse(CLEAN));
  }

  static Stream<String> harmlessVariants() {
    return Stream.of(
        CLEAN.replace("\n", "\r\n"),
        CLEAN.strip(),
        CLEAN.replace("\n", "\r\n").strip(),
        "version: STSv1\r\nmode: enforce\nmx: mail.example.com\r\nmax_age: 604800",
        "version:STSv1\nmode:\tenforce\nmx:  mail.example.com  \nmax_age: 604800\t\n",
        "max_age: 604800\nmx: mail.example.com\nmode: enforce\nversion: STSv1\n",
        CLEAN + "comment: café au lait\n",
        CLEAN + "x-note: has  inner spaces\n",
        CLEAN + "ext.1_a-b: v\n",
        CLEAN.replace("mail.example.com", "MAIL.Example.COM"));
  }

  @ParameterizedTest
  @MethodSource("harmlessVariants")
  void lint_lineEndsOrderCaseOfHostsOrExtensions_noErrorsNoWarnings(String body) {
    LintReport r = PolicyLint.lint(body);
    assertThat(r.errors()).isEmpty();
    assertThat(r.warnings()).isEmpty();
    assertThat(r.policy()).isNotNull();
  }

  /** Rows: name, body, expected error lines, sender accepts. */
  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("blank line in the middle", "version: STSv1\n\nmode: enforce\n"
            + "mx: a.example\nmax_age: 604800", List.of(2), true),
        Arguments.of("blank line at the end", CLEAN + "\n", List.of(5), true),
        Arguments.of("whitespace-only line at the end", CLEAN + "   ", List.of(5), true),
        Arguments.of("leading whitespace", "version: STSv1\n mode: enforce\nmx: a.example\n"
            + "max_age: 604800", List.of(2), true),
        Arguments.of("comment line", "# MTA-STS\n" + CLEAN, List.of(1), false),
        Arguments.of("BOM", "\uFEFF" + CLEAN, List.of(1), true),
        Arguments.of("lone CR", "version: STSv1\rmode: enforce\nmx: a.example\nmax_age: 604800",
            List.of(1, 1, 0), false),
        Arguments.of("space before colon", "version : STSv1\nmode: enforce\nmx: a.example\n"
            + "max_age: 604800", List.of(1), true),
        Arguments.of("no colon", CLEAN + "---\n", List.of(5), false),
        Arguments.of("mode Enforce", "version: STSv1\nmx: a.example\nmode: Enforce\n"
            + "max_age: 604800", List.of(3), false),
        Arguments.of("version STSv2", "version: STSv2\nmode: enforce\nmx: a.example\n"
            + "max_age: 604800", List.of(1), false),
        Arguments.of("key in wrong case", "version: STSv1\nMode: enforce\nmx: a.example\n"
            + "max_age: 604800", List.of(2, 0), false),
        Arguments.of("max_age above the limit", "version: STSv1\nmode: enforce\n"
            + "mx: a.example\nmax_age: 31557601", List.of(4), true),
        Arguments.of("max_age 11 digits", "version: STSv1\nmode: enforce\nmx: a.example\n"
            + "max_age: 12345678901", List.of(4), false),
        Arguments.of("max_age empty", "version: STSv1\nmode: enforce\nmx: a.example\n"
            + "max_age:", List.of(4), false),
        Arguments.of("mx trailing dot", "version: STSv1\nmode: enforce\nmx: a.example.\n"
            + "max_age: 604800", List.of(3), true),
        Arguments.of("mx trailing dot among good", "version: STSv1\nmode: enforce\n"
            + "mx: a.example\nmx: b.example.\nmax_age: 604800", List.of(4), true),
        Arguments.of("mx U-label", "version: STSv1\nmode: enforce\nmx: møx.example\n"
            + "max_age: 604800", List.of(3, 0), false),
        Arguments.of("mx underscore", "version: STSv1\nmode: enforce\nmx: a_b.example\n"
            + "max_age: 604800", List.of(3, 0), false),
        Arguments.of("mx lone dot", "version: STSv1\nmode: testing\nmx: .\nmax_age: 604800",
            List.of(3, 0), false),
        Arguments.of("mx list", "version: STSv1\nmode: enforce\nmx: a.example, b.example\n"
            + "max_age: 604800", List.of(3, 0), false),
        Arguments.of("non-ASCII in mode", "version: STSv1\nmode: enforce\u00a0\nmx: a.example\n"
            + "max_age: 604800", List.of(2, 2), false),
        Arguments.of("extension without value", CLEAN + "note:", List.of(5), true),
        Arguments.of("extension with control char", CLEAN + "note: a\tb", List.of(5), true),
        Arguments.of("invalid field name", CLEAN + "_note: x", List.of(5), false),
        Arguments.of("missing everything", "", List.of(0, 0, 0, 0), false),
        Arguments.of("enforce without mx", "version: STSv1\nmode: enforce\nmax_age: 604800",
            List.of(0), false),
        Arguments.of("typo nmx", "version: STSv1\nmode: enforce\nnmx: a.example\n"
            + "max_age: 604800", List.of(0), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void lint_deviation_errorOnItsLine(String name, String body, List<Integer> lines,
      boolean senderAccepts) {
    LintReport r = PolicyLint.lint(body);
    assertThat(r.valid()).isFalse();
    assertThat(r.errors()).extracting(LintProblem::line).containsExactlyElementsOf(lines);
    assertThat(r.policy() != null).as("sender reading").isEqualTo(senderAccepts);
  }

  @Test
  void lint_badMode_messageForAnAdmin() {
    LintReport r = PolicyLint.lint("version: STSv1\nmx: a.example\nmode: Enforce\n"
        + "max_age: 604800");
    assertThat(r.errors()).hasSize(1);
    assertThat(r.errors().get(0).toString()).isEqualTo("line 3: \"mode: Enforce\" — mode must be"
        + " exactly enforce, testing or none (case-sensitive)");
  }

  @Test
  void lint_uLabel_suggestsALabel() {
    LintReport r = PolicyLint.lint("version: STSv1\nmode: enforce\nmx: Ñaca.com\n"
        + "max_age: 604800");
    assertThat(r.errors().get(0).message()).contains("A-label").contains("xn--aca-6ma.com");
  }

  @Test
  void lint_maxAgeAboveLimit_senderCaps() {
    LintReport r = PolicyLint.lint("version: STSv1\nmode: enforce\nmx: a.example\n"
        + "max_age: 99999999");
    assertThat(r.errors()).singleElement().extracting(LintProblem::message).asString()
        .contains("31557600");
    assertThat(r.policy()).isNotNull();
    assertThat(r.policy().maxAgeSeconds()).isEqualTo(Policy.MAX_AGE_LIMIT);
  }

  /** Rows: name, body, expected warning lines. */
  static Stream<Arguments> warnings() {
    String base = "version: STSv1\nmode: enforce\n";
    return Stream.of(
        Arguments.of("short max_age", base + "mx: a.example\nmax_age: 3600", List.of(4)),
        Arguments.of("max_age 0", base + "mx: a.example\nmax_age: 0", List.of(4)),
        Arguments.of("max_age one day is fine", base + "mx: a.example\nmax_age: 86400",
            List.of()),
        Arguments.of("testing", "version: STSv1\nmode: testing\nmx: a.example\nmax_age: 86400",
            List.of(2)),
        Arguments.of("*.com", base + "mx: *.com\nmax_age: 86400", List.of(3)),
        Arguments.of("*.co.uk", base + "mx: *.co.uk\nmax_age: 86400", List.of(3)),
        Arguments.of("*.example.com is fine", base + "mx: *.example.com\nmax_age: 86400",
            List.of()),
        Arguments.of("*.example.co.uk is fine", base + "mx: *.example.co.uk\nmax_age: 86400",
            List.of()),
        Arguments.of("duplicate mode", base + "mode: testing\nmx: a.example\nmax_age: 86400",
            List.of(3)),
        Arguments.of("duplicate malformed max_age", base + "mx: a.example\nmax_age: 86400\n"
            + "max_age: x", List.of(5)),
        Arguments.of("duplicate extension", base + "mx: a.example\nmax_age: 86400\nn: 1\nn: 2",
            List.of(6)),
        Arguments.of("duplicate mx", base + "mx: a.example\nmx: A.example\nmax_age: 86400",
            List.of(4)),
        Arguments.of("none without mx", "version: STSv1\nmode: none\nmax_age: 86400", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("warnings")
  void lint_riskyChoice_warningOnItsLineButValid(String name, String body, List<Integer> lines) {
    LintReport r = PolicyLint.lint(body);
    assertThat(r.errors()).isEmpty();
    assertThat(r.warnings()).extracting(LintProblem::line).containsExactlyElementsOf(lines);
    assertThat(r.policy()).isNotNull();
  }

  @Test
  void lint_trailingDotPattern_errorButStillCountsAndIsChecked() {
    LintReport r = PolicyLint.lint("version: STSv1\nmode: enforce\nmx: *.com.\n"
        + "mx: x.COM\nmx: x.com.\nmax_age: 86400");
    assertThat(r.errors()).extracting(LintProblem::line).containsExactly(3, 5);
    assertThat(r.warnings()).extracting(LintProblem::line).containsExactly(3, 5);
    assertThat(r.policy()).isNotNull();
    assertThat(r.policy().mx()).extracting(MxPattern::text)
        .containsExactly("*.com", "x.com", "x.com");
  }

  @Test
  void lint_garbage_neverThrows() {
    String junk = "\u0000\uFFFF:\n::\r\r\n\uD800: x\n" + "a".repeat(70_000);
    LintReport r = PolicyLint.lint(junk);
    assertThat(r.valid()).isFalse();
    assertThat(r.policy()).isNull();
  }
}
