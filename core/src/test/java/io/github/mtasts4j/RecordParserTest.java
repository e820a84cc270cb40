package io.github.mtasts4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TXT record parser's single pass over the id, and the trusted path it builds records
 * through: the id messages are unchanged, and the public constructor still checks ids.
 */
class RecordParserTest {

  /** Rows: record | the one problem's message. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "v=STSv1; id=test-123|id \"test-123\" must be 1 to 32 letters or digits",
        "v=STSv1; id=a.b; id=c|id \"a.b\" must be 1 to 32 letters or digits",
        "v=STSv1; id=012345678901234567890123456789012|"
            + "id \"012345678901234567890123456789012\" must be 1 to 32 letters or digits",
        "`v=STSv1; id=ab\u0001c`|field \"id\" contains U+0001, which is not allowed in a value",
        "v=STSv1; id=abc=d|field \"id\" contains '=', which is not allowed in a value",
      })
  void parse_badFirstId_namesTheProblem(String txt, String message) {
    assertThatThrownBy(() -> PolicyRecord.parse(txt))
        .isInstanceOfSatisfying(InvalidPolicyException.class, e ->
            assertThat(e.problems()).containsExactly(new LintProblem(1, message)));
  }

  @Test
  void parse_laterIdWithNonAlphanumericValue_ignoredFirstIdKept() {
    assertThat(PolicyRecord.parse("v=STSv1; id=abc; id=a-b.c").id()).isEqualTo("abc");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab-c", "", "012345678901234567890123456789012", "abc "})
  void constructor_afterTheParserRan_stillRejectsInvalidIds(String id) {
    PolicyRecord.parse("v=STSv1; id=abc");
    assertThatThrownBy(() -> new PolicyRecord(id, Map.of(), "v=STSv1; id=" + id))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_withTheParsedId_acceptsItAndRecordsAreEqual() {
    PolicyRecord r = PolicyRecord.parse("v=STSv1; id=20240101T000000;");
    assertThat(new PolicyRecord(r.id(), r.extensions(), r.raw())).isEqualTo(r);
  }

  @Test
  void parse_noExtensions_theSharedEmptyMap() {
    assertThat(PolicyRecord.parse("v=STSv1; id=a").extensions()).isSameAs(Map.of());
    Map<String, String> ext = PolicyRecord.parse("v=STSv1; id=a; x=1").extensions();
    assertThat(ext).containsExactly(Map.entry("x", "1"));
    assertThatThrownBy(() -> ext.put("y", "2")).isInstanceOf(UnsupportedOperationException.class);
  }
}
