package io.github.mtasts4j.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The answer to one DNS question, with "no such record" kept distinct from "the lookup failed".
 *
 * @param <T> the record type
 */
public sealed interface DnsAnswer<T> permits DnsAnswer.Found, DnsAnswer.NotFound, DnsAnswer.Error {

  /**
   * At least one record of the requested type.
   *
   * @param records the records (never empty)
   * @param ttl the smallest TTL among the answer and any CNAMEs followed
   * @param <T> the record type
   */
  record Found<T>(List<T> records, Duration ttl) implements DnsAnswer<T> {
    /** Validates and copies the components. */
    public Found {
      records = List.copyOf(records);
      if (records.isEmpty()) {
        throw new IllegalArgumentException("Found needs at least one record; use NotFound");
      }
      Objects.requireNonNull(ttl, "ttl");
    }
  }

  /**
   * The name does not exist (NXDOMAIN) or has no record of the type (NODATA).
   *
   * @param nxdomain true for NXDOMAIN, false for NODATA
   * @param detail a one-line explanation naming the queried name
   * @param <T> the record type
   */
  record NotFound<T>(boolean nxdomain, String detail) implements DnsAnswer<T> {
    /** Validates the component. */
    public NotFound {
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * The lookup failed: SERVFAIL, REFUSED, timeout, unreachable server, malformed answer, CNAME
   * loop.
   *
   * @param detail a one-line explanation naming the queried name
   * @param <T> the record type
   */
  record Error<T>(String detail) implements DnsAnswer<T> {
    /** Validates the component. */
    public Error {
      Objects.requireNonNull(detail, "detail");
    }
  }
}
