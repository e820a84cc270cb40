package io.github.mtasts4j.smtp;

import io.github.mtasts4j.MtaSts;
import io.github.mtasts4j.PolicySource;
import io.github.mtasts4j.TrustAnchors;
import io.github.mtasts4j.spi.DnsClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings {@link DirectDelivery} and {@link SmartHostRelay} share, with their defaults and
 * validation: each builder's setters delegate here, so the rules live in one place. Validated on
 * set; not thread-safe (like the builders that own it).
 */
final class DeliverySettings {
  private @Nullable PolicySource policies;
  private @Nullable DnsClient dns;
  private @Nullable TrustAnchors anchors;
  private @Nullable InstantSource clock;
  private @Nullable String heloName;
  private int port = 25;
  private Duration connectTimeout = Duration.ofSeconds(30);
  private Duration readTimeout = Duration.ofMinutes(2);
  private TlsSessionListener listener = TlsSessionListener.ignoring();
  private LocalOverrides overrides = LocalOverrides.none();
  private @Nullable SmtpCredentials credentials;
  private boolean implicitTls;

  /** What a builder needs to construct its delivery class. */
  record Built(DeliveryEngine engine, MxPlanner planner) {}

  void mtaSts(MtaSts mtaSts) {
    Objects.requireNonNull(mtaSts, "mtaSts");
    policies = mtaSts;
    dns = mtaSts.dns();
    anchors = mtaSts.trustAnchors();
    clock = mtaSts.clock();
  }

  void policySource(PolicySource value) {
    policies = Objects.requireNonNull(value, "policies");
  }

  void dns(DnsClient value) {
    dns = Objects.requireNonNull(value, "dns");
  }

  void trustAnchors(TrustAnchors value) {
    anchors = Objects.requireNonNull(value, "anchors");
  }

  void clock(InstantSource value) {
    clock = Objects.requireNonNull(value, "clock");
  }

  void heloName(String name) {
    Objects.requireNonNull(name, "heloName");
    if (name.isBlank() || name.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new IllegalArgumentException("HELO name must be a host name or address literal: " + name);
    }
    heloName = name;
  }

  void port(int value) {
    if (value < 1 || value > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + value);
    }
    port = value;
  }

  void connectTimeout(Duration value) {
    connectTimeout = positive(value, "connectTimeout");
  }

  void readTimeout(Duration value) {
    readTimeout = positive(value, "readTimeout");
  }

  void tlsSessionListener(TlsSessionListener value) {
    listener = Objects.requireNonNull(value, "listener");
  }

  void localOverrides(LocalOverrides value) {
    overrides = Objects.requireNonNull(value, "overrides");
  }

  void credentials(SmtpCredentials value) {
    credentials = Objects.requireNonNull(value, "credentials");
  }

  void implicitTls(boolean value) {
    implicitTls = value;
  }

  private static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }

  /**
   * The engine and the planner, with defaults for what was not set.
   *
   * @throws IllegalStateException if no policy source or HELO name was set
   */
  Built build() {
    PolicySource p = policies;
    if (p == null) {
      throw new IllegalStateException("policySource (or mtaSts) must be set");
    }
    String helo = heloName;
    if (helo == null) {
      throw new IllegalStateException("heloName must be set: the name this MTA announces in EHLO");
    }
    DnsClient d = dns != null ? dns : DnsClient.system();
    TrustAnchors a = anchors != null ? anchors : TrustAnchors.jdkDefault();
    InstantSource c = clock != null ? clock : InstantSource.system();
    DeliveryEngine engine =
        new DeliveryEngine(
            p,
            d,
            MxTlsVerifier.of(a, c),
            c,
            helo,
            port,
            connectTimeout,
            readTimeout,
            listener,
            overrides,
            credentials,
            implicitTls);
    return new Built(engine, MxPlanner.of(p, d).withOverrides(overrides));
  }
}
