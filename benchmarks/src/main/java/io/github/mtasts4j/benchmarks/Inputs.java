package io.github.mtasts4j.benchmarks;

import java.util.List;

/** Inputs shared by the benchmarks: the same texts perf-anchors.md used. */
final class Inputs {
  /** 4-line policy, LF (65 bytes). */
  static final String POL4 = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n";

  /**
   * 6-line policy, CRLF, 3 mx of which one wildcard (114 bytes; perf-anchors.md used 115, its exact
   * text was not kept).
   */
  static final String POL6_CRLF =
      "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: mx2.example.org\r\n"
          + "mx: *.mail.example.net\r\nmax_age: 604800\r\n";

  /** 60-line policy: version, mode, 57 mx lines, max_age. */
  static final String POL60 = many(57);

  /** The TXT record (28 bytes). */
  static final String TXT = "v=STSv1; id=20240101T000000;";

  private Inputs() {}

  private static String many(int mxLines) {
    StringBuilder b = new StringBuilder("version: STSv1\nmode: enforce\n");
    for (int i = 0; i < mxLines; i++) {
      b.append("mx: mx").append(i).append(i % 3 == 0 ? ".mail.example.net\n" : ".example.com\n");
    }
    return b.append("max_age: 604800\n").toString();
  }

  /** A policy body in enforce mode with these mx lines. */
  static String policyWithMx(List<String> mx) {
    StringBuilder b = new StringBuilder("version: STSv1\nmode: enforce\n");
    for (String m : mx) {
      b.append("mx: ").append(m).append('\n');
    }
    return b.append("max_age: 86400\n").toString();
  }

  /** A new String instance equal to {@code s}, so no benchmark sees a shared literal. */
  static String fresh(String s) {
    return new String(s.toCharArray());
  }

  /** Fails the trial setup when a benchmark would measure the wrong thing. */
  static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("benchmark precondition failed: " + what);
    }
  }
}
