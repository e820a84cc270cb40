package io.github.mtasts4j;

import java.util.Objects;

/**
 * One {@code mx} line of a policy (RFC 8461 §4.1): an exact host name, or {@code *.} followed by a
 * suffix, where the wildcard stands for exactly one whole left-most label. Patterns are normalised
 * when parsed, so {@link #matches(DomainName)} does no case or IDN work and allocates nothing.
 */
public sealed interface MxPattern permits MxPattern.Exact, MxPattern.Wildcard {

  /** Returns true when {@code mx} is matched by this pattern. */
  boolean matches(DomainName mx);

  /** The pattern as written in a policy file, in canonical form ({@code *.example.com}). */
  String text();

  /**
   * Parses one {@code mx} value (without the {@code mx:} key): {@code ["*."] Domain}, where Domain
   * is letters, digits and hyphens (RFC 5321), in A-label form. ASCII case is folded and one
   * trailing dot is tolerated (the strict reading of {@link PolicyLint} reports it).
   *
   * @throws IllegalArgumentException if the value is not a valid pattern, saying why
   */
  static MxPattern parse(String value) {
    Objects.requireNonNull(value, "value");
    boolean wildcard = value.startsWith("*.");
    String rest = wildcard ? value.substring(2) : value;
    String problem = problemWithHost(rest);
    if (problem != null) {
      throw new IllegalArgumentException(
          "invalid mx pattern " + DomainName.quote(value) + ": " + problem);
    }
    DomainName name = DomainName.of(rest);
    return wildcard ? new Wildcard(name) : new Exact(name);
  }

  /** Returns why {@code host} is not an RFC 5321 Domain in A-label form, or null. */
  private static String problemWithHost(String host) {
    if (host.isEmpty() || host.equals(".")) {
      return "no host name";
    }
    int end = host.endsWith(".") ? host.length() - 1 : host.length();
    int labelStart = 0;
    boolean lastLabelNumeric = true;
    for (int i = 0; i <= end; i++) {
      if (i == end || host.charAt(i) == '.') {
        if (i == labelStart) {
          return "empty label";
        }
        if (host.charAt(labelStart) == '-' || host.charAt(i - 1) == '-') {
          return "a label starts or ends with a hyphen";
        }
        if (i - labelStart > 63) {
          return "a label is longer than 63 characters";
        }
        lastLabelNumeric = true;
        for (int j = labelStart; j < i; j++) {
          char d = host.charAt(j);
          if (d < '0' || d > '9') {
            lastLabelNumeric = false;
            break;
          }
        }
        labelStart = i + 1;
        continue;
      }
      char c = host.charAt(i);
      if (c == '*') {
        return "a wildcard is allowed only as the whole left-most label (\"*.\")";
      }
      if (c == '_') {
        return "underscores are not allowed in host names";
      }
      if (c > 0x7f) {
        return "internationalised names must be written as A-labels (xn--...)";
      }
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) {
        return "character " + DomainName.describe(c) + " is not allowed";
      }
    }
    if (lastLabelNumeric) {
      return "an IP address or numeric name is not a host name";
    }
    return null;
  }

  /**
   * A pattern that matches one host name.
   *
   * @param host the host
   */
  record Exact(DomainName host) implements MxPattern {
    /** Validates the component. */
    public Exact {
      Objects.requireNonNull(host, "host");
    }

    @Override
    public boolean matches(DomainName mx) {
      return host.value().equals(mx.value());
    }

    @Override
    public String text() {
      return host.value();
    }
  }

  /**
   * {@code *.suffix}: matches a name with exactly one more label than {@code suffix}.
   *
   * @param suffix the name after {@code *.}
   */
  record Wildcard(DomainName suffix) implements MxPattern {
    /** Validates the component. */
    public Wildcard {
      Objects.requireNonNull(suffix, "suffix");
    }

    @Override
    public boolean matches(DomainName mx) {
      String name = mx.value();
      String tail = suffix.value();
      int dot = name.length() - tail.length() - 1;
      return dot > 0
          && name.charAt(dot) == '.'
          && name.startsWith(tail, dot + 1)
          && name.lastIndexOf('.', dot - 1) < 0;
    }

    @Override
    public String text() {
      return "*." + suffix.value();
    }
  }
}
