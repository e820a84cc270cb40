package io.github.mtasts4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.mtasts4j.Failure;
import io.github.mtasts4j.LintProblem;
import io.github.mtasts4j.MxPattern;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.PolicyRecord;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JSON shapes of the CLI contract (issue #5), as records; Jackson writes their components in
 * snake_case, nulls included, so every contract field is always present.
 */
final class Json {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  /** {@code {"version","mode","max_age","mx":[...]}}. */
  record PolicyView(String version, String mode, long maxAge, List<String> mx) {
    static @Nullable PolicyView of(@Nullable Policy p) {
      if (p == null) {
        return null;
      }
      return new PolicyView(
          "STSv1", p.mode().token(), p.maxAgeSeconds(), p.mx().stream().map(MxPattern::text).toList());
    }
  }

  /** {@code {"id","raw"}}. */
  record RecordView(String id, String raw) {
    static RecordView of(PolicyRecord r) {
      return new RecordView(r.id(), r.raw());
    }
  }

  /** {@code {"type","detail"}}. */
  record ErrorView(String type, String detail) {
    static ErrorView of(Failure f) {
      return new ErrorView(f.type().token(), f.detail());
    }
  }

  /** {@code {"line","message"}}. */
  record ProblemView(int line, String message) {
    static List<ProblemView> of(List<LintProblem> problems) {
      return problems.stream().map(p -> new ProblemView(p.line(), p.message())).toList();
    }
  }
}
