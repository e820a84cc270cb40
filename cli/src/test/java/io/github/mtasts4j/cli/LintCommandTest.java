package io.github.mtasts4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LintCommandTest {

  @TempDir Path dir;

  /** One row of the corpus INDEX.tsv. */
  record Row(String file, String valid, String mode, String maxAge, List<String> mx) {}

  static Stream<Arguments> corpus() throws IOException {
    try (InputStream in = LintCommandTest.class.getResourceAsStream("/corpus/policies/INDEX.tsv")) {
      String tsv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<Arguments> rows = new ArrayList<>();
      tsv.lines().skip(1).forEach(l -> {
        String[] c = l.split("\t");
        List<String> mx = c[6].equals("-") ? List.of() : Arrays.asList(c[6].split(" "));
        rows.add(Arguments.of(new Row(c[0], c[3], c[4], c[5], mx)));
      });
      assertThat(rows).hasSize(120);
      return rows.stream();
    }
  }

  private Path copy(String name) throws IOException {
    Path p = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/corpus/policies/" + name)) {
      Files.write(p, in.readAllBytes());
    }
    return p;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void lint_corpusFile_verdictAndFieldsMatchIndex(Row row) throws IOException {
    Path file = copy(row.file());
    int lines = Files.readString(file).split("\r?\n", -1).length;
    Cli.Result r = Cli.run("lint", "--json", file.toString());
    JsonNode j = r.json();
    if (row.valid().equals("ambiguous")) {
      assertThat(r.code()).isIn(0, 1);
      assertThat(j.get("valid").asBoolean()).isEqualTo(r.code() == 0);
      return;
    }
    boolean valid = row.valid().equals("yes");
    assertThat(r.code()).as(r.out()).isEqualTo(valid ? 0 : 1);
    assertThat(j.get("valid").asBoolean()).isEqualTo(valid);
    assertThat(j.has("warnings")).isTrue();
    for (JsonNode p : j.get("warnings")) {
      assertThat(p.get("line").asInt()).isBetween(0, lines);
      assertThat(p.get("message").asText()).isNotBlank();
    }
    if (valid) {
      assertThat(j.get("errors")).isEmpty();
      JsonNode p = j.get("policy");
      assertThat(p.get("version").asText()).isEqualTo("STSv1");
      assertThat(p.get("mode").asText()).isEqualTo(row.mode());
      assertThat(p.get("max_age").asLong()).isEqualTo(Long.parseLong(row.maxAge()));
      List<String> mx = new ArrayList<>();
      p.get("mx").forEach(m -> mx.add(m.asText()));
      // patterns come back canonical (lower case); the index keeps them as written
      assertThat(mx)
          .containsExactlyElementsOf(
              row.mx().stream().map(m -> m.toLowerCase(java.util.Locale.ROOT)).toList());
    } else {
      assertThat(j.get("policy").isNull()).isTrue();
      assertThat(j.get("errors")).isNotEmpty();
      for (JsonNode e : j.get("errors")) {
        assertThat(e.get("line").asInt()).isBetween(0, lines);
        assertThat(e.get("message").asText()).isNotBlank();
      }
    }
  }

  @Test
  void lint_jekyllFrontMatter_errorsCarryLineNumbers() throws IOException {
    Path file = copy("011.txt");
    Cli.Result r = Cli.run("lint", "--json", file.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.NEGATIVE);
    assertThat(r.json().get("errors").findValues("line").stream().map(JsonNode::asInt))
        .anyMatch(line -> line > 0);
  }

  @Test
  void lint_badModeOnLineTwo_humanOutputNamesTheLine() throws IOException {
    Path file = dir.resolve("p.txt");
    Files.writeString(file, "version: STSv1\nmode: enforced\nmx: mail.example.com\nmax_age: 86400\n");
    Cli.Result r = Cli.run("lint", file.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.NEGATIVE);
    assertThat(r.out()).contains("INVALID").containsPattern("error\\s+2\\s+");
  }

  @Test
  void lint_validPolicy_humanOutputSaysValid() throws IOException {
    Path file = dir.resolve("p.txt");
    Files.writeString(file, "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n");
    Cli.Result r = Cli.run("lint", file.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("valid (mode enforce, max_age 604800, 1 mx)");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void lint_missingFile_oneLineUsageError() {
    Cli.Result r =
        Cli.run("lint", dir.resolve("nope.txt").toString()).assertOneLineError(ExitCodes.USAGE);
    assertThat(r.err()).contains("no such file");
  }

  @Test
  void lint_directory_oneLineUsageError() {
    Cli.Result r = Cli.run("lint", dir.toString()).assertOneLineError(ExitCodes.USAGE);
    assertThat(r.err()).contains("directory");
  }
}
