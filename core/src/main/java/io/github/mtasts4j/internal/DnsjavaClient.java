package io.github.mtasts4j.internal;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.spi.DnsAnswer;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.spi.MxHost;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** {@link DnsClient} on dnsjava. Not API. */
public final class DnsjavaClient implements DnsClient {
  // TODO(network helper): implement

  /** See {@link DnsClient#system()}. */
  public static DnsClient system() {
    throw new UnsupportedOperationException("TODO");
  }

  /** See {@link DnsClient#servers(List, Duration)}. */
  public static DnsClient servers(List<InetSocketAddress> servers, Duration timeout) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public DnsAnswer<String> txt(DomainName name) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public DnsAnswer<MxHost> mx(DomainName name) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override
  public DnsAnswer<InetAddress> addresses(DomainName name) {
    throw new UnsupportedOperationException("TODO");
  }
}
