package io.github.mtasts4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs {@link Main#run} in-process with captured streams. */
final class Cli {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Cli() {}

  /** The exit code and what was printed. */
  record Result(int code, String out, String err) {
    JsonNode json() {
      try {
        return MAPPER.readTree(out);
      } catch (Exception e) {
        throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
      }
    }

    /** Asserts the contract for user errors: one line on stderr, no stack trace. */
    Result assertOneLineError(int expectedCode) {
      assertThat(code).as("exit code; stderr=%s", err).isEqualTo(expectedCode);
      String first = err.lines().findFirst().orElse("");
      assertThat(first).startsWith("mtasts4j: ");
      assertThat(err).doesNotContain("\tat ").doesNotContain("Exception:");
      assertThat(err.lines()).as("stderr, one line: %s", err).hasSize(1);
      return this;
    }
  }

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(o, e, args);
    }
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
