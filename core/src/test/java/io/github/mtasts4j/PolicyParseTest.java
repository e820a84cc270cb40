package io.github.mtasts4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The sender's reading; item numbers refer to anchors.md §3.3. */
class PolicyParseTest {

  private static final String GOOD = "version: STSv1\nmode: enforce\nmx: mail.loc\nmax_age: 86400";

  private static Policy policy(Mode mode, long maxAge, String... mx) {
    return new Policy(mode, maxAge, Stream.of(mx).map(MxPattern::parse).toList());
  }

  static Stream<Arguments> validPolicies() {
    return Stream.of(
        Arguments.of("34: no final newline", GOOD, policy(Mode.ENFORCE, 86400, "mail.loc")),
        Arguments.of("final LF", GOOD + "\n", policy(Mode.ENFORCE, 86400, "mail.loc")),
        Arguments.of("CRLF", GOOD.replace("\n", "\r\n") + "\r\n",
            policy(Mode.ENFORCE, 86400, "mail.loc")),
        Arguments.of("41: none without mx", "version: STSv1\nmode: none\nmax_age: 86400",
            policy(Mode.NONE, 86400)),
        Arguments.of("41: no space after colon", "version:STSv1\nmode:none\nmax_age:8600",
            policy(Mode.NONE, 8600)),
        Arguments.of("none keeps its mx", "version: STSv1\nmode: none\nmx: a.example\nmax_age: 1",
            policy(Mode.NONE, 1, "a.example")),
        Arguments.of("42: mixed line ends, tabs, extension with spaces",
            "version:STSv1\r\nmode:\tenforce\r\nmx:  \t\t *.example.com\nmax_age: 1\n"
                + "more:ext e  ns ion",
            policy(Mode.ENFORCE, 1, "*.example.com")),
        Arguments.of("43: trailing WSP, max_age 0",
            "version: STSv1\nmode: enforce\t\nmx: *.example.com \nmax_age: 0 \n",
            policy(Mode.ENFORCE, 0, "*.example.com")),
        Arguments.of("43 (STS-43 example)",
            "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\n"
                + "mx: backupmx.example.com\nmax_age: 604800\n",
            policy(Mode.ENFORCE, 604800, "mail.example.com", "*.example.net",
                "backupmx.example.com")),
        Arguments.of("49: first mode wins",
            "version: STSv1\nmode: enforce\nmode: testing\nmode: none\nmx: a.b\nmax_age: 5",
            policy(Mode.ENFORCE, 5, "a.b")),
        Arguments.of("STS-41: later malformed duplicates ignored",
            "version: STSv1\nversion: STSv2\nmode: testing\nmode: Bad\nmx: a.b\n"
                + "max_age: 5\nmax_age: x",
            policy(Mode.TESTING, 5, "a.b")),
        Arguments.of("38: above the limit is capped",
            "version: STSv1\nmode: enforce\nmx: a.b\nmax_age: 31557601",
            policy(Mode.ENFORCE, Policy.MAX_AGE_LIMIT, "a.b")),
        Arguments.of("10 digits, capped",
            "version: STSv1\nmode: enforce\nmx: a.b\nmax_age: 9999999999",
            policy(Mode.ENFORCE, Policy.MAX_AGE_LIMIT, "a.b")),
        Arguments.of("the limit itself",
            "version: STSv1\nmode: enforce\nmx: a.b\nmax_age: 31557600",
            policy(Mode.ENFORCE, 31557600, "a.b")),
        Arguments.of("leading zeros", "version: STSv1\nmode: enforce\nmx: a.b\nmax_age: 0086400",
            policy(Mode.ENFORCE, 86400, "a.b")),
        Arguments.of("STS-44: blank lines, indentation, trailing blank line",
            "\n  version: STSv1\n\n\tmode: testing  \n   mx: a.b\nmax_age: 7\n\n  \n",
            policy(Mode.TESTING, 7, "a.b")),
        Arguments.of("STS-44: space before colon", "version : STSv1\nmode  :enforce\nmx: a.b\n"
            + "max_age: 7", policy(Mode.ENFORCE, 7, "a.b")),
        Arguments.of("BOM tolerated", "\uFEFF" + GOOD, policy(Mode.ENFORCE, 86400, "mail.loc")),
        Arguments.of("field order free, extensions ignored",
            "max_age: 9\nmx: B.example\nx-note: café au lait\nmode: enforce\nlayout: null\n"
                + "version: STSv1\nmx: *.C.example.",
            policy(Mode.ENFORCE, 9, "b.example", "*.c.example")),
        Arguments.of("uppercase mx lowered", "version: STSv1\nmode: enforce\n"
            + "mx: ASPMX.L.GOOGLE.COM\nmax_age: 1", policy(Mode.ENFORCE, 1, "aspmx.l.google.com")),
        Arguments.of("extension value with colon", GOOD + "\nnote: see https://x.example/a",
            policy(Mode.ENFORCE, 86400, "mail.loc")),
        Arguments.of("trailing dot in mx tolerated (STS-57)",
            "version: STSv1\nmode: testing\nmx: mail.tutanota.de.\nmax_age: 604800",
            policy(Mode.TESTING, 604800, "mail.tutanota.de")),
        Arguments.of("duplicate mx kept", "version: STSv1\nmode: testing\nmx: a.b\nmx: a.b\n"
            + "max_age: 1", policy(Mode.TESTING, 1, "a.b", "a.b")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validPolicies")
  void parse_validPolicy_givesExpectedPolicy(String name, String body, Policy expected) {
    assertThat(Policy.parse(body)).isEqualTo(expected);
  }

  /** Rows: name, body, the line numbers of the expected problems (0 = whole text). */
  static Stream<Arguments> invalidPolicies() {
    String head = "version: STSv1\nmode: enforce\nmax_age: 86400\n";
    return Stream.of(
        Arguments.of("35: garbage", "garbage", List.of(1, 0, 0, 0, 0)),
        Arguments.of("empty body", "", List.of(0, 0, 0, 0)),
        Arguments.of("36: enforce without mx", "version: STSv1\nmode: enforce\nmax_age: 86400",
            List.of(0)),
        Arguments.of("36: testing without mx", "version:STSv1\nmax_age:0\nmode:testing",
            List.of(0)),
        Arguments.of("37: max_age xxx", "version: STSv1\nmode: enforce\nmx: a.b\nmax_age: xxx",
            List.of(4)),
        Arguments.of("37: max_age a", "version: STSv1\nmode: enforce\nmx: a.b\nmax_age:a",
            List.of(4)),
        Arguments.of("39: no mode", "version: STSv1\nmx: a.b\nmax_age: 1", List.of(0)),
        Arguments.of("40: mode doubt", "version: STSv1\nmode: doubt\nmx: a.b\nmax_age: 1",
            List.of(2)),
        Arguments.of("40: mode Enforce", "version: STSv1\nmode: Enforce\nmx: a.b\nmax_age: 1",
            List.of(2)),
        Arguments.of("mode [testing]", "version: STSv1\nmode: [testing]\nmx: a.b\nmax_age: 1",
            List.of(2)),
        Arguments.of("44: 11 digits", "version: STSv1\nmode: enforce\nmx: a.b\n"
            + "max_age:01234567890", List.of(4)),
        Arguments.of("negative max_age", "version: STSv1\nmode: enforce\nmx: a.b\nmax_age: -1",
            List.of(4)),
        Arguments.of("53: empty max_age", "version: STSv1\nmode: enforce\nmx: a.b\nmax_age:",
            List.of(4)),
        Arguments.of("max_age with comment", "version: STSv1\nmode: enforce\nmx: a.b\n"
            + "max_age: 604800 # one week", List.of(4)),
        Arguments.of("45: empty mx", head + "mx:", List.of(4, 0)),
        Arguments.of("45: *.*.example", head + "mx: *.*.example", List.of(4, 0)),
        Arguments.of("45: **.example", head + "mx: **.example", List.of(4, 0)),
        Arguments.of("45: **.example-", head + "mx: **.example-", List.of(4, 0)),
        Arguments.of("45: test.example-", head + "mx: test.example-", List.of(4, 0)),
        Arguments.of("46: U-label", head + "mx: møx.example", List.of(4, 0)),
        Arguments.of("one bad mx among good ones", head + "mx: good.example\nmx: bad_x.example",
            List.of(5)),
        Arguments.of("mx list with comma", head + "mx: a.example, b.example", List.of(4, 0)),
        Arguments.of("48-like: no-colon line", "version: STSv1\n---\nmode: enforce\nmx: a.b\n"
            + "max_age: 1", List.of(2)),
        Arguments.of("comment line", "# policy\n" + head + "mx: a.b", List.of(1)),
        Arguments.of("50: IP address", head + "mx: 1.2.3.4", List.of(4, 0)),
        Arguments.of("50: 127.0.0.1", head + "mx: 127.0.0.1", List.of(4, 0)),
        Arguments.of("50: *.1.2.3.4", head + "mx: *.1.2.3.4", List.of(4, 0)),
        Arguments.of("51: typo nmx", "version: STSv1\nmode: enforce\nnmx: mx0.sc-host.de\n"
            + "max_age: 86400", List.of(0)),
        Arguments.of("52: wildcard not left-most", head
            + "mx: service-alpha-inbound-*.mimecast.com", List.of(4, 0)),
        Arguments.of("version STSv2", "version: STSv2\nmode: none\nmax_age: 1", List.of(1)),
        Arguments.of("version stsv1", "version: stsv1\nmode: none\nmax_age: 1", List.of(1)),
        Arguments.of("Version key case", "Version: STSv1\nmode: none\nmax_age: 1", List.of(0)),
        Arguments.of("MODE key case", "version: STSv1\nMODE: none\nmax_age: 1", List.of(0, 0)),
        Arguments.of("invalid field name", "version: STSv1\n_x: 1\nmode: none\nmax_age: 1",
            List.of(2)),
        Arguments.of("no version", "mode: none\nmax_age: 1", List.of(0)),
        Arguments.of("no max_age", "version: STSv1\nmode: none", List.of(0)),
        Arguments.of("inline comment on mode", "version: STSv1\nmode: enforce # on\nmx: a.b\n"
            + "max_age: 1", List.of(2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPolicies")
  void parse_invalidPolicy_listsEveryProblemWithLine(String name, String body,
      List<Integer> lines) {
    assertThatThrownBy(() -> Policy.parse(body))
        .isInstanceOfSatisfying(InvalidPolicyException.class,
            e -> assertThat(e.problems()).extracting(LintProblem::line)
                .containsExactlyElementsOf(lines));
  }

  @Test
  void parse_badMode_messageQuotesLineAndAllowedValues() {
    assertThatThrownBy(() -> Policy.parse("version: STSv1\nmode: Enforce\nmx: a.b\nmax_age: 1"))
        .hasMessageContaining("line 2: \"mode: Enforce\"")
        .hasMessageContaining("enforce, testing or none");
  }

  @Test
  void parse_typoMx_reportsMissingMxNotEmptyMatchList() {
    assertThatThrownBy(() -> Policy.parse("version: STSv1\nmode: enforce\nnmx: mx0.sc-host.de\n"
        + "max_age: 86400"))
        .hasMessageContaining("mx");
  }

  @Test
  void matches_anyPattern_true() {
    Policy p = Policy.parse("version: STSv1\nmode: enforce\nmx: mail.example.com\n"
        + "mx: *.example.net\nmax_age: 1");
    assertThat(p.matches(DomainName.of("MAIL.example.com."))).isTrue();
    assertThat(p.matches(DomainName.of("x.example.net"))).isTrue();
    assertThat(p.matches(DomainName.of("y.x.example.net"))).isFalse();
    assertThat(p.matches(DomainName.of("example.net"))).isFalse();
  }

  @Test
  void matches_modeNone_isPureAndIgnoresMode() {
    assertThat(Policy.parse("version: STSv1\nmode: none\nmax_age: 1")
        .matches(DomainName.of("a.b"))).isFalse();
  }

  @Test
  void lines_canonicalOrderAndSpelling() {
    Policy p = Policy.parse("max_age: 0086400\r\nmx: *.Example.NET.\nmode: testing\n"
        + "ext: 1\nversion: STSv1\nmx: MAIL.example.com");
    assertThat(p.lines()).containsExactly("version: STSv1", "mode: testing",
        "mx: *.example.net", "mx: mail.example.com", "max_age: 86400");
    assertThat(p.toText()).isEqualTo("version: STSv1\r\nmode: testing\r\nmx: *.example.net\r\n"
        + "mx: mail.example.com\r\nmax_age: 86400\r\n");
  }

  @Test
  void parse_toText_roundTrips() {
    Policy p = policy(Mode.ENFORCE, 31557600, "a.example", "*.b.example");
    assertThat(Policy.parse(p.toText())).isEqualTo(p);
  }

  @Test
  void constructor_invalidComponents_throw() {
    List<MxPattern> mx = List.of(MxPattern.parse("a.b"));
    assertThatThrownBy(() -> new Policy(Mode.ENFORCE, -1, mx))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Policy(Mode.ENFORCE, Policy.MAX_AGE_LIMIT + 1, mx))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Policy(Mode.TESTING, 1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Policy(null, 1, mx)).isInstanceOf(NullPointerException.class);
    assertThat(new Policy(Mode.NONE, 0, List.of()).mx()).isEmpty();
  }

  @Test
  void maxAge_isDuration() {
    assertThat(policy(Mode.NONE, 86400).maxAge()).hasDays(1);
  }
}
