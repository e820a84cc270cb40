package io.github.mtasts4j.smtp;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.MtaSts;
import io.github.mtasts4j.PolicySource;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.TrustAnchors;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.testing.CleartextAuthMx;
import io.github.mtasts4j.testing.ImplicitTlsMx;
import io.github.mtasts4j.testing.FakeClock;
import io.github.mtasts4j.testing.LoopbackAddresses;
import io.github.mtasts4j.testing.LoopbackDnsServer;
import io.github.mtasts4j.testing.LoopbackMx;
import io.github.mtasts4j.testing.PolicyServer;
import io.github.mtasts4j.testing.ServerIdentity;
import io.github.mtasts4j.testing.TestPki;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback Internet for delivery tests: DNS, HTTPS policy hosts, and MX receivers on distinct
 * loopback addresses sharing one port. One per test; close it afterwards.
 */
final class MailWorld implements AutoCloseable {
  static final TestPki PKI = TestPki.create("mtasts4j smtp test CA");
  static final TestPki UNTRUSTED_CA = TestPki.create("some CA nobody trusts");

  final LoopbackDnsServer dns = LoopbackDnsServer.start();
  final PolicyServer web = PolicyServer.start();
  final FakeClock clock = FakeClock.at(Instant.now());
  final List<TlsSessionEvent> events = new CopyOnWriteArrayList<>();
  final DnsClient dnsClient = DnsClient.servers(List.of(dns.address()), Duration.ofSeconds(2));
  final MtaSts mtaSts;
  final CountingSource policies;
  private final List<InetAddress> addresses;
  private final int port;
  private final AtomicInteger next = new AtomicInteger();
  private final List<Runnable> closers = new ArrayList<>();

  MailWorld(int receivers) {
    addresses = LoopbackAddresses.allocate(receivers);
    port = LoopbackAddresses.commonFreePort(addresses);
    mtaSts =
        MtaSts.newBuilder()
            .dns(dnsClient)
            .trustAnchors(TrustAnchors.of(List.of(PKI.root())))
            .clock(clock)
            .policyPort(web.port())
            .connectTimeout(Duration.ofSeconds(2))
            .readTimeout(Duration.ofSeconds(2))
            .totalTimeout(Duration.ofSeconds(5))
            .build();
    policies = new CountingSource(mtaSts);
  }

  int port() {
    return port;
  }

  /** An MX receiver with STARTTLS presenting {@code identity}, with an A record for its name. */
  LoopbackMx starttls(String mxName, ServerIdentity identity) {
    InetAddress a = addresses.get(next.getAndIncrement());
    LoopbackMx mx = LoopbackMx.starttls(a, port, identity);
    closers.add(mx::close);
    dns.a(mxName, a.getHostAddress());
    return mx;
  }

  /**
   * A submission-like receiver: STARTTLS presenting {@code identity}, AUTH required with these
   * credentials; with an A record for its name.
   */
  LoopbackMx starttlsWithAuth(
      String mxName, ServerIdentity identity, String username, String password) {
    InetAddress a = addresses.get(next.getAndIncrement());
    LoopbackMx mx = LoopbackMx.starttlsWithAuth(a, port, identity, username, password);
    closers.add(mx::close);
    dns.a(mxName, a.getHostAddress());
    return mx;
  }

  /** A receiver speaking implicit TLS with {@code identity}, with an A record for its name. */
  ImplicitTlsMx implicitTls(String mxName, ServerIdentity identity) {
    InetAddress a = addresses.get(next.getAndIncrement());
    ImplicitTlsMx mx = new ImplicitTlsMx(a, port, identity);
    closers.add(mx::close);
    dns.a(mxName, a.getHostAddress());
    return mx;
  }

  /** A receiver offering AUTH without STARTTLS, with an A record for its name. */
  CleartextAuthMx cleartextAuth(String mxName, String username, String password) {
    InetAddress a = addresses.get(next.getAndIncrement());
    CleartextAuthMx mx = new CleartextAuthMx(a, port, username, password);
    closers.add(mx::close);
    dns.a(mxName, a.getHostAddress());
    return mx;
  }

  /** Reserves the next loopback address for {@code mxName} and publishes its A record. */
  InetAddress address(String mxName) {
    InetAddress a = addresses.get(next.getAndIncrement());
    dns.a(mxName, a.getHostAddress());
    return a;
  }

  /** An MX receiver without STARTTLS. */
  LoopbackMx plain(String mxName) {
    InetAddress a = addresses.get(next.getAndIncrement());
    LoopbackMx mx = LoopbackMx.plain(a, port);
    closers.add(mx::close);
    dns.a(mxName, a.getHostAddress());
    return mx;
  }

  void mx(String domain, int preference, String host) {
    dns.mx(domain, preference, host);
  }

  /** Publishes a policy: TXT record, policy host address and certificate, policy body. */
  void policy(String domain, String id, String mode, String... mxPatterns) {
    dns.remove("_mta-sts." + domain, "TXT");
    dns.txt("_mta-sts." + domain, "v=STSv1; id=" + id);
    dns.a("mta-sts." + domain, web.address().getHostAddress());
    web.identity("mta-sts." + domain, PKI.issue("mta-sts." + domain));
    web.policy("mta-sts." + domain, FakePolicySource.body(mode, mxPatterns));
  }

  DirectDelivery.Builder direct() {
    return DirectDelivery.newBuilder()
        .mtaSts(mtaSts)
        .policySource(policies)
        .heloName("out.sender.test")
        .smtpPort(port)
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(5))
        .tlsSessionListener(events::add);
  }

  SmartHostRelay.Builder relay(String host) {
    return SmartHostRelay.newBuilder(DomainName.of(host))
        .mtaSts(mtaSts)
        .policySource(policies)
        .heloName("out.sender.test")
        .port(port)
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(5))
        .tlsSessionListener(events::add);
  }

  static MimeMessage message(String... to) {
    try {
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
      m.setFrom(new InternetAddress("alice@sender.test"));
      for (String t : to) {
        m.addRecipient(Message.RecipientType.TO, new InternetAddress(t));
      }
      m.setSubject("MTA-STS test");
      m.setText("hello over loopback\n");
      return m;
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    closers.forEach(Runnable::run);
    mtaSts.close();
    web.close();
    dns.close();
  }

  /** Counts recheck calls and can run a hook first (to change the published policy). */
  static final class CountingSource implements PolicySource {
    private final PolicySource delegate;
    final AtomicInteger rechecks = new AtomicInteger();
    volatile Runnable beforeRecheck = () -> {};

    CountingSource(PolicySource delegate) {
      this.delegate = delegate;
    }

    @Override
    public Resolution resolve(DomainName policyDomain) {
      return delegate.resolve(policyDomain);
    }

    @Override
    public Resolution recheck(DomainName policyDomain) {
      rechecks.incrementAndGet();
      beforeRecheck.run();
      return delegate.recheck(policyDomain);
    }
  }
}
