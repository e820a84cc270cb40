package io.github.mtasts4j.cli;

import io.github.mtasts4j.testing.ImplicitTlsMx;
import io.github.mtasts4j.testing.LeafSpec;
import io.github.mtasts4j.testing.LoopbackAddresses;
import io.github.mtasts4j.testing.LoopbackDnsServer;
import io.github.mtasts4j.testing.LoopbackMx;
import io.github.mtasts4j.testing.PolicyServer;
import io.github.mtasts4j.testing.ServerIdentity;
import io.github.mtasts4j.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A self-contained mail world on loopback, for {@code demo} and for tests: an in-process DNS
 * server, one HTTPS policy server (SNI-selected certificates), SMTP receivers on distinct
 * 127.0.0.0/8 addresses sharing one ephemeral port, and a throw-away CA whose root is written to
 * a temporary PEM file for {@code --trust-anchors}. Nothing binds a fixed port or needs root.
 */
final class LoopbackWorld implements AutoCloseable {

  /** How an SMTP receiver presents itself. */
  enum MxKind {
    /** STARTTLS with a certificate for its own name, issued by the world's CA. */
    GOOD,
    /** STARTTLS with a CA-issued certificate for another name. */
    WRONG_NAME,
    /** STARTTLS with a CA-issued certificate for its name that expired 30 days ago. */
    EXPIRED,
    /** STARTTLS with a CA-issued certificate for its name that expires in 5 days. */
    EXPIRING_SOON,
    /** STARTTLS with a self-signed certificate for its name. */
    SELF_SIGNED,
    /** No STARTTLS at all. */
    PLAIN
  }

  final TestPki pki;
  final LoopbackDnsServer dns;
  final PolicyServer policyServer;
  final Path tempDir;
  final Path trustPem;
  private final List<InetAddress> addresses;
  private final int smtpPort;
  private final Map<String, LoopbackMx> receivers = new LinkedHashMap<>();
  private final List<LoopbackMx> extraReceivers = new ArrayList<>();
  private final List<AutoCloseable> otherServers = new ArrayList<>();
  private int nextAddress;

  private LoopbackWorld(TestPki pki, LoopbackDnsServer dns, PolicyServer policyServer,
      Path tempDir, List<InetAddress> addresses, int smtpPort) {
    this.pki = pki;
    this.dns = dns;
    this.policyServer = policyServer;
    this.tempDir = tempDir;
    this.trustPem = pki.writeRootPem(tempDir.resolve("demo-ca.pem"));
    this.addresses = addresses;
    this.smtpPort = smtpPort;
  }

