package io.github.mtasts4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real published policies (copied from the shared corpus into test resources) against the strict
 * verdicts of their INDEX.tsv.
 */
class PolicyCorpusIndexTest {

  record Entry(String file, String valid, String mode, String maxAge, List<String> mx) {}

  static Stream<Arguments> corpus() throws IOException {
    List<Arguments> rows = new ArrayList<>();
    for (String line : read("INDEX.tsv").split("\n")) {
      String[] f = line.split("\t", -1);
      if (f[0].equals("file") || f.length < 7) {
        continue;
      }
      List<String> mx = f[6].equals("-") ? List.of() : Arrays.asList(f[6].split(" "));
      rows.add(Arguments.of(new Entry(f[0], f[3], f[4], f[5], mx)));
    }
    assertThat(rows).hasSizeGreaterThan(100);
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void strictReading_agreesWithIndexVerdict(Entry entry) throws IOException {
    LintReport report = PolicyLint.lint(read(entry.file()));
    switch (entry.valid()) {
      case "yes" -> assertThat(report.errors()).as(entry.file()).isEmpty();
      case "no" -> {
        assertThat(report.valid()).as(entry.file()).isFalse();
        assertThat(report.errors()).allSatisfy(p -> assertThat(p.message()).isNotBlank());
      }
      default -> assertThat(entry.valid()).isEqualTo("ambiguous");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void senderReading_acceptsValidFilesWithListedValues(Entry entry) throws IOException {
    String body = read(entry.file());
    if (!entry.valid().equals("yes")) {
      return;
    }
    Policy policy = Policy.parse(body);
    assertThat(policy.mode().token()).isEqualTo(entry.mode());
    assertThat(policy.maxAgeSeconds()).isEqualTo(Long.parseLong(entry.maxAge()));
    // Patterns are canonical (lower case); the index lists them as written.
    assertThat(policy.mx())
        .extracting(MxPattern::text)
        .containsExactlyElementsOf(
            entry.mx().stream().map(m -> m.toLowerCase(java.util.Locale.ROOT)).toList());
    assertThat(Policy.parse(policy.toText())).isEqualTo(policy);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void senderReading_rejectsFilesThatNoSenderCanUse(Entry entry) throws IOException {
    // Files invalid because a required field is missing or unusable stay invalid for the sender
    // too; only layout deviations (whitespace, blank lines, one trailing dot on an mx name) are
    // tolerated (checklist STS-44).
    if (!entry.valid().equals("no")) {
      return;
    }
    String body = read(entry.file());
    LintReport report = PolicyLint.lint(body);
    boolean onlyLayout =
        report.errors().stream()
            .allMatch(
                p ->
                    p.message().contains("blank line")
                        || p.message().contains("whitespace")
                        || p.message().contains("must not end with a dot"));
    if (onlyLayout) {
      assertThat(Policy.parse(body).mode().token()).isEqualTo(entry.mode());
    } else {
      assertThatThrownBy(() -> Policy.parse(body)).isInstanceOf(InvalidPolicyException.class);
    }
  }

  private static String read(String name) throws IOException {
    try (InputStream in =
        PolicyCorpusIndexTest.class.getResourceAsStream("/corpus/policies/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
