package io.github.mtasts4j.tlsrpt;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.spi.DnsAnswer;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.spi.MxHost;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A scripted in-memory DNS client that records every name asked. */
final class MapDns implements DnsClient {
  final Map<String, DnsAnswer<String>> txt = new ConcurrentHashMap<>();
  final Map<String, DnsAnswer<MxHost>> mx = new ConcurrentHashMap<>();
  final Map<String, DnsAnswer<InetAddress>> addresses = new ConcurrentHashMap<>();
  final List<String> asked = new CopyOnWriteArrayList<>();

  MapDns txt(String name, String... records) {
    txt.put(name, new DnsAnswer.Found<>(List.of(records), Duration.ofMinutes(5)));
    return this;
  }

  MapDns mx(String name, String host) {
    mx.put(name, new DnsAnswer.Found<>(List.of(new MxHost(new DomainName(host), 10)), Duration.ofMinutes(5)));
    return this;
  }

  MapDns address(String name, InetAddress address) {
    addresses.put(name, new DnsAnswer.Found<>(List.of(address), Duration.ofMinutes(5)));
    return this;
  }

  @Override
  public DnsAnswer<String> txt(DomainName name) {
    asked.add("TXT " + name.value());
    return txt.getOrDefault(name.value(), new DnsAnswer.NotFound<>(true, name + ": NXDOMAIN"));
  }

  @Override
  public DnsAnswer<MxHost> mx(DomainName name) {
    asked.add("MX " + name.value());
    return mx.getOrDefault(name.value(), new DnsAnswer.NotFound<>(true, name + ": NXDOMAIN"));
  }

  @Override
  public DnsAnswer<InetAddress> addresses(DomainName name) {
    asked.add("A " + name.value());
    return addresses.getOrDefault(name.value(), new DnsAnswer.NotFound<>(true, name + ": NXDOMAIN"));
  }
}
