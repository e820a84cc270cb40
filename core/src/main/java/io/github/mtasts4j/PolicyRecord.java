package io.github.mtasts4j;

import java.util.Map;

/**
 * The {@code _mta-sts} TXT record (RFC 8461 §3.1): version {@code STSv1} and a policy id.
 *
 * @param id the policy id: 1 to 32 letters or digits, compared only for equality
 * @param extensions unknown fields, first occurrence kept, in record order
 * @param raw the record text as published (strings joined with nothing between)
 */
public record PolicyRecord(String id, Map<String, String> extensions, String raw) {

  /** Validates and copies the components. */
  public PolicyRecord {
    // TODO(parsing helper): validate id syntax, copy extensions preserving order
  }

  /**
   * Parses one TXT record (its character-strings already joined).
   *
   * @throws InvalidPolicyException if the record is not a valid {@code v=STSv1} record
   */
  public static PolicyRecord parse(String txt) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * Returns true when {@code txt} begins with {@code v=STSv1}, optional spaces or tabs, then
   * {@code ;} or the end (RFC 8461 §3.1 with erratum 6285): the filter applied to a TXT RRset
   * before the exactly-one rule.
   */
  public static boolean isStsCandidate(String txt) {
    throw new UnsupportedOperationException("TODO");
  }
}
