package io.github.mtasts4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one-pass mx reading that the policy parser runs in place on the body, and the trusted path
 * it builds names through: same verdicts and messages as {@link MxPattern#parse(String)}, only
 * canonical names vouched for, public constructors still strict.
 */
class MxPatternParserTest {

  private static String policyWith(String... mx) {
    StringBuilder b = new StringBuilder("version: STSv1\nmode: enforce\n");
    for (String m : mx) {
      b.append("mx: ").append(m).append('\n');
    }
    return b.append("max_age: 86400\n").toString();
  }

  /** One row per kind of problem: the value and the whole message after the quoted value. */
  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "``|it is empty",
        ".|it is empty",
        "*|a bare '*' is not allowed; write *.example.com",
        "*.|a bare '*' is not allowed; write *.example.com",
        "*x.example|'*' must be the whole first label, followed by '.'",
        "*..|'*.' must be followed by a domain name",
        "a..example|it has an empty label",
        "-a.example|label \"-a\" starts or ends with '-'",
        "mail.example-.|label \"example-\" starts or ends with '-'",
        "a.*.example|'*' is only allowed as the whole first label (*.example.com)",
        "bücher.example|it contains non-ASCII characters; write the name in A-label (xn--) form",
        "mx_1.example|'_' is not allowed in a host name",
        "a.example,b.example|it contains ','; list each pattern on its own mx line",
        "mail example|it contains a space; only letters, digits, '-' and '.' are allowed",
        "mail.example/|it contains '/'; only letters, digits, '-' and '.' are allowed",
        "*.1.2.3.4|it looks like an IP address; mx patterns must be host names",
      })
  void parse_eachKindOfProblem_sameMessageAloneAndInAPolicy(String value, String why) {
    String message = "invalid mx pattern \"" + value + "\": " + why;
    assertThatThrownBy(() -> MxPattern.parse(value)).hasMessage(message);
    if (!value.isEmpty()) {
      assertThatThrownBy(() -> Policy.parse(policyWith(value)))
          .isInstanceOfSatisfying(InvalidPolicyException.class, e ->
              assertThat(e.problems()).contains(new LintProblem(3, message)));
    }
  }

  @Test
  void parse_longLabelAndLongName_messagesGiveTheLengths() {
    String label64 = "a".repeat(64);
    assertThatThrownBy(() -> MxPattern.parse("mx." + label64 + ".example"))
        .hasMessageEndingWith(": a label is 64 characters long, the limit is 63");
    String name254 = ("a".repeat(62) + ".").repeat(4) + "ab"; // 4 * 63 + 2 = 254
    assertThatThrownBy(() -> MxPattern.parse("*." + name254 + "."))
        .hasMessageEndingWith(": it is too long (254 characters, the limit is 253)");
    assertThat(MxPattern.parse("*." + name254.substring(1)).text()).hasSize(255);
  }

  static Stream<Long> seeds() {
    return IntStream.range(0, 300).mapToObj(i -> 0xC0DE_0000L + i);
  }

  /** Mostly valid-looking names, with a few characters that break them in every known way. */
  private static String value(SplittableRandom r) {
    String chars = "abcxyzABCXYZ0189-.-..";
    String rare = "*_,é /\t";
    StringBuilder sb = new StringBuilder();
    if (r.nextInt(4) == 0) {
      sb.append("*.");
    }
    int len = 1 + r.nextInt(r.nextInt(10) == 0 ? 300 : 24);
    for (int i = 0; i < len; i++) {
      String from = r.nextInt(40) == 0 ? rare : chars;
      sb.append(from.charAt(r.nextInt(from.length())));
    }
    return sb.toString().strip();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void parse_generatedValue_policyAgreesWithMxPatternParse(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String v = value(r);
    MxPattern alone;
    try {
      alone = MxPattern.parse(v);
    } catch (IllegalArgumentException e) {
      if (!v.isEmpty()) {
        assertThatThrownBy(() -> Policy.parse(policyWith(v))).as(v)
            .isInstanceOfSatisfying(InvalidPolicyException.class, ex ->
                assertThat(ex.problems()).contains(new LintProblem(3, e.getMessage())));
      }
      return;
    }
    MxPattern inPolicy = Policy.parse(policyWith("x.example", v)).mx().get(1);
    assertThat(inPolicy).as(v).isEqualTo(alone);
    // The trusted path vouched only for a canonical name, the one DomainName.of gives.
    String host = alone instanceof MxPattern.Wildcard w ? w.suffix().value()
        : ((MxPattern.Exact) alone).host().value();
    assertThat(DomainName.canonicalProblem(host)).as(v).isNull();
    String written = v.startsWith("*.") ? v.substring(2) : v;
    assertThat(host).isEqualTo(DomainName.of(written).value());
  }

  @Test
  void policy_upperCaseTrailingDotAndALabel_canonicalAndMatching() {
    Policy p = Policy.parse(policyWith("MX1.Example.COM.", "*.Mail.Example.NET",
        "xn--bcher-kva.example"));
    assertThat(p.mx()).extracting(MxPattern::text)
        .containsExactly("mx1.example.com", "*.mail.example.net", "xn--bcher-kva.example");
    assertThat(p.matches(DomainName.of("mx1.example.com"))).isTrue();
    assertThat(p.matches(DomainName.of("In1.MAIL.example.net."))).isTrue();
    assertThat(p.matches(DomainName.of("bücher.example"))).isTrue();
    assertThat(p.matches(DomainName.of("a.in1.mail.example.net"))).isFalse();
  }

  /** Rows: an mx line the parser reads | a name the public constructor must still reject. */
  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Mail.Example.com|Mail.Example.com",
        "mail.example.com.|mail.example.com.",
        "a.b|a..b",
        "a.b|-a.b",
        "xn--bcher-kva.example|bücher.example",
      })
  void constructor_afterThePolicyParserRan_stillRejectsNonCanonical(String mx, String name) {
    Policy.parse(policyWith(mx));
    assertThatThrownBy(() -> new DomainName(name)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DomainName(new String(name))) // a different instance, same text
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_withTheVouchedInstance_acceptsIt() {
    MxPattern.Exact e = (MxPattern.Exact) Policy.parse(policyWith("Mail.Example.com")).mx().get(0);
    assertThat(new DomainName(e.host().value())).isEqualTo(e.host());
    assertThat(e.host()).isEqualTo(new DomainName("mail.example.com"));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 7, 57})
  void parse_nPatterns_keptInOrderInAListPolicyDoesNotCopy(int n) {
    String[] mx = IntStream.range(0, n).mapToObj(i -> "mx" + i + ".example.com")
        .toArray(String[]::new);
    List<MxPattern> list = Policy.parse(policyWith(mx)).mx();
    assertThat(list).extracting(MxPattern::text).containsExactly(mx);
    assertThat(List.copyOf(list)).isSameAs(list);
    assertThatThrownBy(() -> list.add(MxPattern.parse("x.example")))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
