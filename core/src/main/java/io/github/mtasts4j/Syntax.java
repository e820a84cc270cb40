package io.github.mtasts4j;

/** Character-level rules shared by the policy and record parsers (RFC 8461 §3.1, §3.2 ABNF). */
final class Syntax {
  private Syntax() {}

  static boolean isAlphaDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /**
   * {@code sts-ext-name} / {@code sts-policy-ext-name}: a letter or digit, then up to 31 letters,
   * digits, {@code _}, {@code -} or {@code .}.
   */
  static boolean isPolicyFieldName(String s, int start, int end) {
    int len = end - start;
    if (len < 1 || len > 32 || !isAlphaDigit(s.charAt(start))) {
      return false;
    }
    for (int i = start + 1; i < end; i++) {
      char c = s.charAt(i);
      if (!(isAlphaDigit(c) || c == '_' || c == '-' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  /** Parses {@code 1*10DIGIT}; returns -1 when the text is not that. */
  static long maxAge(String s, int start, int end) {
    int len = end - start;
    if (len < 1 || len > 10) {
      return -1;
    }
    long v = 0;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** {@code sts-ext-value} of the TXT record: {@code %x21-3A / %x3C / %x3E-7E}. */
  static boolean isRecordValueChar(char c) {
    return c >= 0x21 && c <= 0x7e && c != ';' && c != '=';
  }

  /** {@code sts-id}: 1 to 32 letters or digits. */
  static boolean isPolicyId(String s, int start, int end) {
    int len = end - start;
    if (len < 1 || len > 32) {
      return false;
    }
    for (int i = start; i < end; i++) {
      if (!isAlphaDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