  /** Starts a world with room for {@code maxReceivers} SMTP receivers. */
  static LoopbackWorld start(int maxReceivers) {
    Path dir;
    try {
      dir = Files.createTempDirectory("mtasts4j-loopback");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
    TestPki pki = TestPki.create("mtasts4j loopback CA");
    LoopbackDnsServer dns = LoopbackDnsServer.start();
    PolicyServer ps = null;
    try {
      ps = PolicyServer.start();
      List<InetAddress> addresses = LoopbackAddresses.allocate(maxReceivers);
      int port = LoopbackAddresses.commonFreePort(addresses);
      return new LoopbackWorld(pki, dns, ps, dir, addresses, port);
    } catch (RuntimeException e) {
      dns.close();
      if (ps != null) {
        ps.close();
      }
      throw e;
    }
  }

  /** The SMTP port every receiver listens on (for {@code --smtp-port}). */
  int smtpPort() {
    return smtpPort;
  }

  /** The options that point the CLI at this world. */
  List<String> cliOptions() {
    return List.of(
        "--dns", "127.0.0.1:" + dns.port(),
        "--trust-anchors", trustPem.toString(),
        "--smtp-port", Integer.toString(smtpPort),
        "--policy-port", Integer.toString(policyServer.port()));
  }

  /**
   * Publishes a policy domain: {@code _mta-sts} TXT with {@code id}, the policy host's A record
   * and a certificate for it, and the policy body.
   */
  void publish(String domain, String id, String policyBody) {
    String host = "mta-sts." + domain;
    dns.txt("_mta-sts." + domain, "v=STSv1; id=" + id);
    dns.a(host, policyServer.address().getHostAddress());
    policyServer.identity(host, pki.issue(host));
    policyServer.policy(host, policyBody);
  }

  /** Adds an MX record for {@code domain} and starts a receiver for {@code host} of that kind. */
  LoopbackMx mx(String domain, int preference, String host, MxKind kind) {
    dns.mx(domain, preference, host);
    LoopbackMx existing = receivers.get(host);
    if (existing != null) {
      return existing;
    }
    LoopbackMx mx = receiver(host, kind);
    receivers.put(host, mx);
    return mx;
  }

  /**
   * Gives {@code host} one more address, with a receiver of that kind behind it (for a host whose
   * addresses do not all behave alike). The receiver is closed with the world.
   */
  LoopbackMx anotherAddress(String host, MxKind kind) {
    LoopbackMx mx = receiver(host, kind);
    extraReceivers.add(mx);
    return mx;
  }

  /**
   * Starts a smart host for {@code host} on the next free loopback address, with STARTTLS and a
   * certificate for its name, accepting mail only after SMTP AUTH with these credentials. It is
   * closed with the world.
   */
  LoopbackMx relayWithAuth(String host, String user, String password) {
    if (nextAddress >= addresses.size()) {
      throw new IllegalStateException("no loopback address left; start the world with more");
    }
    InetAddress address = addresses.get(nextAddress++);
    dns.a(host, address.getHostAddress());
    LoopbackMx relay =
        LoopbackMx.starttlsWithAuth(address, smtpPort, pki.issue(host), user, password);
    extraReceivers.add(relay);
    return relay;
  }

  /**
   * Starts a smart host for {@code host} speaking implicit TLS (port 465 style) with a certificate
   * for its name, on the next free loopback address. It is closed with the world.
   */
  ImplicitTlsMx implicitTlsRelay(String host) {
    if (nextAddress >= addresses.size()) {
      throw new IllegalStateException("no loopback address left; start the world with more");
    }
    InetAddress address = addresses.get(nextAddress++);
    dns.a(host, address.getHostAddress());
    ImplicitTlsMx relay = new ImplicitTlsMx(address, smtpPort, pki.issue(host));
    otherServers.add(relay);
    return relay;
  }

  /** Starts a receiver on the next free loopback address and points an A record for host at it. */
  private LoopbackMx receiver(String host, MxKind kind) {
    if (nextAddress >= addresses.size()) {
      throw new IllegalStateException("no loopback address left; start the world with more");
    }
    InetAddress address = addresses.get(nextAddress++);
    dns.a(host, address.getHostAddress());
    return switch (kind) {
      case GOOD -> LoopbackMx.starttls(address, smtpPort, pki.issue(host));
      case WRONG_NAME -> LoopbackMx.starttls(address, smtpPort, pki.issue("other.invalid"));
      case EXPIRED -> LoopbackMx.starttls(address, smtpPort, pki.issueExpired(host));
      case EXPIRING_SOON -> LoopbackMx.starttls(address, smtpPort, pki.issue(
          LeafSpec.of(host).validity(Instant.now().minus(Duration.ofDays(1)),
              Instant.now().plus(Duration.ofDays(5)))));
      case SELF_SIGNED -> LoopbackMx.starttls(address, smtpPort, selfSigned(host));
      case PLAIN -> LoopbackMx.plain(address, smtpPort);
    };
  }

  private static ServerIdentity selfSigned(String host) {
    return TestPki.selfSigned(host);
  }

  /** Every receiver by host name, in creation order. */
  Map<String, LoopbackMx> receivers() {
    return receivers;
  }

  /** Host names of the receivers that got a message containing {@code marker}. */
  List<String> arrivedAt(String marker) {
    List<String> hosts = new ArrayList<>();
    receivers.forEach((host, mx) -> {
      boolean got = mx.messages().stream().anyMatch(m -> m.text().contains(marker));
      if (got) {
        boolean tls = mx.messages().stream()
            .filter(m -> m.text().contains(marker)).allMatch(m -> m.overTls());
        hosts.add(host + (tls ? " (TLS)" : " (cleartext)"));
      }
    });
    return hosts;
  }

  @Override
  public void close() {
    receivers.values().forEach(LoopbackMx::close);
    extraReceivers.forEach(LoopbackMx::close);
    for (AutoCloseable server : otherServers) {
      try {
        server.close();
      } catch (Exception e) {
        // closing a fixture is best effort
      }
    }
    policyServer.close();
    dns.close();
    try (var files = Files.list(tempDir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(tempDir);
    } catch (IOException e) {
      // a leftover temporary file is harmless
    }
  }
}
