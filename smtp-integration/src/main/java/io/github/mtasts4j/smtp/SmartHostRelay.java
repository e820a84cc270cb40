package io.github.mtasts4j.smtp;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.MtaSts;
import io.github.mtasts4j.PolicySource;
import io.github.mtasts4j.TrustAnchors;
import io.github.mtasts4j.spi.DnsClient;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Relays every message through one configured smart host, applying the MTA-STS policy of the
 * smart host's domain (RFC 8461 §3.4, STS-31) rather than the recipients' domains. The smart host
 * is checked against that policy like an MX host: under {@code enforce} its name must match an
 * {@code mx} pattern and it must offer STARTTLS with a certificate valid for its name. The policy
 * is applied through the Angus Mail session properties and this library's socket factory.
 * Immutable and thread-safe.
 *
 * <p>By default the Policy Domain is the smart host's name itself; set {@link
 * Builder#policyDomain} when the operator's configuration names another domain (never a parent
 * zone implicitly, STS-32). No MX lookup is made: the smart host's addresses come from the
 * configured {@link DnsClient}.
 *
 * <p>With {@link Builder#credentials} the relay authenticates with SMTP AUTH, and the credentials
 * are sent only over TLS verified as under {@code enforce} (chain to the trust anchors, validity,
 * DNS-ID for the smart host's name), whatever the policy's mode and also without a policy. A smart
 * host that offers no STARTTLS or fails that check gets neither the credentials nor the message:
 * the report is {@link DeliveryStatus#DEFERRED}, its attempt carrying the TLS failure. A 5xx reply
 * to AUTH fails the delivery ({@link DeliveryStatus#FAILED}); any other refusal defers it.
 *
 * <pre>{@code
 * SmartHostRelay relay = SmartHostRelay.newBuilder(DomainName.of("relay.provider.example"))
 *     .mtaSts(mtaSts)
 *     .heloName("app.sender.example")
 *     .port(587)
 *     .credentials("app@sender.example", password)
 *     .build();
 * DeliveryReport report = relay.deliver(message);
 * }</pre>
 */
public final class SmartHostRelay {
  private final DeliveryEngine engine;
  private final MxPlanner planner;
  private final DomainName relayHost;
  private final DomainName policyDomain;

  private SmartHostRelay(
      DeliveryEngine engine, MxPlanner planner, DomainName relayHost, DomainName policyDomain) {
    this.engine = engine;
    this.planner = planner;
    this.relayHost = relayHost;
    this.policyDomain = policyDomain;
  }

  /**
   * Returns a builder relaying through {@code relayHost}.
   *
   * @param relayHost the smart host's name: what is connected to and what its certificate must
   *     name
   */
  public static Builder newBuilder(DomainName relayHost) {
    return new Builder(Objects.requireNonNull(relayHost, "relayHost"));
  }

  /** The smart host. */
  public DomainName relayHost() {
    return relayHost;
  }

  /** The Policy Domain whose MTA-STS policy governs the relay connection. */
  public DomainName policyDomain() {
    return policyDomain;
  }

  /**
   * Relays {@code message} to all its recipients (To, Cc, Bcc), with the message's From as the
   * envelope sender.
   *
   * @return the report for the Policy Domain; its recipients are all the message's recipients
   * @throws IllegalArgumentException if the message has no recipients
   */
  public DeliveryReport deliver(MimeMessage message) {
    Objects.requireNonNull(message, "message");
    return deliver(message, null, Recipients.of(message));
  }

  /**
   * Relays {@code message} to {@code recipients} with {@code envelopeSender} as {@code MAIL FROM}
   * (null: the message's From).
   *
   * @throws IllegalArgumentException if {@code recipients} is empty
   */
  public DeliveryReport deliver(
      MimeMessage message,
      @Nullable InternetAddress envelopeSender,
      Collection<InternetAddress> recipients) {
    Objects.requireNonNull(message, "message");
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("no recipients");
    }
    return engine.deliver(
        policyDomain,
        resolution -> planner.planRelay(policyDomain, relayHost, resolution),
        new DeliveryEngine.Envelope(message, envelopeSender, java.util.List.copyOf(recipients)));
  }

  /**
   * Builds {@link SmartHostRelay}. Required: a policy source ({@link #policySource} or {@link
   * #mtaSts}) and {@link #heloName}. Not thread-safe.
   */
  public static final class Builder {
    private final DeliverySettings settings = new DeliverySettings();
    private final DomainName relayHost;
    private @Nullable DomainName policyDomain;

    private Builder(DomainName relayHost) {
      this.relayHost = relayHost;
    }

    /** Sets the Policy Domain (default: the smart host's name). */
    public Builder policyDomain(DomainName domain) {
      policyDomain = Objects.requireNonNull(domain, "domain");
      return this;
    }

    /** Takes the policy source, DNS client, trust anchors and clock from {@code mtaSts}. */
    public Builder mtaSts(MtaSts mtaSts) {
      settings.mtaSts(mtaSts);
      return this;
    }

    /** Sets where policies come from. */
    public Builder policySource(PolicySource policies) {
      settings.policySource(policies);
      return this;
    }

    /** Sets the DNS client for the smart host's addresses (default {@link DnsClient#system()}). */
    public Builder dns(DnsClient dns) {
      settings.dns(dns);
      return this;
    }

    /** Sets the trust anchors (default {@link TrustAnchors#jdkDefault()}). */
    public Builder trustAnchors(TrustAnchors anchors) {
      settings.trustAnchors(anchors);
      return this;
    }

    /** Sets the wall clock (default the system clock). */
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
     * Sets the smart host's SMTP port (default 25).
     *
     * @throws IllegalArgumentException if outside 1..65535
     */
    public Builder port(int port) {
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

    /** Sets local overrides, keyed by the Policy Domain (default none). */
    public Builder localOverrides(LocalOverrides overrides) {
      settings.localOverrides(overrides);
      return this;
    }

    /**
     * Speaks TLS from the first byte (implicit TLS, usually port 465, RFC 8314) instead of
     * upgrading with STARTTLS (default: STARTTLS). The certificate is checked as the policy asks,
     * exactly as after STARTTLS; a failed handshake is never followed by a cleartext attempt, so
     * without a policy (or under {@code testing} or {@code none}) a certificate that fails the
     * check is recorded and used, and a handshake that fails outright defers the message.
     *
     * @param implicit true for implicit TLS
     */
    public Builder implicitTls(boolean implicit) {
      settings.implicitTls(implicit);
      return this;
    }

    /**
     * Authenticates to the smart host with SMTP AUTH (default: no AUTH). The credentials are sent
     * only after STARTTLS with a certificate that chains to the trust anchors, is within its
     * validity period and carries a DNS-ID for the smart host's name, even when the policy's mode
     * is {@code testing} or {@code none} or there is no policy: the cleartext and unverified-TLS
     * fallbacks of those modes are not taken, and the message is deferred instead. Angus Mail
     * picks the mechanism the smart host offers (LOGIN, PLAIN, ...); a smart host that offers no
     * AUTH gets the message without it, and one that offers only mechanisms Angus lacks defers it
     * on every try, the report's reason saying so.
     *
     * @param username the user name
     * @param password the password; copied, so the caller may wipe its array afterwards
     * @throws IllegalArgumentException if {@code username} is blank or contains a line break
     */
    public Builder credentials(String username, char[] password) {
      settings.credentials(SmtpCredentials.of(username, password));
      return this;
    }

    /**
     * Builds the instance.
     *
     * @throws IllegalStateException if no policy source or HELO name was set
     */
    public SmartHostRelay build() {
      DeliverySettings.Built built = settings.build();
      DomainName domain = policyDomain != null ? policyDomain : relayHost;
      return new SmartHostRelay(built.engine(), built.planner(), relayHost, domain);
    }
  }
}
