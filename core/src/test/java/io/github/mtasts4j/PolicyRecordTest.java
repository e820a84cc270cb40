package io.github.mtasts4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** TXT record parsing; item numbers refer to anchors.md §3.1. */
class PolicyRecordTest {

  /** Rows: record text | expected id. */
  @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "v=STSv1; id=20160831085700Z;|20160831085700Z", // 1
        "v=STSv1;id=20160831085700Z;|20160831085700Z", // 2
        "v=STSv1;id=20160831085700Z|20160831085700Z", // 2
        "v=STSv1; id=20190429T010101|20190429T010101", // 3
        "`v=STSv1; \t id=20160831085700Z  \t;`|20160831085700Z", // 4
        "`v=STSv1 \t; \tid=policy1 \t;`|policy1", // 4
        "`v=STSv1; id=policy1; `|policy1", // trailing delimiter may carry WSP
        "v=STSv1  ;    id=foo|foo", // 24
        "v=STSv1 ;id=x|x", // STS-E2
        "v=STSv1; id=a; more=a; ext=2|a", // 15
        "v=STSv1; id=first; id=second|first", // STS-7: first wins
        "v=STSv1; id=first; id=bad-value|first", // later id ignored
        "v=STSv1; id=ABCdef0123456789ABCdef0123456789|ABCdef0123456789ABCdef0123456789",
        "v=STSv1; ext.name_x-1=a:b/c?d; id=z|z",
        "v=STSv1; id=policy1;|policy1", // 17: "v=STSv1; id=" + "policy1;" joined
      })
  void parse_validRecord_givesId(String txt, String id) {
    PolicyRecord record = PolicyRecord.parse(txt);
    assertThat(record.id()).isEqualTo(id);
    assertThat(record.raw()).isEqualTo(txt);
  }

  @Test
  void parse_extensions_keptInOrderFirstWins() {
    PolicyRecord r = PolicyRecord.parse("v=STSv1; id=a; more=a; ext=2; more=b");
    assertThat(r.extensions()).containsExactly(Map.entry("more", "a"), Map.entry("ext", "2"));
    assertThat(r.extensions()).isUnmodifiable();
  }

  @Test
  void parse_noExtensions_emptyMap() {
    assertThat(PolicyRecord.parse("v=STSv1; id=1").extensions()).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(
      strings = {
        "v=STSv1; id=policy1 ", // 5: trailing space without ';'
        "v=STSv1;        id=20160831085700Z   ", // 5
        "v=STSv1; id=a;;", // 6
        "v=STSv1; id=20160831085700Z;;;", // 6
        "", // 7
        "   ", // 7
        " ;   ;  ", // 7
        "id=20180907T090909; v=STSv1;", // 8
        "azazaza;asdasdasdasd", // 9
        "v=STSv12;id=20180907T090909;", // 10
        "v=STSv10; id=policy1;", // 10
        "v=STSv0; id=a", // 10
        "v=STSv2; id=a", // 10
        "v=STSv2;id=foo;include=foo.com", // 10
        "v=STSv1", // 11
        "v=STSv1;", // 11
        "v=STSv1; ext=1", // 11
        "v=STSv1; id=", // 12
        "v=STSv1; id=;", // 12
        "v=STSv1; id=012345678901234567890123456789012", // 13
        "v=STSv1; id=test-123", // 14
        "v=STSv1; id=bad-value", // 14
        "v=STSv1; id=###", // 14
        "v=STSv1; id=a; more=", // 16
        "v=STSv1; id=a; a12345678901234567890123456789012=1", // 16
        "v=STSv1; id=a; 1%=a", // 16
        "v=STSv1; id=a; test==", // 16
        "v=STSv1; id=a; note=has space", // 16
        "v=STSv1; id=a; note=café", // 16, STS-2
        "v=STSv1; bogus", // 21
        "v=STSv1;    id=foo include=foo.com", // 24
        "v-STSv1 id=19840507T234501", // 25
        "V=STSv1; id=a", // STS-3: case-sensitive
        "v=stsv1; id=a", // STS-3
        "v = STSv1; id=a", // STS-3: no WSP around '='
        " v=STSv1; id=a", // must begin with v=STSv1
        "v=STSv1 id=a", // a field needs ';' before it
        "v=STSv1; id =a",
        "v=STSv1; ID=a", // field names are case-sensitive: no id
        "v=STSv1; id=a; _x=1",
        "v=STSv1; id=a\u0000",
      })
  void parse_invalidRecord_throwsOnLineOne(String txt) {
    assertThatThrownBy(() -> PolicyRecord.parse(txt))
        .isInstanceOfSatisfying(
            InvalidPolicyException.class,
            e -> assertThat(e.problems()).hasSize(1).allSatisfy(p -> assertThat(p.line()).isOne()));
  }

  @Test
  void parse_badId_messageNamesTheId() {
    assertThatThrownBy(() -> PolicyRecord.parse("v=STSv1; id=test-123"))
        .hasMessageContaining("test-123")
        .hasMessageContaining("1 to 32 letters or digits");
  }

  @Test
  void parse_missingId_messageSaysSo() {
    assertThatThrownBy(() -> PolicyRecord.parse("v=STSv1; ext=1")).hasMessageContaining("id");
  }

  /** Rows: text | candidate (STS-8 filter with erratum 6285). */
  @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "v=STSv1; id=policy1;|true",
        "v=STSv1;id=x|true",
        "v=STSv1 ;id=x|true",
        "`v=STSv1\t;id=x`|true",
        "v=STSv1|true",
        "v=STSv1; bogus|true", // 21: a candidate, then a syntax error
        "v=STSv12;id=1|false",
        "v=STSv10; id=policy1;|false",
        "verification=abc|false", // 18
        "bogus|false", // 20
        "v=spf1 -all|false",
        "V=STSv1; id=1|false",
        "` v=STSv1; id=1`|false",
        "``|false",
      })
  void isStsCandidate_text_givesExpected(String txt, boolean expected) {
    assertThat(PolicyRecord.isStsCandidate(txt)).isEqualTo(expected);
  }

  @Test
  void isStsCandidate_rrsetWithUnrelatedRecord_leavesExactlyOne() {
    List<String> rrset = List.of("verification=abc", "v=STSv1; id=policy1;"); // 18
    assertThat(rrset.stream().filter(PolicyRecord::isStsCandidate).toList())
        .containsExactly("v=STSv1; id=policy1;");
  }

  @Test
  void constructor_invalidId_throws() {
    assertThatThrownBy(() -> new PolicyRecord("bad-id", Map.of(), "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PolicyRecord("a".repeat(33), Map.of(), "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_invalidExtension_throws() {
    assertThatThrownBy(() -> new PolicyRecord("a", Map.of("ok", "has space"), "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PolicyRecord("a", Map.of("_bad", "1"), "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructor_copiesExtensionsPreservingOrder() {
    Map<String, String> ext = new LinkedHashMap<>();
    ext.put("z", "1");
    ext.put("a", "2");
    PolicyRecord r = new PolicyRecord("id1", ext, "v=STSv1; id=id1; z=1; a=2");
    ext.put("m", "3");
    assertThat(r.extensions()).containsExactly(Map.entry("z", "1"), Map.entry("a", "2"));
  }
}
