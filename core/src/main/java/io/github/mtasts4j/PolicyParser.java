package io.github.mtasts4j;

import java.util.ArrayList;
import java.util.List;

/**
 * One single-pass scanner for policy files with two readings (checklist STS-44): the sender's,
 * tolerant of whitespace around keys and values and of blank lines, and the strict ABNF reading of
 * RFC 8461 §3.2 used by {@link PolicyLint}. Both are exact about keys, values and required fields.
 */
final class PolicyParser {
  private static final long ONE_DAY = 86_400L;

  private final boolean strict;
  private final String text;
  private List<LintProblem> errors = List.of();
  private List<LintProblem> warnings = List.of();

  private Mode mode;
  private long maxAge = -1;
  private boolean sawVersion;
  private final List<MxPattern> mx = new ArrayList<>(4);
  private int modeLine;
  private int maxAgeLine;
  private int versionLine;
  private List<String> extensionNames = List.of();

  private PolicyParser(String text, boolean strict) {
    this.text = text;
    this.strict = strict;
  }

  static Policy parseForSender(String text) {
    PolicyParser parser = new PolicyParser(text, false);
    parser.scan();
    if (!parser.errors.isEmpty()) {
      throw new InvalidPolicyException(parser.errors);
    }
    return new Policy(parser.mode, parser.maxAge, parser.mx);
  }

  static LintReport lint(String text) {
    PolicyParser parser = new PolicyParser(text, true);
    parser.scan();
    Policy senderView;
    try {
      senderView = parseForSender(text);
    } catch (InvalidPolicyException e) {
      senderView = null;
    }
    return new LintReport(senderView, parser.errors, parser.warnings);
  }

  private void scan() {
    int len = text.length();
    int pos = 0;
    int line = 1;
    if (strict && len > 0 && text.charAt(0) == '\uFEFF') {
      error(1, "the file starts with a byte-order mark (BOM); remove it");
      pos = 1;
    }
    if (len == 0) {
      error(0, "the policy file is empty");
    }
    while (pos < len) {
      int eol = text.indexOf('\n', pos);
      int next = eol < 0 ? len : eol + 1;
      int end = eol < 0 ? len : eol;
      if (end > pos && text.charAt(end - 1) == '\r') {
        end--;
      }
      scanLine(line, pos, end);
      pos = next;
      line++;
    }
    finish();
  }

  private void scanLine(int line, int start, int end) {
    int s = start;
    int e = end;
    while (s < e && isWsp(text.charAt(s))) {
      s++;
    }
    while (e > s && isWsp(text.charAt(e - 1))) {
      e--;
    }
    if (s == e) {
      if (strict) {
        error(line, "blank lines are not allowed in a policy file");
      }
      return;
    }
    if (strict && s > start) {
      error(line, "the line starts with whitespace; keys must start at the beginning of the line");
    }
    if (strict) {
      for (int i = start; i < end; i++) {
        if (text.charAt(i) == '\r') {
          error(line, "stray carriage return (CR) inside the line");
          break;
        }
      }
    }
    int colon = text.indexOf(':', s);
    if (colon < 0 || colon >= e) {
      if (text.charAt(s) == '#') {
        error(line, "comments are not allowed in a policy file");
      } else {
        error(
            line,
            "no colon: expected \"key: value\", found " + DomainName.quote(text.substring(s, e)));
      }
      return;
    }
    int keyEnd = colon;
    while (keyEnd > s && isWsp(text.charAt(keyEnd - 1))) {
      keyEnd--;
    }
    if (strict && keyEnd < colon) {
      error(line, "whitespace before the colon is not allowed");
    }
    int v = colon + 1;
    while (v < e && isWsp(text.charAt(v))) {
      v++;
    }
    if (keyIs(s, keyEnd, "version")) {
      if (!sawVersion) {
        sawVersion = true;
        versionLine = line;
        if (!valueIs(v, e, "STSv1")) {
          error(line, "version must be exactly STSv1, found " + quotedValue(v, e));
        }
      } else {
        duplicate(line, "version", versionLine);
      }
    } else if (keyIs(s, keyEnd, "mode")) {
      if (modeLine == 0) {
        modeLine = line;
        mode = modeOf(v, e);
        if (mode == null) {
          error(
              line,
              "mode must be exactly enforce, testing or none (lower case), found "
                  + quotedValue(v, e));
        }
      } else {
        duplicate(line, "mode", modeLine);
      }
    } else if (keyIs(s, keyEnd, "max_age")) {
      if (maxAgeLine == 0) {
        maxAgeLine = line;
        maxAge = parseMaxAge(line, v, e);
      } else {
        duplicate(line, "max_age", maxAgeLine);
      }
    } else if (keyIs(s, keyEnd, "mx")) {
      String value = text.substring(v, e);
      try {
        MxPattern pattern = MxPattern.parse(value);
        if (strict && value.endsWith(".")) {
          error(line, "mx " + DomainName.quote(value) + " must not end with a dot");
        }
        mx.add(pattern);
      } catch (IllegalArgumentException ex) {
        error(line, ex.getMessage());
      }
    } else {
      extension(line, s, keyEnd, v, e);
    }
  }

