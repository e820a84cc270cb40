package io.github.mtasts4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MxPatternTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "mail.example.com|mail.example.com|Exact",
        "MAIL.Example.COM|mail.example.com|Exact",
        "ASPMX.L.GOOGLE.COM|aspmx.l.google.com|Exact",
        "*.example.com|*.example.com|Wildcard",
        "*.Example.COM|*.example.com|Wildcard",
        "*.com|*.com|Wildcard",
        "mail.example.com.|mail.example.com|Exact",
        "*.example.com.|*.example.com|Wildcard",
        "xn--aca-6ma.com|xn--aca-6ma.com|Exact",
        "0x00sec-org.mail.protection.outlook.com|0x00sec-org.mail.protection.outlook.com|Exact",
        "localhost|localhost|Exact",
        "mx1.example.123abc|mx1.example.123abc|Exact",
      })
  void parse_validPattern_isCanonical(String input, String text, String kind) {
    MxPattern p = MxPattern.parse(input);
    assertThat(p.text()).isEqualTo(text);
    assertThat(p.getClass().getSimpleName()).isEqualTo(kind);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(
      strings = {
        "",
        ".",
        "*",
        "*.",
        "*.*.example",
        "**.example",
        "**.example-",
        "test.example-",
        "-test.example",
        "a.*.example",
        "mx*.example.com",
        "service-alpha-inbound-*.mimecast.com",
        "*example.com",
        "møx.example",
        "Ñaca.com",
        "ñaca.com",
        "_dc-mx.example.com",
        "mx1.your_domain.tld",
        "1.2.3.4",
        "127.0.0.1",
        "*.1.2.3.4",
        "a..example",
        "mail.example.com..",
        " mail.example.com",
        "mail.example.com ",
        "a.example, b.example",
        "mail.example.com #comment",
        "*.livalittle.com\\",
      })
  void parse_invalidPattern_throws(String input) {
    assertThatThrownBy(() -> MxPattern.parse(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid mx pattern");
  }

  @Test
  void parse_uLabel_messageAsksForALabel() {
    assertThatThrownBy(() -> MxPattern.parse("møx.example"))
        .hasMessageContaining("A-label");
  }

  @Test
  void parse_label64Characters_throws() {
    assertThatThrownBy(() -> MxPattern.parse("a".repeat(64) + ".example"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(MxPattern.parse("a".repeat(63) + ".example").text())
        .isEqualTo("a".repeat(63) + ".example");
  }

  /** Rows: pattern | MX host name as it may come from DNS | expected. */
  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // exact
        "mail.example.com|mail.example.com|true",
        "mail.example.com|MAIL.EXAMPLE.COM.|true",
        "example.org|example.org.|true",
        "mail.example.com|mail.example.com.evil|false",
        "example.com|badexample.com|false",
        "example.com|a.example.com|false",
        "bar.com|foo.com|false",
        // wildcard: exactly one whole left-most label (STS-55)
        "*.example.com|mx.example.com|true",
        "*.example.com|MX.Example.COM.|true",
        "*.example.com|example.com|false",
        "*.example.com|a.b.example.com|false",
        "*.example.com|badexample.com|false",
        "*.example.com|mx.badexample.com|false",
        "*.example.com|xexample.com|false",
        "*.example.org|without-dots|false",
        "*.example.org|unrelated.org|false",
        "*.example.org|mx0.example.org|true",
        "*.example.org|mx0.special.example.org|false",
        "*.special.example.org|mx0.special.example.org|true",
        "*.com|foo.com|true",
        "*.com|foo.bar.com|false",
        "*.b.example|sub.b.example|true",
        "*.b.example|b.example|false",
        "*.b.example|sub.sub.b.example|false",
        "*.b.example|other|false",
        // IDN: patterns are A-labels, MX names are normalised (STS-56, NAME-2)
        "xn--aca-6ma.com|Ñaca.com|true",
        "xn--aca-6ma.com|ñaca.com|true",
        "x.xn--aca-6ma.com|x.ñaca.com|true",
        "x.xn--aca-6ma.com|x.naca.com|false",
        "*.xn--aca-6ma.com|mx.Ñaca.com.|true",
        "xn-9999999999a.org|example.org|false",
      })
  void matches_patternAgainstHost_givesExpected(String pattern, String mx, boolean expected) {
    assertThat(MxPattern.parse(pattern).matches(DomainName.of(mx))).isEqualTo(expected);
  }

  @Test
  void wildcard_underscoreLabelFromDns_matchesAsOneLabel() {
    assertThat(MxPattern.parse("*.example.com").matches(DomainName.of("_x.example.com")))
        .isTrue();
  }

  @Test
  void records_withEqualComponents_areEqual() {
    assertThat(MxPattern.parse("*.Example.com")).isEqualTo(MxPattern.parse("*.example.com."));
    assertThat(MxPattern.parse("mx.example.com"))
        .isEqualTo(new MxPattern.Exact(DomainName.of("mx.example.com")));
    assertThat(MxPattern.parse("*.example.com"))
        .isNotEqualTo(MxPattern.parse("example.com"));
  }
}
