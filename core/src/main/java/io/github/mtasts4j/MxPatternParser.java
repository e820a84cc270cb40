package io.github.mtasts4j;

/**
 * The sender's reading of one {@code mx} value, documented on {@link MxPattern#parse(String)}:
 * one pass over the characters that validates the pattern and notes a wildcard, a trailing dot
 * and upper case, so that building the pattern needs no second look at the text. Error messages
 * are worded only once a value has failed.
 */
final class MxPatternParser {
  private MxPatternParser() {}

  /** The pattern starts with {@code *.}. */
  private static final int WILDCARD = 1;
  /** The pattern ends with the one tolerated dot. */
  private static final int TRAILING_DOT = 2;
  /** The pattern has upper-case letters. */
  private static final int UPPER_CASE = 4;

  // Kinds of problem, kept in the low 4 bits of a negative code; the rest is an offset from `from`.
  private static final int EMPTY = 0;
  private static final int BARE_STAR = 1;
  private static final int STAR_NOT_A_LABEL = 2;
  private static final int NOTHING_AFTER_STAR = 3;
  private static final int TOO_LONG = 4;
  private static final int EMPTY_LABEL = 5;
  private static final int LABEL_TOO_LONG = 6;
  private static final int HYPHEN_AT_LABEL_END = 7;
  private static final int BAD_CHARACTER = 8;
  private static final int IP_ADDRESS = 9;

  /**
   * Parses the pattern at {@code s[from, to)} exactly as {@link MxPattern#parse(String)} parses
   * that substring: one validation pass, then one copy of the host name. The policy parser calls
   * this on the body, so a pattern is neither cut out first nor checked twice.
   *
   * @throws IllegalArgumentException as {@link MxPattern#parse(String)}
   */
  static MxPattern parse(String s, int from, int to) {
    int scan = scan(s, from, to);
    if (scan < 0) {
      throw new IllegalArgumentException("invalid mx pattern \""
          + DomainName.printable(s.substring(from, to)) + "\": " + problem(scan, s, from, to));
    }
    boolean wildcard = (scan & WILDCARD) != 0;
    String host = s.substring(wildcard ? from + 2 : from,
        (scan & TRAILING_DOT) != 0 ? to - 1 : to);
    if ((scan & UPPER_CASE) != 0) {
      host = DomainName.lowerAscii(host);
    }
    // Every valid pattern's host is a canonical name: no second check.
    DomainName name = DomainName.trusted(host);
    return wildcard ? new MxPattern.Wildcard(name) : new MxPattern.Exact(name);
  }

  /**
   * The one pass over {@code s[from, to)}: returns the flags of a valid pattern ({@code ["*."]
   * Domain} with A-labels, one trailing dot tolerated), or a negative code naming the first
   * problem and where it is, for {@link #problem(int, String, int, int)}.
   */
  private static int scan(String s, int from, int to) {
    int flags = 0;
    int n = to;
    if (n > from && s.charAt(n - 1) == '.') {
      n--;
      flags |= TRAILING_DOT;
    }
    if (n == from) {
      return fail(EMPTY, 0);
    }
    int start = from;
    if (s.charAt(from) == '*') {
      if (n - from == 1) {
        return fail(BARE_STAR, 0);
      }
      if (s.charAt(from + 1) != '.') {
        return fail(STAR_NOT_A_LABEL, 0);
      }
      start = from + 2;
      if (start >= n) {
        return fail(NOTHING_AFTER_STAR, 0);
      }
      flags |= WILDCARD;
    }
    if (n - start > DomainName.MAX_LENGTH) {
      return fail(TOO_LONG, start - from);
    }
    int labelStart = start;
    boolean lastLabelAllDigits = true;
    for (int i = start; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 'a' && c <= 'z') {
        lastLabelAllDigits = false;
      } else if (c >= '0' && c <= '9') {
        continue;
      } else if (c == '.') {
        int bad = badLabel(s, from, labelStart, i);
        if (bad != 0) {
          return bad;
        }
        labelStart = i + 1;
        lastLabelAllDigits = true;
      } else if (c == '-') {
        lastLabelAllDigits = false;
      } else if (c >= 'A' && c <= 'Z') {
        lastLabelAllDigits = false;
        flags |= UPPER_CASE;
      } else {
        return fail(BAD_CHARACTER, i - from);
      }
    }
    int bad = badLabel(s, from, labelStart, n);
    if (bad != 0) {
      return bad;
    }
    if (lastLabelAllDigits) {
      return fail(IP_ADDRESS, 0);
    }
    return flags;
  }

  /** Returns 0 when {@code s[start, end)} is a good label, else its problem's code. */
  private static int badLabel(String s, int from, int start, int end) {
    int len = end - start;
    if (len == 0) {
      return fail(EMPTY_LABEL, start - from);
    }
    if (len > DomainName.MAX_LABEL_LENGTH) {
      return fail(LABEL_TOO_LONG, start - from);
    }
    if (s.charAt(start) == '-' || s.charAt(end - 1) == '-') {
      return fail(HYPHEN_AT_LABEL_END, start - from);
    }
    return 0;
  }

  /** Encodes a problem; offsets stay below 256 because longer names fail before the loop. */
  private static int fail(int kind, int offset) {
    return ~(kind | offset << 4);
  }

  /** Words the problem that {@code code} (from {@link #scan}) found in {@code s[from, to)}. */
  private static String problem(int code, String s, int from, int to) {
    int n = to > from && s.charAt(to - 1) == '.' ? to - 1 : to;
    int at = from + (~code >>> 4);
    switch (~code & 0xF) {
      case EMPTY:
        return "it is empty";
      case BARE_STAR:
        return "a bare '*' is not allowed; write *.example.com";
      case STAR_NOT_A_LABEL:
        return "'*' must be the whole first label, followed by '.'";
      case NOTHING_AFTER_STAR:
        return "'*.' must be followed by a domain name";
      case TOO_LONG:
        return "it is too long (" + (n - at) + " characters, the limit is 253)";
      case EMPTY_LABEL:
        return "it has an empty label";
      case LABEL_TOO_LONG:
        return "a label is " + (labelEnd(s, at, n) - at) + " characters long, the limit is 63";
      case HYPHEN_AT_LABEL_END:
        return "label \"" + s.substring(at, labelEnd(s, at, n)) + "\" starts or ends with '-'";
      case BAD_CHARACTER:
        char c = s.charAt(at);
        if (c == '*') {
          return "'*' is only allowed as the whole first label (*.example.com)";
        }
        if (c >= 0x80) {
          return "it contains non-ASCII characters; write the name in A-label (xn--) form";
        }
        if (c == '_') {
          return "'_' is not allowed in a host name";
        }
        if (c == ',') {
          return "it contains ','; list each pattern on its own mx line";
        }
        return "it contains " + DomainName.describe(c) + "; only letters, digits, '-' and '.' are"
            + " allowed";
      default:
        return "it looks like an IP address; mx patterns must be host names";
    }
  }

  private static int labelEnd(String s, int labelStart, int n) {
    int dot = s.indexOf('.', labelStart);
    return dot < 0 || dot > n ? n : dot;
  }
}
