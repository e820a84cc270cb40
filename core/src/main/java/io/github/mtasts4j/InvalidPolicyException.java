package io.github.mtasts4j;

import java.util.List;

/**
 * Thrown by {@link Policy#parse(String)} and {@link PolicyRecord#parse(String)} when untrusted
 * text is not a valid policy or record. {@link #problems()} lists every problem found, each with
 * its line number (1 for a TXT record).
 */
public final class InvalidPolicyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient List<LintProblem> problems;

  /**
   * Creates an exception listing {@code problems}.
   *
   * @param problems at least one problem
   */
  public InvalidPolicyException(List<LintProblem> problems) {
    super(summary(problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * Returns every problem found: problems on a line in line order, then problems about the whole
   * text (line 0, such as a missing required field).
   */
  public List<LintProblem> problems() {
    return problems;
  }

  private static String summary(List<LintProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an InvalidPolicyException needs at least one problem");
    }
    StringBuilder sb = new StringBuilder();
    for (LintProblem p : problems) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append(p);
    }
    return sb.toString();
  }
}
