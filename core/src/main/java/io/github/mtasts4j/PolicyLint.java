package io.github.mtasts4j;

import java.net.IDN;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The strict reading of a policy file, for publishers: reports every deviation from the RFC 8461
 * §3.2 grammar with its line number, worded for a mail administrator. No network.
 *
 * <p>Errors (the file does not follow RFC 8461 §3.2): a byte-order mark, blank lines, leading
 * whitespace, comment lines, lines without a colon, whitespace before the colon, invalid field
 * names, field names in the wrong case, a carriage return that does not end a line, non-ASCII
 * text outside extension values, a {@code version} other than {@code STSv1}, a {@code mode} other
 * than {@code enforce}, {@code testing} or {@code none}, a {@code max_age} that is not 1 to 10
 * digits or is above 31557600 (checklist STS-37), an {@code mx} that is not {@code ["*."] Domain}
 * in A-label form (including a trailing dot or a U-label), an empty or control-character extension
 * value, and missing required fields.
 *
 * <p>Warnings (legal but risky): {@code max_age} below one day (RFC 8461 §10.2 recommends long
 * lifetimes), {@code mode: testing}, wildcard patterns directly under a top-level or common
 * second-level domain ({@code *.com}, {@code *.co.uk}), repeated fields (only the first counts),
 * and repeated {@code mx} patterns. LF versus CRLF line ends, mixed line ends and a missing final
 * line end are not problems.
 */
public final class PolicyLint {
  private PolicyLint() {}

  private static final long ONE_DAY = 86_400L;

  /** Second-level labels under which a one-label wildcard covers many unrelated organisations. */
  private static final Set<String> PUBLIC_SECOND_LEVEL =
      Set.of("co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go", "mil", "gv");

  private static final List<String> KNOWN = List.of("version", "mode", "max_age", "mx");

  /** Lints {@code body}; never throws for bad content. */
  public static LintReport lint(String body) {
    Objects.requireNonNull(body, "body");
    List<LintProblem> errors = new ArrayList<>();
    List<LintProblem> warnings = new ArrayList<>();
    Set<String> seenKeys = new HashSet<>();
    Set<String> seenMx = new HashSet<>();
    boolean sawVersion = false;
    Mode mode = null;
    boolean sawMode = false;
    boolean sawMaxAge = false;
    int validMx = 0;

    int n = body.length();
    int pos = 0;
    int lineNo = 0;
    while (pos < n) {
      lineNo++;
      int nl = body.indexOf('\n', pos);
      int end = nl < 0 ? n : nl;
      int next = nl < 0 ? n : nl + 1;
      if (end > pos && body.charAt(end - 1) == '\r') {
        end--;
      }
      String line = body.substring(pos, end);
      pos = next;
      final int ln = lineNo;

      if (ln == 1 && line.startsWith("\uFEFF")) {
        errors.add(new LintProblem(ln, "the file starts with a byte-order mark (BOM);"
            + " save it as plain text without a BOM"));
        line = line.substring(1);
      }
      if (line.indexOf('\r') >= 0) {
        errors.add(new LintProblem(ln, quote(line) + " — contains a carriage return that does not"
            + " end the line; use LF or CRLF line ends only"));
        line = line.replace("\r", "");
      }
      if (line.isBlank()) {
        errors.add(new LintProblem(ln, "blank line — the policy format has no blank lines;"
            + " remove it"));
        continue;
      }
      String shown = quote(line);
      int start = PolicyParser.skipBlank(line, 0, line.length());
      if (start > 0) {
        errors.add(new LintProblem(ln, shown + " — leading whitespace; every line must start"
            + " with the field name"));
      }
      if (line.charAt(start) == '#') {
        errors.add(new LintProblem(ln, shown + " — comment lines are not allowed in a policy"
            + " file; remove it"));
        continue;
      }
      int colon = line.indexOf(':', start);
      if (colon < 0) {
        errors.add(new LintProblem(ln, shown + " — not a \"name: value\" line (no ':')"));
        continue;
      }
      int keyEnd = colon;
      while (keyEnd > start
          && (line.charAt(keyEnd - 1) == ' ' || line.charAt(keyEnd - 1) == '\t')) {
        keyEnd--;
      }
      if (keyEnd < colon) {
        errors.add(new LintProblem(ln, shown + " — no space is allowed before ':'"));
      }
      String key = line.substring(start, keyEnd);
      if (!Syntax.isPolicyFieldName(line, start, keyEnd)) {
        errors.add(new LintProblem(ln, shown + " — \"" + DomainName.printable(key) + "\" is not"
            + " a valid field name (a letter or digit, then up to 31 letters, digits, '_', '-'"
            + " or '.')"));
        continue;
      }
      int valueStart = PolicyParser.skipBlank(line, colon + 1, line.length());
      int valueEnd = line.length();
      while (valueEnd > valueStart
          && (line.charAt(valueEnd - 1) == ' ' || line.charAt(valueEnd - 1) == '\t')) {
        valueEnd--;
      }
      String value = line.substring(valueStart, valueEnd);
      boolean first = seenKeys.add(key);
      if (!first && !key.equals("mx")) {
        warnings.add(new LintProblem(ln, shown + " — \"" + key + "\" appears more than once;"
            + " only the first one counts"));
        continue;
      }
      boolean asciiValue = DomainName.isAscii(value);
      switch (key) {
        case "version":
          sawVersion = true;
          if (!value.equals(PolicyParser.VERSION)) {
            errors.add(new LintProblem(ln, shown + " — version must be exactly STSv1"
                + " (case-sensitive)"));
          }
          break;
        case "mode":
          sawMode = true;
          mode = Mode.fromToken(value);
          if (mode == null) {
            errors.add(new LintProblem(ln, shown + " — mode must be exactly enforce, testing or"
                + " none (case-sensitive)"));
          } else if (mode == Mode.TESTING) {
            warnings.add(new LintProblem(ln, shown + " — testing mode only reports failures;"
                + " senders still deliver over insecure connections. Switch to enforce once"
                + " reports are clean"));
          }
          break;
        case "max_age":
          sawMaxAge = true;
          long maxAge = Syntax.maxAge(value, 0, value.length());
          if (maxAge < 0) {
            errors.add(new LintProblem(ln, shown + " — max_age must be a whole number of"
                + " seconds, 1 to 10 digits"));
          } else if (maxAge > Policy.MAX_AGE_LIMIT) {
            errors.add(new LintProblem(ln, shown + " — max_age may be at most 31557600"
                + " (one year); senders will cap it"));
          } else if (maxAge < ONE_DAY) {
            warnings.add(new LintProblem(ln, shown + " — max_age below 86400 (one day) gives"
                + " little protection; RFC 8461 §10.2 recommends weeks (e.g. 604800 or more)"));
          }
          break;
        case "mx":
          MxPattern pattern = lintMx(value, asciiValue, ln, shown, errors, warnings);
          if (pattern != null) {
            validMx++;
            if (!seenMx.add(pattern.text())) {
              warnings.add(new LintProblem(ln, shown + " — this mx pattern is listed twice"));
            }
          }
          break;
        default:
          lintExtension(key, value, ln, shown, errors);
          break;
      }
      if (!asciiValue && KNOWN.contains(key) && !key.equals("mx")) {
        errors.add(new LintProblem(ln, shown + " — contains non-ASCII characters; only"
            + " extension values may"));
      }
    }
    if (!sawVersion) {
      errors.add(new LintProblem(0, "the required line \"version: STSv1\" is missing"));
    }
    if (!sawMode) {
      errors.add(new LintProblem(0, "the required \"mode\" line is missing (mode: enforce,"
          + " testing or none)"));
    }
    if (!sawMaxAge) {
      errors.add(new LintProblem(0, "the required \"max_age\" line is missing"));
    }
    if (validMx == 0 && mode != Mode.NONE) {
      errors.add(new LintProblem(0, "no valid \"mx\" line; at least one is required unless"
          + " mode is none"));
    }
    Policy policy;
    try {
      policy = PolicyParser.parse(body);
    } catch (InvalidPolicyException e) {
      policy = null;
    }
    return new LintReport(policy, errors, warnings);
  }

