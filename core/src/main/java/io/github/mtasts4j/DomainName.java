package io.github.mtasts4j;

import java.net.IDN;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A host or domain name in canonical form: ASCII (IDN U-labels converted to A-labels), lower case,
 * no trailing dot, every label 1..63 characters of letters, digits, hyphens or underscores (not
 * starting or ending with a hyphen), at most 253 characters in all. Two names are equal exactly
 * when they denote the same DNS name, so comparisons are plain {@code equals}.
 *
 * <p>U-labels are converted with {@link IDN#toASCII(String, int)}, which implements IDNA 2003;
 * names that IDNA 2008 treats differently (for example {@code ß}) may map to another A-label than
 * a browser would produce. MTA-STS policies must carry A-labels anyway (RFC 8461 §3.2).
 *
 * @param value the canonical form
 */
public record DomainName(String value) {
  private static final int MAX_NAME_LENGTH = 253;
  private static final int MAX_LABEL_LENGTH = 63;

  /**
   * Validates that {@code value} is already canonical; use {@link #of(String)} to normalise.
   *
   * @throws IllegalArgumentException if {@code value} is not canonical
   */
  public DomainName {
    Objects.requireNonNull(value, "value");
    String problem = problemWithCanonical(value);
    if (problem != null) {
      throw new IllegalArgumentException(
          "not a canonical domain name " + quote(value) + ": " + problem);
    }
  }

  /**
   * Normalises and validates {@code name}: strips one trailing dot, converts U-labels to A-labels,
   * lower-cases ASCII.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid domain name, naming the problem
   */
  public static DomainName of(String name) {
    Objects.requireNonNull(name, "name");
    String s = name;
    if (s.length() > 1 && s.charAt(s.length() - 1) == '.') {
      s = s.substring(0, s.length() - 1);
    }
    if (!isAscii(s)) {
      try {
        s = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "invalid domain name " + quote(name) + ": not a valid internationalised name", e);
      }
    }
    s = s.toLowerCase(Locale.ROOT);
    String problem = problemWithCanonical(s);
    if (problem != null) {
      throw new IllegalArgumentException("invalid domain name " + quote(name) + ": " + problem);
    }
    return new DomainName(s);
  }

  /**
   * Returns true when {@code name} would be accepted by {@link #of(String)}.
   *
   * @param name any text
   */
  public static boolean isValid(String name) {
    try {
      of(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Returns {@code label + "." + this}, for names such as {@code _mta-sts.<domain>}.
   *
   * @throws IllegalArgumentException if the result is not a valid name
   */
  public DomainName prefixed(String label) {
    return new DomainName(label.toLowerCase(Locale.ROOT) + "." + value);
  }

  /** Returns the number of labels ({@code mx.example.com} has 3). */
  public int labelCount() {
    int count = 1;
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) == '.') {
        count++;
      }
    }
    return count;
  }

  @Override
  public String toString() {
    return value;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7f) {
        return false;
      }
    }
    return true;
  }

  /** Returns why {@code s} is not canonical, or null when it is. */
  static @Nullable String problemWithCanonical(String s) {
    if (s.isEmpty()) {
      return "empty name";
    }
    if (s.length() > MAX_NAME_LENGTH) {
      return "longer than " + MAX_NAME_LENGTH + " characters";
    }
    int labelStart = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == '.') {
        int length = i - labelStart;
        if (length == 0) {
          return "empty label";
        }
        if (length > MAX_LABEL_LENGTH) {
          return "label longer than " + MAX_LABEL_LENGTH + " characters";
        }
        if (s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
          return "label starts or ends with a hyphen";
        }
        labelStart = i + 1;
        continue;
      }
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        if (c >= 'A' && c <= 'Z') {
          return "upper-case letters (canonical names are lower case)";
        }
        return "character " + describe(c) + " is not allowed";
      }
    }
    return null;
  }

  static String describe(char c) {
    if (c < 0x20 || c == 0x7f) {
      return String.format(Locale.ROOT, "U+%04X", (int) c);
    }
    return "'" + c + "'";
  }

  static String quote(String s) {
    String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
    StringBuilder sb = new StringBuilder(shown.length() + 2).append('"');
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
