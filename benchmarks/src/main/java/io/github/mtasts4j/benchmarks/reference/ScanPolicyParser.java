package io.github.mtasts4j.benchmarks.reference;

import java.util.Arrays;
import java.util.Locale;

/**
 * The limit reference for parsing: a single pass over the characters with the RFC 8461 §3.1/§3.2
 * checks (LF or CRLF line ends, {@code *WSP} after the colon, {@code mx} as {@code ["*."] Domain}
 * with label rules, {@code max_age} as 1–10 digits up to 31557600, {@code id} as 1–32
 * letters or digits). It allocates only its result. Not used by the library.
 */
public final class ScanPolicyParser {
  private static final long MAX_AGE_LIMIT = 31_557_600L;

  private ScanPolicyParser() {}

  /**
   * The parsed policy.
   *
   * @param mode 0 none, 1 testing, 2 enforce
   * @param maxAge max_age in seconds
   * @param mx the mx patterns, lower case
   */
  public record Scanned(int mode, long maxAge, String[] mx) {}

  /**
   * Parses a policy body.
   *
   * @param s the body
   * @return the policy
   * @throws IllegalArgumentException on any syntax or semantic error
   */
  public static Scanned parse(String s) {
    int n = s.length();
    int i = 0;
    boolean version = false;
    int mode = -1;
    long maxAge = -1;
    String[] mx = new String[4];
    int mxCount = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\n') {
        i++;
        continue;
      }
      if (c == '\r') {
        if (i + 1 < n && s.charAt(i + 1) == '\n') {
          i += 2;
          continue;
        }
        throw new IllegalArgumentException("bare CR at " + i);
      }
      int keyStart = i;
      while (i < n && isKeyChar(s.charAt(i))) {
        i++;
      }
      int keyLen = i - keyStart;
      if (keyLen == 0 || keyLen > 32 || i >= n || s.charAt(i) != ':') {
        throw new IllegalArgumentException("bad key at " + keyStart);
      }
      i++;
      while (i < n && ((c = s.charAt(i)) == ' ' || c == '\t')) {
        i++;
      }
      int valStart = i;
      while (i < n && (c = s.charAt(i)) != '\n' && c != '\r') {
        if ((c < 0x20 && c != '\t') || c > 0x7e) {
          throw new IllegalArgumentException("bad character at " + i);
        }
        i++;
      }
      int valEnd = i;
      while (valEnd > valStart && ((c = s.charAt(valEnd - 1)) == ' ' || c == '\t')) {
        valEnd--;
      }
      if (keyLen == 2 && s.startsWith("mx", keyStart)) {
        checkMx(s, valStart, valEnd);
        String v = s.substring(valStart, valEnd);
        if (hasUpper(v)) {
          v = v.toLowerCase(Locale.ROOT);
        }
        if (mxCount == mx.length) {
          mx = Arrays.copyOf(mx, mxCount * 2);
        }
        mx[mxCount++] = v;
      } else if (keyLen == 4 && s.startsWith("mode", keyStart)) {
        if (mode >= 0) {
          throw new IllegalArgumentException("duplicate mode");
        }
        mode = mode(s, valStart, valEnd);
      } else if (keyLen == 7 && s.startsWith("max_age", keyStart)) {
        if (maxAge >= 0) {
          throw new IllegalArgumentException("duplicate max_age");
        }
        maxAge = maxAge(s, valStart, valEnd);
      } else if (keyLen == 7 && s.startsWith("version", keyStart)) {
        if (version || valEnd - valStart != 5 || !s.startsWith("STSv1", valStart)) {
          throw new IllegalArgumentException("bad version");
        }
        version = true;
      }
    }
    if (!version || mode < 0 || maxAge < 0 || (mxCount == 0 && mode != 0)) {
      throw new IllegalArgumentException("missing field");
    }
    return new Scanned(mode, maxAge, mxCount == mx.length ? mx : Arrays.copyOf(mx, mxCount));
  }

  /**
   * Parses a TXT record and returns its id.
   *
   * @param s the record
   * @return the id
   * @throws IllegalArgumentException if it is not a valid {@code v=STSv1} record
   */
  public static String parseTxtId(String s) {
    if (!s.startsWith("v=STSv1")) {
      throw new IllegalArgumentException("not STSv1");
    }
    int n = s.length();
    int i = 7;
    String id = null;
    while (true) {
      i = skipWsp(s, i, n);
      if (i == n) {
        break;
      }
      if (s.charAt(i) != ';') {
        throw new IllegalArgumentException("expected ; at " + i);
      }
      i = skipWsp(s, i + 1, n);
      if (i == n) {
        break;
      }
      int keyStart = i;
      while (i < n && isKeyChar(s.charAt(i))) {
        i++;
      }
      if (i == keyStart || i == n || s.charAt(i) != '=') {
        throw new IllegalArgumentException("bad field at " + keyStart);
      }
      int keyEnd = i++;
      int valStart = i;
      char c;
      while (i < n && (c = s.charAt(i)) > 0x20 && c < 0x7f && c != ';' && c != '=') {
        i++;
      }
      if (keyEnd - keyStart == 2 && s.charAt(keyStart) == 'i' && s.charAt(keyStart + 1) == 'd'
          && id == null) {
        int len = i - valStart;
        if (len < 1 || len > 32) {
          throw new IllegalArgumentException("bad id length");
        }
        for (int k = valStart; k < i; k++) {
          if (!isAlnum(s.charAt(k))) {
            throw new IllegalArgumentException("bad id character");
          }
        }
        id = s.substring(valStart, i);
      }
    }
    if (id == null) {
      throw new IllegalArgumentException("no id");
    }
    return id;
  }

  private static int skipWsp(String s, int i, int n) {
    char c;
    while (i < n && ((c = s.charAt(i)) == ' ' || c == '\t')) {
      i++;
    }
    return i;
  }

  private static int mode(String s, int from, int to) {
    int len = to - from;
    if (len == 7 && s.startsWith("enforce", from)) {
      return 2;
    }
    if (len == 7 && s.startsWith("testing", from)) {
      return 1;
    }
    if (len == 4 && s.startsWith("none", from)) {
      return 0;
    }
    throw new IllegalArgumentException("bad mode");
  }

  private static long maxAge(String s, int from, int to) {
    int len = to - from;
    if (len < 1 || len > 10) {
      throw new IllegalArgumentException("bad max_age");
    }
    long v = 0;
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("bad max_age");
      }
      v = v * 10 + (c - '0');
    }
    if (v > MAX_AGE_LIMIT) {
      throw new IllegalArgumentException("max_age too large");
    }
    return v;
  }

  private static void checkMx(String s, int from, int to) {
    int i = from;
    if (to - i > 2 && s.charAt(i) == '*' && s.charAt(i + 1) == '.') {
      i += 2;
    }
    if (to - i > 253 || i == to) {
      throw new IllegalArgumentException("bad mx length");
    }
    int labelStart = i;
    for (; i <= to; i++) {
      char c = i == to ? '.' : s.charAt(i);
      if (c == '.') {
        int len = i - labelStart;
        if (len < 1 || len > 63 || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
          throw new IllegalArgumentException("bad mx label");
        }
        labelStart = i + 1;
      } else if (!isAlnum(c) && c != '-') {
        throw new IllegalArgumentException("bad mx character");
      }
    }
  }

  private static boolean hasUpper(String v) {
    for (int k = 0, n = v.length(); k < n; k++) {
      char c = v.charAt(k);
      if (c >= 'A' && c <= 'Z') {
        return true;
      }
    }
    return false;
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isKeyChar(char c) {
    return isAlnum(c) || c == '_' || c == '-' || c == '.';
  }
}
