package io.github.mtasts4j.benchmarks.reference;

import java.util.List;
import java.util.Locale;

/**
 * The limit reference for MX matching: the simplest correct matcher, written by hand. Patterns are
 * normalised once (lower case, no trailing dot, {@code *.x} kept as {@code .x}); a call tolerates
 * a trailing dot and upper case in the host, compares ASCII case-insensitively in a plain loop and
 * allocates nothing.
 */
public final class AsciiMxMatcher {
  private final String[] patterns;

  /**
   * Normalises the patterns.
   *
   * @param mx patterns as written in a policy, {@code host} or {@code *.suffix}
   */
  public AsciiMxMatcher(List<String> mx) {
    patterns = new String[mx.size()];
    for (int i = 0; i < patterns.length; i++) {
      String p = mx.get(i).toLowerCase(Locale.ROOT);
      if (p.endsWith(".")) {
        p = p.substring(0, p.length() - 1);
      }
      patterns[i] = p.startsWith("*.") ? p.substring(1) : p;
    }
  }

  /**
   * Returns true when one pattern matches {@code host}.
   *
   * @param host an ASCII host name, any case, optional trailing dot
   * @return whether it matches
   */
  public boolean matches(String host) {
    int len = host.length();
    if (len > 0 && host.charAt(len - 1) == '.') {
      len--;
    }
    for (String p : patterns) {
      if (p.charAt(0) == '.') {
        int dot = host.indexOf('.');
        if (dot > 0 && len - dot == p.length() && equalsLower(host, dot, p)) {
          return true;
        }
      } else if (len == p.length() && equalsLower(host, 0, p)) {
        return true;
      }
    }
    return false;
  }

  private static boolean equalsLower(String host, int offset, String lower) {
    for (int i = 0, n = lower.length(); i < n; i++) {
      char c = host.charAt(offset + i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + 32);
      }
      if (c != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
