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
   * The name does not exist (NXDOMAIN), has no record of the type (NODATA), or has records of the
   * type of which none is usable.
   *
   * <p>{@code unusable} matters for MX: a null MX (RFC 7505, exchange {@code "."}) or MX records
   * whose targets are not host names. The domain then has MX records, so RFC 5321 §5.1's implicit
   * MX does not apply: a null MX says the domain accepts no mail, and MX records none of which is
   * usable must be reported as an error.
   *
   * @param nxdomain true for NXDOMAIN, false for NODATA or unusable records
   * @param detail a one-line explanation naming the queried name
   * @param unusable true when records of the type exist but none is usable (never with NXDOMAIN)
   * @param <T> the record type
   */
  record NotFound<T>(boolean nxdomain, String detail, boolean unusable) implements DnsAnswer<T> {
    /** Validates the components. */
    public NotFound {
      Objects.requireNonNull(detail, "detail");
      if (nxdomain && unusable) {
        throw new IllegalArgumentException("an NXDOMAIN answer has no records to be unusable");
      }
    }

    /**
     * NXDOMAIN or NODATA: no record of the type at all.
     *
     * @param nxdomain true for NXDOMAIN, false for NODATA
     * @param detail a one-line explanation naming the queried name
     */
    public NotFound(boolean nxdomain, String detail) {
      this(nxdomain, detail, false);
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
