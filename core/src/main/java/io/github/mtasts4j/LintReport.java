package io.github.mtasts4j;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The result of {@link PolicyLint#lint(String)}.
 *
 * @param policy the policy a sender would read, or null when a sender would reject the file
 * @param errors deviations from RFC 8461 §3.2; the file is valid when there are none
 * @param warnings legal but risky choices (short max_age, testing mode, broad wildcards, ...)
 */
public record LintReport(
    @Nullable Policy policy, List<LintProblem> errors, List<LintProblem> warnings) {
  /** Copies the lists. */
  public LintReport {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  /** True when the file has no errors under the strict reading. */
  public boolean valid() {
    return errors.isEmpty();
  }
}
