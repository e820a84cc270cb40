package io.github.mtasts4j.smtp;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.MtaSts;
import io.github.mtasts4j.PolicySource;
import io.github.mtasts4j.TrustAnchors;
import io.github.mtasts4j.spi.DnsClient;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a Jakarta Mail message straight to the MX hosts of each recipient domain, honouring
 * each domain's MTA-STS policy (RFC 8461 §4, §5). Immutable and thread-safe: build one and share
 * it.
 *
 * <p>Per recipient domain (STS-70): the policy is resolved, MX hosts are tried in preference order
 * and a host that fails the policy is treated as unreachable (STS-64). Under {@code enforce},
 * STARTTLS and a verified certificate for the MX host name are required, and a host outside the
 * policy is never connected to (STS-63); when no host qualifies, the policy is rechecked and the
 * domain is {@link DeliveryStatus#DEFERRED} (STS-65). Under {@code testing}, {@code none} or no
 * policy, TLS is opportunistic (STS-66): a bad certificate or missing STARTTLS is recorded, not
 * enforced. A 4xx reply defers the domain, a 5xx reply fails it. Domains are delivered at the
 * same time (see {@link Builder#domainConcurrency(int)}), so a slow domain does not hold up the
 * others.
 *
 * <p>Each SMTP session runs on a socket this class opens to an address from the configured {@link
 * DnsClient}; that address carries the MX host name, which is the certificate's reference identity
 * and the SNI name.
 *
 * <pre>{@code
 * MtaSts mtaSts = MtaSts.newBuilder().build();
 * DirectDelivery delivery = DirectDelivery.newBuilder()
 *     .mtaSts(mtaSts)                 // policy source, DNS, trust anchors, clock
 *     .heloName("mail.sender.example")
 *     .build();
 * for (DeliveryReport r : delivery.deliver(message)) {
 *   System.out.println(r.domain() + ": " + r.status().token() + " - " + r.reason());
 * }
 * }</pre>
 */
public final class DirectDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(DirectDelivery.class);
  /** Default for {@link Builder#domainConcurrency(int)}. */
  public static final int DEFAULT_DOMAIN_CONCURRENCY = 4;

  private final DeliveryEngine engine;
  private final MxPlanner planner;
  private final int domainConcurrency;

  private DirectDelivery(DeliveryEngine engine, MxPlanner planner, int domainConcurrency) {
    this.engine = engine;
    this.planner = planner;
    this.domainConcurrency = domainConcurrency;
  }

  /** Returns a builder. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** The planner used, for callers that want the plan without delivering. */
  public MxPlanner planner() {
    return planner;
  }

  /**
   * Delivers {@code message} to all its recipients (To, Cc, Bcc), with the message's From as the
   * envelope sender.
   *
   * @return one report per recipient domain, in first-seen order
   * @throws IllegalArgumentException if the message has no recipients or a recipient's domain is
   *     not a valid domain name (address literals included)
   */
  public List<DeliveryReport> deliver(MimeMessage message) {
    Objects.requireNonNull(message, "message");
    return deliver(message, null, Recipients.of(message));
  }

  /**
   * Delivers {@code message} to {@code recipients}, with {@code envelopeSender} as the SMTP {@code
   * MAIL FROM} (null: the message's From).
   *
   * @return one report per recipient domain, in first-seen order
   * @throws IllegalArgumentException if {@code recipients} is empty or a recipient's domain is not
   *     a valid domain name
   */
  public List<DeliveryReport> deliver(
      MimeMessage message,
      @Nullable InternetAddress envelopeSender,
      Collection<InternetAddress> recipients) {
    Objects.requireNonNull(message, "message");
    Map<DomainName, List<InternetAddress>> groups = Recipients.byDomain(recipients);
    List<DomainName> domains = List.copyOf(groups.keySet());
    int threads = Math.min(domainConcurrency, domains.size());
    if (threads <= 1 || message.getClass() != MimeMessage.class) {
      // A subclass (Angus's SMTPMessage, say) may carry per-message SMTP options a copy would lose.
      List<DeliveryReport> reports = new ArrayList<>();
      for (DomainName domain : domains) {
        reports.add(deliverOne(domain, message, envelopeSender, groups.get(domain)));
      }
      return List.copyOf(reports);
    }
    DeliveryReport[] reports = new DeliveryReport[domains.size()];
    AtomicInteger next = new AtomicInteger();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    // Sending writes the message (MimeMessage.writeTo saves pending changes), which is not safe
    // from several threads at once: each helper thread sends its own parsed copy. All copies are
    // made before any thread starts, so a message that cannot be copied fails before any domain
    // has been delivered to.
    List<MimeMessage> copies = new ArrayList<>();
    for (int t = 1; t < threads; t++) {
      copies.add(copyOf(message));
    }
    List<Thread> helpers = new ArrayList<>();
    try {
      for (MimeMessage copy : copies) {
        Thread helper =
            new Thread(
                () -> deliverFrom(next, domains, groups, copy, envelopeSender, reports, errors),
                "mtasts4j-delivery-" + (helpers.size() + 1));
        helper.setDaemon(true);
        try {
          helper.start();
        } catch (OutOfMemoryError | RuntimeException e) {
          // No thread to be had: the threads already running and this one share the domains.
          LOG.warn("delivering with {} threads instead of {}: {}", helpers.size() + 1, threads,
              e.toString());
          break;
        }
        helpers.add(helper);
      }
      deliverFrom(next, domains, groups, message, envelopeSender, reports, errors);
    } finally {
      joinUninterruptibly(helpers);
    }
    if (!errors.isEmpty()) {
      Throwable first = errors.get(0);
      errors.stream().skip(1).forEach(first::addSuppressed);
      if (first instanceof Error error) {
        throw error;
      }
      throw (RuntimeException) first;
    }
    return List.of(reports);
  }

  /** Takes the next undelivered domain until none is left; used by every delivering thread. */
  private void deliverFrom(
      AtomicInteger next,
      List<DomainName> domains,
      Map<DomainName, List<InternetAddress>> groups,
      MimeMessage message,
      @Nullable InternetAddress envelopeSender,
      DeliveryReport[] reports,
      List<Throwable> errors) {
    for (int i = next.getAndIncrement(); i < reports.length; i = next.getAndIncrement()) {
      DomainName domain = domains.get(i);
      try {
        reports[i] = deliverOne(domain, message, envelopeSender, groups.get(domain));
      } catch (RuntimeException | Error e) {
        errors.add(e);
        return;
      }
    }
  }

  private DeliveryReport deliverOne(
      DomainName domain,
      MimeMessage message,
      @Nullable InternetAddress envelopeSender,
      List<InternetAddress> recipients) {
    return engine.deliver(
        domain,
        resolution -> planner.plan(domain, resolution),
        new DeliveryEngine.Envelope(message, envelopeSender, recipients));
  }

  private static MimeMessage copyOf(MimeMessage message) {
    try {
      return new MimeMessage(message);
    } catch (MessagingException e) {
      throw new IllegalArgumentException("message cannot be serialized: " + e.getMessage(), e);
    }
  }

  private static void joinUninterruptibly(List<Thread> threads) {
    boolean interrupted = false;
    for (Thread t : threads) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          // Reports of domains still in flight must not be dropped: wait, then restore the flag.
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Builds {@link DirectDelivery}. Required: a policy source ({@link #policySource} or {@link
   * #mtaSts}) and {@link #heloName}. Not thread-safe.
   */
  public static final class Builder {
    private final DeliverySettings settings = new DeliverySettings();
    private int domainConcurrency = DEFAULT_DOMAIN_CONCURRENCY;

    private Builder() {}

    /**
     * Sets how many recipient domains of one message are delivered at the same time (default
     * {@value DirectDelivery#DEFAULT_DOMAIN_CONCURRENCY}), so that a slow or unreachable domain does
     * not hold up the others. The calling thread delivers too; the others are short-lived daemon
     * threads, and each one sends its own copy of the message. {@code 1} delivers one domain after
     * the other on the calling thread, as does a message of a {@code MimeMessage} subclass (such
     * as Angus's {@code SMTPMessage}, whose per-message SMTP options a copy would lose).
     *
     * @throws IllegalArgumentException if {@code concurrency < 1}
     */
    public Builder domainConcurrency(int concurrency) {
      if (concurrency < 1) {
        throw new IllegalArgumentException("domainConcurrency must be at least 1: " + concurrency);
      }
      this.domainConcurrency = concurrency;
      return this;
    }

    /**
     * Takes the policy source, DNS client, trust anchors and clock from {@code mtaSts}; later
     * calls may replace any of them (for instance a caching policy source).
     */
    public Builder mtaSts(MtaSts mtaSts) {
      settings.mtaSts(mtaSts);
      return this;
    }

    /** Sets where policies come from (an {@code MtaSts}, or the cache module's cache). */
    public Builder policySource(PolicySource policies) {
      settings.policySource(policies);
      return this;
    }

    /** Sets the DNS client for MX and address lookups (default {@link DnsClient#system()}). */
    public Builder dns(DnsClient dns) {
      settings.dns(dns);
      return this;
    }

    /** Sets the CAs MX certificates must chain to (default {@link TrustAnchors#jdkDefault()}). */
    public Builder trustAnchors(TrustAnchors anchors) {
      settings.trustAnchors(anchors);
      return this;
    }

    /** Sets the wall clock for certificate validity and events (default the system clock). */
    public Builder clock(InstantSource clock) {
      settings.clock(clock);
      return this;
    }

    /**
     * Sets the name announced in EHLO/HELO.
     *
     * @throws IllegalArgumentException if blank or not printable ASCII without spaces
     */
    public Builder heloName(String heloName) {
      settings.heloName(heloName);
      return this;
    }

    /**
     * Sets the SMTP port of MX hosts. RFC 5321 fixes it at 25, the default; other values are for
     * tests and demos.
     *
     * @throws IllegalArgumentException if outside 1..65535
     */
    public Builder smtpPort(int port) {
      settings.port(port);
      return this;
    }

    /** Sets the TCP connect timeout per address (default 30 s). */
    public Builder connectTimeout(Duration timeout) {
      settings.connectTimeout(timeout);
      return this;
    }

    /**
     * Sets the longest wait for each SMTP reply, and the longest a write may stay blocked because
     * the server accepts no data (default 2 min); either ends the session with that host.
     */
    public Builder readTimeout(Duration timeout) {
      settings.readTimeout(timeout);
      return this;
    }

    /** Sets the receiver of TLS session events (default: ignore them). */
    public Builder tlsSessionListener(TlsSessionListener listener) {
      settings.tlsSessionListener(listener);
      return this;
    }

    /** Sets local overrides (default {@link LocalOverrides#none()}). */
    public Builder localOverrides(LocalOverrides overrides) {
      settings.localOverrides(overrides);
      return this;
    }

    /**
     * Builds the instance.
     *
     * @throws IllegalStateException if no policy source or HELO name was set
     */
    public DirectDelivery build() {
      DeliverySettings.Built built = settings.build();
      return new DirectDelivery(built.engine(), built.planner(), domainConcurrency);
    }
  }
}
