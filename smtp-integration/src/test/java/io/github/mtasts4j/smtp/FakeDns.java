package io.github.mtasts4j.smtp;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.spi.DnsAnswer;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.spi.MxHost;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A scripted DnsClient for planner tests: unknown names are NODATA. */
final class FakeDns implements DnsClient {
  final Map<DomainName, DnsAnswer<MxHost>> mx = new ConcurrentHashMap<>();

  FakeDns mx(String domain, Object... prefAndHost) {
    List<MxHost> hosts = new java.util.ArrayList<>();
    for (int i = 0; i < prefAndHost.length; i += 2) {
      hosts.add(new MxHost(DomainName.of((String) prefAndHost[i + 1]), (Integer) prefAndHost[i]));
    }
    mx.put(DomainName.of(domain), new DnsAnswer.Found<>(hosts, Duration.ofMinutes(5)));
    return this;
  }

  FakeDns mxAnswer(String domain, DnsAnswer<MxHost> answer) {
    mx.put(DomainName.of(domain), answer);
    return this;
  }

  @Override
  public DnsAnswer<String> txt(DomainName name) {
    return new DnsAnswer.NotFound<>(false, "no TXT for " + name);
  }

  @Override
  public DnsAnswer<MxHost> mx(DomainName name) {
    return mx.getOrDefault(name, new DnsAnswer.NotFound<>(false, "no MX for " + name));
  }

  @Override
  public DnsAnswer<InetAddress> addresses(DomainName name) {
    return new DnsAnswer.NotFound<>(false, "no address for " + name);
  }
}
