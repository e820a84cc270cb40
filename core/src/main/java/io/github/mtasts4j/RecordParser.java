package io.github.mtasts4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the {@code _mta-sts} TXT record strictly by the RFC 8461 §3.1 ABNF, in one pass:
 *
 * <pre>
 * record = "v=STSv1" 1*(delim field) [delim]
 * delim  = *WSP ";" *WSP
 * field  = "id=" 1*32(ALPHA / DIGIT) / ext-name "=" 1*(%x21-3A / %x3C / %x3E-7E)
 * </pre>
 *
 * <p>The first {@code id} counts and later ones are ignored (STS-7); so are later {@code v}
 * fields. Other fields are kept as extensions, first occurrence wins.
 */
final class RecordParser {
  private RecordParser() {}

  static final String VERSION = "v=STSv1";

  static PolicyRecord parse(String txt) {
    int n = txt.length();
    if (!txt.startsWith(VERSION)) {
      throw fail("the record must begin with exactly \"v=STSv1\" (case-sensitive), got \""
          + DomainName.printable(txt) + "\"");
    }
    String id = null;
    Map<String, String> ext = null;
    int pos = VERSION.length();
    while (true) {
      int p = skipWsp(txt, pos, n);
      if (p == n) {
        if (p > pos) {
          throw fail("whitespace at the end of the record is only allowed around a ';'");
        }
        break;
      }
      if (txt.charAt(p) != ';') {
        throw fail(pos == VERSION.length()
            ? "\"v=STSv1\" must be followed by ';' (got \"" + DomainName.printable(txt) + "\")"
            : "expected ';' between fields at position " + (p + 1) + " of \""
                + DomainName.printable(txt) + "\"");
      }
      p = skipWsp(txt, p + 1, n);
      if (p == n) {
        break; // one optional trailing delimiter
      }
      int eq = p;
      char c;
      while (eq < n && (c = txt.charAt(eq)) != '=' && c != ';' && c != ' ' && c != '\t') {
        eq++;
      }
      if (eq == p && txt.charAt(p) == ';') {
        throw fail("empty field between two ';' (only one trailing ';' is allowed)");
      }
      if (eq == n || txt.charAt(eq) != '=') {
        throw fail("field \"" + DomainName.printable(txt.substring(p, eq))
            + "\" is not name=value");
      }
      if (!Syntax.isPolicyFieldName(txt, p, eq)) {
        throw fail("\"" + DomainName.printable(txt.substring(p, eq))
            + "\" is not a valid field name");
      }
      int vs = eq + 1;
      int ve = vs;
      boolean alphaDigits = true; // what sts-id allows: this pass checks the id too
      while (ve < n && (c = txt.charAt(ve)) != ';' && c != ' ' && c != '\t') {
        if (!Syntax.isAlphaDigit(c)) { // letters and digits are value characters
          alphaDigits = false;
          if (!Syntax.isRecordValueChar(c)) {
            throw fail("field \"" + txt.substring(p, eq) + "\" contains "
                + DomainName.describe(c) + ", which is not allowed in a value");
          }
        }
        ve++;
      }
      if (ve == vs) {
        throw fail("field \"" + txt.substring(p, eq) + "\" has an empty value");
      }
      if (eq - p == 2 && txt.charAt(p) == 'i' && txt.charAt(p + 1) == 'd') {
        if (id == null) {
          if (!alphaDigits || ve - vs > 32) {
            throw fail("id \"" + DomainName.printable(txt.substring(vs, ve))
                + "\" must be 1 to 32 letters or digits");
          }
          id = txt.substring(vs, ve);
        }
      } else if (!(eq - p == 1 && txt.charAt(p) == 'v')) {
        if (ext == null) {
          ext = new LinkedHashMap<>();
        }
        ext.putIfAbsent(txt.substring(p, eq), txt.substring(vs, ve));
      }
      pos = ve;
    }
    if (id == null) {
      throw fail("the required id field is missing (e.g. \"v=STSv1; id=20240101T000000;\")");
    }
    return PolicyRecord.trusted(id, ext == null ? Map.of() : ext, txt);
  }

  static boolean isStsCandidate(String txt) {
    if (!txt.startsWith(VERSION)) {
      return false;
    }
    int p = skipWsp(txt, VERSION.length(), txt.length());
    return p == txt.length() || txt.charAt(p) == ';';
  }

  private static int skipWsp(String s, int i, int n) {
    while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static InvalidPolicyException fail(String message) {
    return new InvalidPolicyException(List.of(new LintProblem(1, message)));
  }
}
