package io.github.mtasts4j.tlsrpt;

import io.github.mtasts4j.MxPattern;
import io.github.mtasts4j.Policy;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The grouping keys of the aggregate, as plain strings so that the journal can store them. */
final class Keys {
  private Keys() {}

  /**
   * What a report's {@code policy} object holds; sessions under equal keys are counted together.
   *
   * @param type the policy type
   * @param strings {@code policy-string}
   * @param mxHosts {@code mx-host}
   */
  record PolicyKey(PolicyType type, List<String> strings, List<String> mxHosts) {
    PolicyKey {
      Objects.requireNonNull(type, "type");
      strings = List.copyOf(strings);
      mxHosts = List.copyOf(mxHosts);
    }

    static final PolicyKey NO_POLICY = new PolicyKey(PolicyType.NO_POLICY_FOUND, List.of(), List.of());

    static PolicyKey of(PolicyType type, @Nullable Policy policy) {
      if (policy == null) {
        return new PolicyKey(type, List.of(), List.of());
      }
      return new PolicyKey(type, policy.lines(), policy.mx().stream().map(MxPattern::text).toList());
    }
  }

  /**
   * One {@code failure-details} group (RFC 8460 §4.4): sessions equal in all of these are counted
   * in one entry.
   */
  record FailureKey(
      String resultType,
      @Nullable String sendingMtaIp,
      @Nullable String receivingMxHostname,
      @Nullable String receivingMxHelo,
      @Nullable String receivingIp,
      @Nullable String additionalInformation,
      @Nullable String failureReasonCode) {
    FailureKey {
      Objects.requireNonNull(resultType, "resultType");
    }
  }

  /**
   * Normalises a domain taken from a URI or an address (RFC 8460 names are A-labels).
   *
   * @throws IllegalArgumentException if it is not a host name
   */
  static io.github.mtasts4j.DomainName domain(String name) {
    return io.github.mtasts4j.DomainName.of(name);
  }

  /** The address as text: dotted quad, or RFC 5952 canonical IPv6 (no zone, lower case, "::"). */
  static @Nullable String ip(@Nullable InetAddress address) {
    if (address == null) {
      return null;
    }
    if (address instanceof Inet4Address) {
      return address.getHostAddress();
    }
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    // RFC 5952 §4.2: compress the longest run (first if tied) of two or more zero groups.
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] == 0) {
        int j = i;
        while (j < 8 && groups[j] == 0) {
          j++;
        }
        if (j - i > bestLen) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }
}
