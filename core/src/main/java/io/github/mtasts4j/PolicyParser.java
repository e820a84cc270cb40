package io.github.mtasts4j;

import java.util.ArrayList;
import java.util.Arrays;
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
    // Most policies have one to three patterns: the first two stay in locals.
    MxPattern mx0 = null;
    MxPattern mx1 = null;
    MxPattern[] mxs = null;
    int mxCount = 0;

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
      int colon = indexOf(body, ':', start, end);
      if (colon < 0) {
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
        MxPattern p;
        try {
          p = MxPatternParser.parse(body, valueStart, end);
        } catch (IllegalArgumentException e) {
          problems = add(problems, lineNo, e.getMessage());
          continue;
        }
        if (mxCount == 0) {
          mx0 = p;
        } else if (mxCount == 1) {
          mx1 = p;
        } else {
          if (mxs == null) {
            mxs = new MxPattern[] {mx0, mx1, null};
          } else if (mxCount == mxs.length) {
            mxs = Arrays.copyOf(mxs, mxCount * 2);
          }
          mxs[mxCount] = p;
        }
        mxCount++;
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
    if (mxCount == 0 && mode != Mode.NONE) {
      problems = add(problems, 0,
          "no valid \"mx\" line; at least one is required unless mode is none");
    }
    if (problems != null) {
      throw new InvalidPolicyException(problems);
    }
    return new Policy(mode, maxAge, patterns(mx0, mx1, mxs, mxCount));
  }

  /**
   * The patterns as an immutable list of a kind that {@link Policy}'s {@code List.copyOf} keeps
   * as it is; one or two patterns need no array at all.
   */
  private static List<MxPattern> patterns(@Nullable MxPattern mx0, @Nullable MxPattern mx1,
      MxPattern @Nullable [] mxs, int count) {
    switch (count) {
      case 0:
        return List.of();
      case 1:
        return List.of(mx0);
      case 2:
        return List.of(mx0, mx1);
      default:
        return List.of(mxs.length == count ? mxs : Arrays.copyOf(mxs, count));
    }
  }

  /** The mode spelled exactly {@code s[start, end)}, or null; no {@code values()} array copy. */
  private static @Nullable Mode modeAt(String s, int start, int end) {
    int len = end - start;
    if (is(s, start, len, Mode.ENFORCE.token())) {
      return Mode.ENFORCE;
    }
    if (is(s, start, len, Mode.TESTING.token())) {
      return Mode.TESTING;
    }
    if (is(s, start, len, Mode.NONE.token())) {
      return Mode.NONE;
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

  /**
   * The first {@code c} in {@code s[from, to)}, or -1. Unlike {@code String.indexOf} it stops at
   * the line end, so lines without a colon cost linear time, not quadratic.
   */
  private static int indexOf(String s, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return -1;
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
