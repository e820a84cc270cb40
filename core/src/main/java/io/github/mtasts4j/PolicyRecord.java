package io.github.mtasts4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code _mta-sts} TXT record (RFC 8461 §3.1): version {@code STSv1} and a policy id.
 *
 * @param id the policy id: 1 to 32 letters or digits, compared only for equality
 * @param extensions unknown fields, first occurrence kept, in record order
 * @param raw the record text as published (strings joined with nothing between)
 */
public record PolicyRecord(String id, Map<String, String> extensions, String raw) {

  private static final String VERSION = "v=STSv1";

  /** Validates and copies the components. */
  public PolicyRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(raw, "raw");
    if (!isValidId(id, 0, id.length())) {
      throw new IllegalArgumentException(
          "policy id must be 1 to 32 letters or digits: " + DomainName.quote(id));
    }
    extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
  }

  /**
   * Parses one TXT record (its character-strings already joined), following the ABNF of RFC 8461
   * §3.1 exactly: {@code v=STSv1} first, fields separated by {@code ;} with optional spaces or
   * tabs around it, one optional trailing {@code ;}, a first {@code id} field wins over later ones.
   *
   * @throws InvalidPolicyException if the record is not a valid {@code v=STSv1} record
   */
  public static PolicyRecord parse(String txt) {
    Objects.requireNonNull(txt, "txt");
    String problem = null;
    String id = null;
    Map<String, String> extensions = Map.of();
    int len = txt.length();
    if (!txt.startsWith(VERSION)) {
      problem = "the record must begin with \"v=STSv1\"";
    }
    int pos = VERSION.length();
    while (problem == null && pos < len) {
      int p = skipWsp(txt, pos);
      if (p == len || txt.charAt(p) != ';') {
        problem =
            pos == VERSION.length()
                ? "the record must begin with \"v=STSv1\" followed by \";\""
                : "expected \";\" between fields at position " + (p + 1);
        break;
      }
      p = skipWsp(txt, p + 1);
      if (p == len) {
        pos = p;
        break;
      }
      int nameStart = p;
      while (p < len && txt.charAt(p) != '=' && txt.charAt(p) != ';' && !isWsp(txt.charAt(p))) {
        p++;
      }
      if (p == len || txt.charAt(p) != '=') {
        problem = "field without \"=\" at position " + (nameStart + 1);
        break;
      }
      int nameEnd = p;
      if (!isValidExtensionName(txt, nameStart, nameEnd)) {
        problem = "invalid field name " + DomainName.quote(txt.substring(nameStart, nameEnd));
        break;
      }
      int valueStart = ++p;
      while (p < len && isExtensionValueChar(txt.charAt(p))) {
        p++;
      }
      if (p == valueStart) {
        problem = "empty value for " + txt.substring(nameStart, nameEnd);
        break;
      }
      if (p < len && txt.charAt(p) != ';' && !isWsp(txt.charAt(p))) {
        problem =
            "invalid character "
                + DomainName.describe(txt.charAt(p))
                + " in the value of "
                + txt.substring(nameStart, nameEnd);
        break;
      }
      boolean isId = nameEnd - nameStart == 2 && txt.startsWith("id", nameStart);
      if (isId) {
        if (id == null) {
          if (!isValidId(txt, valueStart, p)) {
            problem =
                "id must be 1 to 32 letters or digits, found "
                    + DomainName.quote(txt.substring(valueStart, p));
            break;
          }
          id = txt.substring(valueStart, p);
        }
      } else {
        String name = txt.substring(nameStart, nameEnd);
        if (extensions.isEmpty()) {
          extensions = new LinkedHashMap<>();
        }
        extensions.putIfAbsent(name, txt.substring(valueStart, p));
      }
      pos = p;
    }
    if (problem == null && id == null) {
      problem = "the record has no id field";
    }
    if (problem != null) {
      throw new InvalidPolicyException(
          List.of(new LintProblem(1, problem + " in " + DomainName.quote(txt))));
    }
    return new PolicyRecord(id, extensions, txt);
  }

  /**
   * Returns true when {@code txt} begins with {@code v=STSv1}, optional spaces or tabs, then
   * {@code ;} or the end (RFC 8461 §3.1 with erratum 6285): the filter applied to a TXT RRset
   * before the exactly-one rule.
   */
  public static boolean isStsCandidate(String txt) {
    if (!txt.startsWith(VERSION)) {
      return false;
    }
    int p = skipWsp(txt, VERSION.length());
    return p == txt.length() || txt.charAt(p) == ';';
  }

  private static int skipWsp(String s, int pos) {
    while (pos < s.length() && isWsp(s.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  private static boolean isWsp(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean isValidId(String s, int from, int to) {
    if (to - from < 1 || to - from > 32) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (!isAlnum(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code (ALPHA / DIGIT) 0*31(ALPHA / DIGIT / "_" / "-" / ".")}. */
  static boolean isValidExtensionName(String s, int from, int to) {
    if (to - from < 1 || to - from > 32 || !isAlnum(s.charAt(from))) {
      return false;
    }
    for (int i = from + 1; i < to; i++) {
      char c = s.charAt(i);
      if (!isAlnum(c) && c != '_' && c != '-' && c != '.') {
        return false;
      }
    }
    return true;
  }

  /** {@code %x21-3A / %x3C / %x3E-7E}: printable ASCII except space, {@code ;} and {@code =}. */
  private static boolean isExtensionValueChar(char c) {
    return c >= 0x21 && c <= 0x7e && c != ';' && c != '=';
  }
}
