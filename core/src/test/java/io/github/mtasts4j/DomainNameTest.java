package io.github.mtasts4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainNameTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "example.com|example.com",
        "Example.COM|example.com",
        "example.com.|example.com",
        "MX1.Example.Com.|mx1.example.com",
        "_mta-sts.example.com|_mta-sts.example.com",
        "_MTA-STS.Example.com|_mta-sts.example.com",
        "localhost|localhost",
        "0x00sec-org.mail.protection.outlook.com|0x00sec-org.mail.protection.outlook.com",
        "xn--aca-6ma.com|xn--aca-6ma.com",
        "XN--ACA-6MA.com|xn--aca-6ma.com",
        "ñaca.com|xn--aca-6ma.com",
        "Ñaca.com|xn--aca-6ma.com",
        "x.ñaca.com.|x.xn--aca-6ma.com",
        "bücher.example|xn--bcher-kva.example",
        "a-b.c_d.e|a-b.c_d.e",
      })
  void of_validInput_isCanonical(String input, String expected) {
    assertThat(DomainName.of(input).value()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(
      strings = {
        "",
        ".",
        "..",
        "example.com..",
        ".example.com",
        "a..b",
        "-a.example",
        "a-.example",
        "a b.example",
        "a*.example",
        "*.example.com",
        "a,b.example",
        "a/b",
        "mail.example.com:25",
      })
  void of_invalidInput_throwsNamingTheInput(String input) {
    assertThatThrownBy(() -> DomainName.of(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + input + "\"");
  }

  @Test
  void of_label64Characters_throws() {
    String label = "a".repeat(64);
    assertThatThrownBy(() -> DomainName.of(label + ".example"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64 characters");
  }

  @Test
  void of_label63Characters_isAccepted() {
    String label = "a".repeat(63);
    assertThat(DomainName.of(label + ".example").value()).isEqualTo(label + ".example");
  }

  @Test
  void of_253Characters_isAcceptedAnd254Rejected() {
    String name253 = "a".repeat(61) + "." + "b".repeat(63) + "." + "c".repeat(63) + "."
        + "d".repeat(63);
    assertThat(name253).hasSize(253);
    assertThat(DomainName.of(name253).value()).isEqualTo(name253);
    assertThat(DomainName.of(name253 + ".").value()).isEqualTo(name253);
    assertThatThrownBy(() -> DomainName.of("x" + name253))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("254 characters");
  }

  @Test
  void of_sameNameDifferentSpelling_isEqual() {
    assertThat(DomainName.of("MX.Example.com.")).isEqualTo(DomainName.of("mx.example.com"));
    assertThat(DomainName.of("Ñaca.com")).isEqualTo(DomainName.of("xn--aca-6ma.com"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Example.com", "example.com.", "ñaca.com", "", "a..b", "-a.b", "a b"})
  void constructor_nonCanonical_throws(String value) {
    assertThatThrownBy(() -> new DomainName(value)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_canonical_keepsValue() {
    assertThat(new DomainName("_mta-sts.example.com").value()).isEqualTo("_mta-sts.example.com");
  }

  @Test
  void prefixed_label_prependsAndNormalises() {
    DomainName domain = DomainName.of("Example.com");
    assertThat(domain.prefixed("_mta-sts")).isEqualTo(new DomainName("_mta-sts.example.com"));
    assertThat(domain.prefixed("MTA-STS")).isEqualTo(new DomainName("mta-sts.example.com"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a.b", "-x", "a b"})
  void prefixed_invalidLabel_throws(String label) {
    assertThatThrownBy(() -> DomainName.of("example.com").prefixed(label))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void prefixed_resultTooLong_throws() {
    String name = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "."
        + "d".repeat(60);
    assertThatThrownBy(() -> DomainName.of(name).prefixed("_mta-sts"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void isValid_answersWithoutThrowing() {
    assertThat(DomainName.isValid("Mx.Example.com.")).isTrue();
    assertThat(DomainName.isValid("a..b")).isFalse();
    assertThat(DomainName.isValid("")).isFalse();
  }

  @Test
  void labelCount_countsLabels() {
    assertThat(DomainName.of("mx.example.com").labelCount()).isEqualTo(3);
    assertThat(DomainName.of("localhost").labelCount()).isEqualTo(1);
  }

  @Test
  void toString_isValue() {
    assertThat(DomainName.of("A.example").toString()).isEqualTo("a.example");
  }
}
