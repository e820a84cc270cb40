package io.github.mtasts4j;

import java.net.IDN;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A host or domain name in canonical form: ASCII (IDN U-labels converted to A-labels), lower case,
 * no trailing dot, every label 1..63 characters of letters, digits, hyphens or underscores, at most
 * 253 characters in all. Two names are equal exactly when they denote the same DNS name.
 *
 * <p>Underscores are allowed so that service names such as {@code _mta-sts.example.com} are
 * names; a label may not start or end with a hyphen. MX patterns are stricter (see {@link
 * MxPattern#parse(String)}).
 *
 * <p>IDN caveat: U-labels are converted with {@link java.net.IDN#toASCII(String, int)}, which
 * implements IDNA 2003 (with {@code UseSTD3ASCIIRules} off, so {@code _} is accepted). For the few
 * characters where IDNA 2003 and IDNA 2008 differ ({@code ß}, {@code ς}, ZWJ/ZWNJ, some symbols),
 * the A-label produced here may differ from what an IDNA 2008 registry issued: {@code faß.de} maps
 * to {@code fass.de}, not {@code xn--fa-hia.de}. Names that already arrive as A-labels (the normal
 * case for MX host names from DNS and for MX patterns, which RFC 8461 §3.2 requires in A-label
 * form) are never affected.
 *
 * @param value the canonical form
 */
public record DomainName(String value) {

  /** The longest name in presentation form without the trailing dot (RFC 1035 §3.1). */
  static final int MAX_LENGTH = 253;

  /** The longest label (RFC 1035 §2.3.4). */
  static final int MAX_LABEL_LENGTH = 63;

  /**
   * Validates that {@code value} is already canonical; use {@link #of(String)} to normalise.
   *
   * @throws IllegalArgumentException if {@code value} is not in canonical form
   */
  public DomainName {
    Objects.requireNonNull(value, "value");
    if (value != vouchedFor) {
      String problem = canonicalProblem(value);
      if (problem != null) {
        throw new IllegalArgumentException(
            "not a canonical domain name \"" + printable(value) + "\": " + problem);
      }
    }
  }

  /**
   * The String last passed to {@link #trusted(String)}, already known to be canonical; the
   * constructor skips its check for exactly that instance. A record's constructor cannot be
   * bypassed, so this is the trusted path. Strings are immutable: a racy read of this field can
   * only make a thread check a name it did not need to, never accept one that is not canonical.
   */
  private static @Nullable String vouchedFor;

  /**
   * Wraps {@code canonical} without checking it again. Only for a caller that has just validated
   * it by rules at least as strict as {@link #canonicalProblem(String)} (the MX pattern parser).
   */
  static DomainName trusted(String canonical) {
    vouchedFor = canonical;
    return new DomainName(canonical);
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
    if (s.endsWith(".")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.isEmpty()) {
      throw invalid(name, "the name is empty");
    }
    if (!isAscii(s)) {
      try {
        // Flag 0: no UseSTD3ASCIIRules (it would reject "_"), no unassigned code points.
        s = IDN.toASCII(s, 0);
      } catch (IllegalArgumentException e) {
        throw invalid(name, "it is not a valid internationalised domain name");
      }
      if (!isAscii(s)) {
        throw invalid(name, "it cannot be converted to ASCII (A-labels)");
      }
    }
    s = lowerAscii(s);
    String problem = canonicalProblem(s);
    if (problem != null) {
      throw invalid(name, problem);
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

  /**
   * Returns {@code label + "." + this}, for names such as {@code _mta-sts.<domain>}.
   *
   * @param label one label, such as {@code _mta-sts} or {@code mta-sts}; upper case is lowered
   * @throws IllegalArgumentException if {@code label} is not a single valid label, or the result
   *     would be longer than 253 characters
   */
  public DomainName prefixed(String label) {
    Objects.requireNonNull(label, "label");
    if (label.isEmpty() || label.indexOf('.') >= 0) {
      throw new IllegalArgumentException(
          "prefix must be exactly one label, got \"" + printable(label) + "\"");
    }
    return of(label + "." + value);
  }

  @Override
  public String toString() {
    return value;
  }

  private static IllegalArgumentException invalid(String input, String why) {
    return new IllegalArgumentException(
        "invalid domain name \"" + printable(input) + "\": " + why);
  }

  /** Returns why {@code s} is not canonical, or null when it is. */
  static @Nullable String canonicalProblem(String s) {
    int n = s.length();
    if (n == 0) {
      return "the name is empty";
    }
    if (n > MAX_LENGTH) {
      return "it is " + n + " characters long, the limit is " + MAX_LENGTH;
    }
    int labelStart = 0;
    for (int i = 0; i <= n; i++) {
      char c = i < n ? s.charAt(i) : '.';
      if (c == '.') {
        String p = labelProblem(s, labelStart, i);
        if (p != null) {
          return p;
        }
        labelStart = i + 1;
      } else if (!(isLowerLetterOrDigit(c) || c == '-' || c == '_')) {
        if (c >= 'A' && c <= 'Z') {
          return "it contains upper-case letters";
        }
        return "it contains " + describe(c) + "; only letters, digits, '-' and '_' are allowed";
      }
    }
    return null;
  }

  private static @Nullable String labelProblem(String s, int start, int end) {
    int len = end - start;
    if (len == 0) {
      return "it has an empty label";
    }
    if (len > MAX_LABEL_LENGTH) {
      return "label \""
          + s.substring(start, end)
          + "\" is "
          + len
          + " characters long, the limit is "
          + MAX_LABEL_LENGTH;
    }
    if (s.charAt(start) == '-' || s.charAt(end - 1) == '-') {
      return "label \"" + s.substring(start, end) + "\" starts or ends with '-'";
    }
    return null;
  }

  static boolean isLowerLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  static boolean isAscii(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Lower-cases ASCII letters only (no locale, no Unicode case mapping). */
  static String lowerAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] chars = s.toCharArray();
        for (int j = i; j < chars.length; j++) {
          char d = chars[j];
          if (d >= 'A' && d <= 'Z') {
            chars[j] = (char) (d + ('a' - 'A'));
          }
        }
        return new String(chars);
      }
    }
    return s;
  }

  /** Describes one character for an error message, e.g. {@code ' '} or {@code U+00E9}. */
  static String describe(char c) {
    if (c == ' ') {
      return "a space";
    }
    if (c == '\t') {
      return "a tab";
    }
    if (c >= 0x21 && c < 0x7f) {
      return "'" + c + "'";
    }
    return String.format("U+%04X", (int) c);
  }

  /** Makes untrusted text safe to quote in a message: control characters escaped, length capped. */
  static String printable(String s) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), 80));
    for (int i = 0; i < s.length(); i++) {
      if (sb.length() >= 76) {
        sb.append("...");
        break;
      }
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02X", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