  /**
   * Checks one mx value strictly; returns the pattern a sender would use (also when the strict
   * reading objects to a trailing dot), or null when there is none.
   */
  private static @Nullable MxPattern lintMx(String value, boolean ascii, int ln, String shown,
      List<LintProblem> errors, List<LintProblem> warnings) {
    if (!ascii) {
      String hint = "";
      try {
        hint = " (" + IDN.toASCII(value, 0) + ")";
      } catch (IllegalArgumentException e) {
        // no hint
      }
      errors.add(new LintProblem(ln, shown + " — mx patterns must use the A-label (xn--) form of"
          + " international names" + hint));
      return null;
    }
    MxPattern pattern;
    try {
      pattern = MxPattern.parse(value);
    } catch (IllegalArgumentException e) {
      String why = value.equals(".") ? "a lone '.' is not a host name" : e.getMessage();
      errors.add(new LintProblem(ln, shown + " — " + why));
      return null;
    }
    if (value.endsWith(".")) {
      // Senders strip it (STS-57), but RFC 5321 Domain has no trailing dot.
      errors.add(new LintProblem(ln, shown + " — an mx pattern must not end with a dot; write "
          + value.substring(0, value.length() - 1)));
      // Still a usable pattern, so it does not also count as a missing mx.
    }
    if (pattern instanceof MxPattern.Wildcard w) {
      String suffix = w.suffix().value();
      int dot = suffix.indexOf('.');
      boolean broad = dot < 0
          || (suffix.indexOf('.', dot + 1) < 0
              && PUBLIC_SECOND_LEVEL.contains(suffix.substring(0, dot)));
      if (broad) {
        warnings.add(new LintProblem(ln, shown + " — this wildcard matches hosts of many"
            + " unrelated organisations; list your provider's names instead"));
      }
    }
    return pattern;
  }

  private static void lintExtension(String key, String value, int ln, String shown,
      List<LintProblem> errors) {
    for (String known : KNOWN) {
      if (known.equalsIgnoreCase(key)) {
        errors.add(new LintProblem(ln, shown + " — field names are case-sensitive: write \""
            + known + "\", not \"" + key + "\""));
        return;
      }
    }
    if (value.isEmpty()) {
      errors.add(new LintProblem(ln, shown + " — field \"" + key + "\" has no value"));
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        errors.add(new LintProblem(ln, shown + " — the value of \"" + key + "\" contains a"
            + " control character (" + DomainName.describe(c) + ")"));
        return;
      }
    }
  }

  private static String quote(String line) {
    return "\"" + DomainName.printable(line) + "\"";
  }
}
