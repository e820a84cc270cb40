package io.github.mtasts4j;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of looking up the {@code _mta-sts} TXT record of a Policy Domain (RFC 8461 §3.1),
 * CNAME chains followed.
 */
public sealed interface Discovery permits Discovery.Found, Discovery.Absent, Discovery.DnsFailed {

  /** The Policy Domain whose record was looked up. */
  DomainName domain();

  /**
   * Exactly one valid {@code v=STSv1} record exists.
   *
   * @param domain the Policy Domain
   * @param record the parsed record
   * @param ttl the DNS TTL of the answer (the smallest TTL along a CNAME chain)
   */
  record Found(DomainName domain, PolicyRecord record, Duration ttl) implements Discovery {
    /** Validates the components. */
    public Found {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(record, "record");
      Objects.requireNonNull(ttl, "ttl");
    }
  }

  /**
   * The DNS answered, but there is no usable record.
   *
   * @param domain the Policy Domain
   * @param reason {@code NO_RECORD}, {@code MULTIPLE_RECORDS} or {@code INVALID_RECORD}
   * @param detail a one-line explanation (for an invalid record, what is wrong with it)
   */
  record Absent(DomainName domain, Resolution.NoPolicy.Reason reason, String detail)
      implements Discovery {
    /** Validates the components. */
    public Absent {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
      if (reason == Resolution.NoPolicy.Reason.DNS_FAILURE) {
        throw new IllegalArgumentException("use DnsFailed for DNS failures");
      }
    }
  }

  /**
   * The lookup failed (SERVFAIL, REFUSED, timeout, unreachable resolver): nothing can be said
   * about the record, so a cached policy keeps applying (RFC 8461 §3.3).
   *
   * @param domain the Policy Domain
   * @param detail a one-line explanation
   */
  record DnsFailed(DomainName domain, String detail) implements Discovery {
    /** Validates the components. */
    public DnsFailed {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
