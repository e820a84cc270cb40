package io.github.mtasts4j.spi;

import io.github.mtasts4j.DomainName;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The DNS seam: every lookup the library makes goes through one of these, so one configured
 * resolver governs TXT, MX and address lookups alike. Names are always queried as absolute names
 * (no search path). Implementations are thread-safe and never throw for DNS outcomes.
 */
public interface DnsClient {

  /**
   * Looks up TXT records, following CNAME chains. Each element is one record with its
   * character-strings joined with nothing between them (RFC 8461 §3.1).
   */
  DnsAnswer<String> txt(DomainName name);

  /** Looks up MX records, following CNAME chains, sorted by preference (stable for equal ones). */
  DnsAnswer<MxHost> mx(DomainName name);

  /**
   * Looks up A and AAAA records, following CNAME chains. {@link DnsAnswer.Found} when either type
   * has records; the returned addresses carry {@code name} as their host name.
   */
  DnsAnswer<InetAddress> addresses(DomainName name);

  /** A client using the system's configured resolvers (from {@code /etc/resolv.conf} or the OS). */
  static DnsClient system() {
    return io.github.mtasts4j.internal.DnsjavaClient.system();
  }

  /**
   * A client that asks only {@code servers}, in order, each with {@code timeout} per attempt; UDP
   * first, TCP when the answer is truncated.
   */
  static DnsClient servers(List<InetSocketAddress> servers, Duration timeout) {
    return io.github.mtasts4j.internal.DnsjavaClient.servers(servers, timeout);
  }
}
