package io.github.mtasts4j;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The sender's reading of a policy body (RFC 8461 §3.2 with the leniency of checklist STS-44): one
 * pass over the text, no regular expressions.
 *
 * <p>Decisions, beyond the ABNF:
 *
 * <ul>
 *   <li>Lines end in LF or CRLF; the final line end is optional. A leading byte-order mark,
 *       blank lines, and spaces or tabs at the start or end of a line, or around the colon, are
 *       tolerated.
 *   <li>Every other line must be {@code name: value} with a syntactically valid field name. A line
 *       without a colon (a comment, YAML front matter, a typo) rejects the policy instead of being
 *       dropped silently; a misspelled name such as {@code nmx:} is a valid extension name, is
 *       ignored, and usually leaves the policy without its required {@code mx}.
 *   <li>{@code version}, {@code mode} and {@code max_age}: the first occurrence counts and later
 *       ones are ignored, even when malformed (STS-41). Names and values are case-sensitive.
 *   <li>{@code max_age}: 1 to 10 digits; values above {@link Policy#MAX_AGE_LIMIT} are capped
 *       (STS-37).
 *   <li>{@code mx}: every line counts, and one malformed pattern rejects the policy (see {@link
 *       MxPattern#parse(String)}).
 *   <li>Extension fields: the name must be valid; the value is ignored.
 * </ul>
 */
final class PolicyParser {
  private PolicyParser() {}

  static final String VERSION = "STSv1";

  static Policy parse(String body) {
    List<LintProblem> problems = null;
    Mode mode = null;
    boolean sawVersion = false;
    boolean sawMode = false;
    long maxAge = -1;
    boolean sawMaxAge = false;
    List<MxPattern> mx = new ArrayList<>(4);

    int n = body.length();
    int pos = 0;
    if (n > 0 && body.charAt(0) == '\uFEFF') {
      pos = 1;
    }
    int lineNo = 0;
    while (pos < n) {
      lineNo++;
      int nl = body.indexOf('\n', pos);
      int lineEnd = nl < 0 ? n : nl;
      int next = nl < 0 ? n : nl + 1;
      int start = skipBlank(body, pos, lineEnd);
      int end = trimEnd(body, start, lineEnd);
      pos = next;
      if (start == end) {
        continue;
      }
      int colon = body.indexOf(':', start);
      if (colon < 0 || colon >= end) {
        problems = add(problems, lineNo, quote(body, start, end)
            + " is not a \"name: value\" line");
        continue;
      }
      int keyEnd = trimEnd(body, start, colon);
      int valueStart = skipBlank(body, colon + 1, end);
      if (!Syntax.isPolicyFieldName(body, start, keyEnd)) {
        problems = add(problems, lineNo, quote(body, start, end)
            + " — \"" + DomainName.printable(body.substring(start, keyEnd))
            + "\" is not a valid field name");
        continue;
      }
      int keyLen = keyEnd - start;
      if (is(body, start, keyLen, "mx")) {
        String value = body.substring(valueStart, end);
        try {
          mx.add(MxPattern.parse(value));
        } catch (IllegalArgumentException e) {
          problems = add(problems, lineNo, e.getMessage());
        }
      } else if (is(body, start, keyLen, "mode")) {
        if (!sawMode) {
          sawMode = true;
          mode = modeAt(body, valueStart, end);
          if (mode == null) {
            problems = add(problems, lineNo, quote(body, start, end)
                + " — mode must be exactly enforce, testing or none (case-sensitive)");
          }
        }
      } else if (is(body, start, keyLen, "max_age")) {
        if (!sawMaxAge) {
          sawMaxAge = true;
          maxAge = Syntax.maxAge(body, valueStart, end);
          if (maxAge < 0) {
            problems = add(problems, lineNo, quote(body, start, end)
                + " — max_age must be a whole number of seconds, 1 to 10 digits");
          } else if (maxAge > Policy.MAX_AGE_LIMIT) {
            maxAge = Policy.MAX_AGE_LIMIT;
          }
        }
      } else if (is(body, start, keyLen, "version")) {
        if (!sawVersion) {
          sawVersion = true;
          if (!(end - valueStart == VERSION.length()
              && body.startsWith(VERSION, valueStart))) {
            problems = add(problems, lineNo, quote(body, start, end)
                + " — version must be exactly STSv1 (case-sensitive)");
          }
        }
      }
      // Anything else is an extension field: ignored (RFC 8461 §3.2).
    }
    if (!sawVersion) {
      problems = add(problems, 0, "the required \"version: STSv1\" line is missing");
    }
    if (!sawMode) {
      problems = add(problems, 0, "the required \"mode\" line is missing");
    }
    if (!sawMaxAge) {
      problems = add(problems, 0, "the required \"max_age\" line is missing");
    }
    if (mx.isEmpty() && mode != Mode.NONE) {
      problems = add(problems, 0,
          "no valid \"mx\" line; at least one is required unless mode is none");
    }
    if (problems != null) {
      throw new InvalidPolicyException(problems);
    }
    return new Policy(mode, maxAge, mx);
  }

  private static @Nullable Mode modeAt(String s, int start, int end) {
    for (Mode m : Mode.values()) {
      String t = m.token();
      if (end - start == t.length() && s.startsWith(t, start)) {
        return m;
      }
    }
    return null;
  }

  private static boolean is(String s, int start, int len, String key) {
    return len == key.length() && s.startsWith(key, start);
  }

  private static List<LintProblem> add(@Nullable List<LintProblem> list, int line, String message) {
    List<LintProblem> l = list == null ? new ArrayList<>() : list;
    l.add(new LintProblem(line, message));
    return l;
  }

  /** Skips spaces and tabs from {@code i}, stopping at {@code end}. */
  static int skipBlank(String s, int i, int end) {
    while (i < end && isBlank(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Moves {@code end} back over trailing spaces, tabs and CRs, not before {@code start}. */
  static int trimEnd(String s, int start, int end) {
    while (end > start && (isBlank(s.charAt(end - 1)) || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return end;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  static String quote(String s, int start, int end) {
    return "\"" + DomainName.printable(s.substring(start, end)) + "\"";
  }
}