  private void extension(int line, int s, int keyEnd, int v, int e) {
    if (!PolicyRecord.isValidExtensionName(text, s, keyEnd)) {
      error(
          line,
          "invalid key "
              + DomainName.quote(text.substring(s, keyEnd))
              + ": keys are version, mode, max_age, mx, or an extension name of letters, digits,"
              + " '_', '-' and '.' starting with a letter or digit (at most 32 characters)");
      return;
    }
    String name = text.substring(s, keyEnd);
    if (strict) {
      if (v == e) {
        error(line, "extension " + name + " has an empty value");
      }
      for (int i = v; i < e; i++) {
        char c = text.charAt(i);
        if (c < 0x20 && c != '\t' || c == 0x7f) {
          error(line, "control character " + DomainName.describe(c) + " in the value of " + name);
          break;
        }
      }
      if (extensionNames.contains(name)) {
        warning(line, "duplicate key " + name + ": only the first occurrence counts");
      } else {
        if (extensionNames.isEmpty()) {
          extensionNames = new ArrayList<>();
        }
        extensionNames.add(name);
      }
    }
  }

  private long parseMaxAge(int line, int v, int e) {
    int digits = e - v;
    boolean ok = digits >= 1 && digits <= 10;
    long value = 0;
    for (int i = v; ok && i < e; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        ok = false;
      } else {
        value = value * 10 + (c - '0');
      }
    }
    if (!ok) {
      error(line, "max_age must be 1 to 10 digits (seconds), found " + quotedValue(v, e));
      return -1;
    }
    if (value > Policy.MAX_AGE_LIMIT) {
      if (strict) {
        error(
            line,
            "max_age "
                + value
                + " is above the maximum 31557600 (365.25 days); senders cap it there");
      }
      return Policy.MAX_AGE_LIMIT;
    }
    if (strict && value < ONE_DAY) {
      warning(
          line,
          "max_age "
              + value
              + " is under a day; RFC 8461 §10.2 advises weeks or more so a blocked lookup"
              + " cannot strip the policy");
    }
    return value;
  }

  private void finish() {
    if (!sawVersion) {
      error(0, "missing required \"version: STSv1\" line");
    }
    if (modeLine == 0) {
      error(0, "missing required \"mode\" line (enforce, testing or none)");
    }
    if (maxAgeLine == 0) {
      error(0, "missing required \"max_age\" line");
    }
    if (mode != null && mode != Mode.NONE && mx.isEmpty()) {
      error(0, "mode " + mode.token() + " needs at least one valid \"mx\" line");
    }
    if (strict && mode == Mode.TESTING) {
      warning(
          modeLine,
          "mode is testing: senders deliver even when TLS fails and only report it; switch to"
              + " enforce once reports are clean");
    }
    if (strict) {
      for (MxPattern p : mx) {
        if (p instanceof MxPattern.Wildcard w && w.suffix().labelCount() < 2) {
          warning(0, "mx " + p.text() + " matches hosts under a whole top-level domain");
        }
      }
    }
  }

  private void duplicate(int line, String key, int firstLine) {
    if (strict) {
      warning(
          line, "duplicate key " + key + ": only the first occurrence (line " + firstLine
              + ") counts");
    }
  }

  private Mode modeOf(int v, int e) {
    for (Mode m : Mode.values()) {
      if (valueIs(v, e, m.token())) {
        return m;
      }
    }
    return null;
  }

  private boolean keyIs(int s, int keyEnd, String key) {
    return keyEnd - s == key.length() && text.startsWith(key, s);
  }

  private boolean valueIs(int v, int e, String expected) {
    return e - v == expected.length() && text.startsWith(expected, v);
  }

  private String quotedValue(int v, int e) {
    return v == e ? "nothing" : DomainName.quote(text.substring(v, e));
  }

  private void error(int line, String message) {
    if (errors.isEmpty()) {
      errors = new ArrayList<>();
    }
    errors.add(new LintProblem(line, message));
  }

  private void warning(int line, String message) {
    if (warnings.isEmpty()) {
      warnings = new ArrayList<>();
    }
    warnings.add(new LintProblem(line, message));
  }

  private static boolean isWsp(char c) {
    return c == ' ' || c == '\t';
  }
}
