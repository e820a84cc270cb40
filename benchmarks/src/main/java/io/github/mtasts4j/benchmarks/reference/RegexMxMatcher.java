package io.github.mtasts4j.benchmarks.reference;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The weak baseline for MX matching: one regular expression per pattern, as several libraries do.
 * {@link #matchesCompilingPerCall} compiles each expression on every call (the style of
 * checkdmarc); {@link #matchesPrecompiled} compiles once at construction.
 */
public final class RegexMxMatcher {
  private final String[] regexes;
  private final Pattern[] compiled;

  /**
   * Builds one expression per pattern: an exact host, or one label followed by the suffix.
   *
   * @param mx patterns as written in a policy
   */
  public RegexMxMatcher(List<String> mx) {
    regexes = new String[mx.size()];
    compiled = new Pattern[mx.size()];
    for (int i = 0; i < regexes.length; i++) {
      String p = mx.get(i);
      regexes[i] =
          p.startsWith("*.")
              ? "[^.]+\\." + Pattern.quote(p.substring(2)) + "\\.?"
              : Pattern.quote(p) + "\\.?";
      compiled[i] = Pattern.compile(regexes[i], Pattern.CASE_INSENSITIVE);
    }
  }

  /**
   * Compiles every pattern's expression, then matches.
   *
   * @param host the host name
   * @return whether one pattern matches
   */
  public boolean matchesCompilingPerCall(String host) {
    for (String r : regexes) {
      if (Pattern.compile(r, Pattern.CASE_INSENSITIVE).matcher(host).matches()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Matches with the expressions compiled at construction.
   *
   * @param host the host name
   * @return whether one pattern matches
   */
  public boolean matchesPrecompiled(String host) {
    for (Pattern p : compiled) {
      if (p.matcher(host).matches()) {
        return true;
      }
    }
    return false;
  }
}
