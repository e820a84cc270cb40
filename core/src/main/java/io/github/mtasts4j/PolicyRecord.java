package io.github.mtasts4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code _mta-sts} TXT record (RFC 8461 §3.1): version {@code STSv1} and a policy id.
 *
 * @param id the policy id: 1 to 32 letters or digits, compared only for equality
 * @param extensions unknown fields, first occurrence kept, in record order
 * @param raw the record text as published (strings joined with nothing between)
 */
public record PolicyRecord(String id, Map<String, String> extensions, String raw) {

  /**
   * Validates and copies the components.
   *
   * @throws IllegalArgumentException if {@code id} is not 1 to 32 letters or digits, or an
   *     extension name or value breaks the RFC 8461 §3.1 syntax
   * @throws NullPointerException if a component, key or value is null
   */
  public PolicyRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(extensions, "extensions");
    Objects.requireNonNull(raw, "raw");
    if (id != vouchedForId && !Syntax.isPolicyId(id, 0, id.length())) {
      throw new IllegalArgumentException(
          "policy id must be 1 to 32 letters or digits, got \"" + DomainName.printable(id) + "\"");
    }
    if (extensions.isEmpty()) {
      extensions = Map.of();
    } else {
      for (Map.Entry<String, String> e : extensions.entrySet()) {
        String k = Objects.requireNonNull(e.getKey(), "extension name");
        String v = Objects.requireNonNull(e.getValue(), "extension value");
        if (!Syntax.isPolicyFieldName(k, 0, k.length())) {
          throw new IllegalArgumentException(
              "invalid extension name \"" + DomainName.printable(k) + "\"");
        }
        if (v.isEmpty() || !v.chars().allMatch(c -> Syntax.isRecordValueChar((char) c))) {
          throw new IllegalArgumentException(
              "invalid value for extension " + k + ": \"" + DomainName.printable(v) + "\"");
        }
      }
      extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }
  }

  /**
   * The id String last passed to {@link #trusted}, already checked by the record parser; the
   * constructor skips the id check for exactly that instance (as {@code DomainName.trusted}: a
   * record's constructor cannot be bypassed, and a racy read only costs a re-check).
   */
  private static @Nullable String vouchedForId;

  /** Builds a record whose {@code id} the caller has just checked to be a valid policy id. */
  static PolicyRecord trusted(String id, Map<String, String> extensions, String raw) {
    vouchedForId = id;
    return new PolicyRecord(id, extensions, raw);
  }

  /**
   * Parses one TXT record (its character-strings already joined).
   *
   * <p>Strict RFC 8461 §3.1 syntax: {@code v=STSv1} first (case-sensitive), fields separated by
   * {@code ;} with optional spaces or tabs around it, at most one trailing {@code ;}, no other
   * whitespace, and an {@code id} of 1 to 32 letters or digits. The first {@code id} counts; later
   * ones are ignored (checklist STS-7). Unknown fields must be syntactically valid and are kept in
   * {@link #extensions()}.
   *
   * @throws InvalidPolicyException if the record is not a valid {@code v=STSv1} record; its one
   *     problem is on line 1
   */
  public static PolicyRecord parse(String txt) {
    Objects.requireNonNull(txt, "txt");
    return RecordParser.parse(txt);
  }

  /**
   * Returns true when {@code txt} begins with {@code v=STSv1}, optional spaces or tabs, then
   * {@code ;} or the end (RFC 8461 §3.1 with erratum 6285): the filter applied to a TXT RRset
   * before the exactly-one rule.
   */
  public static boolean isStsCandidate(String txt) {
    Objects.requireNonNull(txt, "txt");
    return RecordParser.isStsCandidate(txt);
  }
}
