package io.github.mtasts4j.benchmarks.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The weak baseline for parsing: {@code String.split} on lines and on the first colon, {@code
 * strip}, a {@code switch} on the key; mx values are lower-cased but not validated. Not used by the
 * library.
 */
public final class SplitPolicyParser {
  private SplitPolicyParser() {}

  /**
   * The parsed policy.
   *
   * @param version the version value
   * @param mode the mode value
   * @param maxAge max_age
   * @param mx the mx values
   */
  public record Split(String version, String mode, long maxAge, List<String> mx) {}

  /**
   * Parses a policy body.
   *
   * @param body the body
   * @return the policy
   * @throws IllegalArgumentException when a line has no colon or a field is missing
   */
  public static Split parse(String body) {
    String version = null;
    String mode = null;
    long maxAge = -1;
    List<String> mx = new ArrayList<>();
    for (String line : body.split("\n")) {
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] kv = line.split(":", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("no colon: " + line);
      }
      String value = kv[1].strip();
      switch (kv[0].strip()) {
        case "version" -> version = value;
        case "mode" -> mode = value;
        case "max_age" -> maxAge = Long.parseLong(value);
        case "mx" -> mx.add(value.toLowerCase(Locale.ROOT));
        default -> { }
      }
    }
    if (!"STSv1".equals(version) || mode == null || maxAge < 0) {
      throw new IllegalArgumentException("missing field");
    }
    return new Split(version, mode, maxAge, mx);
  }

  /**
   * Parses a TXT record and returns its id.
   *
   * @param txt the record
   * @return the id
   * @throws IllegalArgumentException if there is no version or id
   */
  public static String parseTxtId(String txt) {
    String version = null;
    String id = null;
    for (String field : txt.split(";")) {
      String[] kv = field.strip().split("=", 2);
      if (kv.length != 2) {
        continue;
      }
      if (kv[0].equals("v")) {
        version = kv[1];
      } else if (kv[0].equals("id") && id == null) {
        id = kv[1];
      }
    }
    if (!"STSv1".equals(version) || id == null) {
      throw new IllegalArgumentException("bad record");
    }
    return id;
  }
}
