package io.github.mtasts4j.smtp;

import io.github.mtasts4j.MtaSts;
import io.github.mtasts4j.PolicySource;
import io.github.mtasts4j.TrustAnchors;
import io.github.mtasts4j.spi.DnsClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The settings {@link DirectDelivery} and {@link SmartHostRelay} share; validated on set. */
final class DeliverySettings {
  @Nullable PolicySource policies;
  @Nullable DnsClient dns;
  @Nullable TrustAnchors anchors;
  @Nullable InstantSource clock;
  @Nullable String heloName;
  int port = 25;
  Duration connectTimeout = Duration.ofSeconds(30);
  Duration readTimeout = Duration.ofMinutes(2);
  TlsSessionListener listener = TlsSessionListener.ignoring();
  LocalOverrides overrides = LocalOverrides.none();

  void mtaSts(MtaSts mtaSts) {
    Objects.requireNonNull(mtaSts, "mtaSts");
    policies = mtaSts;
    dns = mtaSts.dns();
    anchors = mtaSts.trustAnchors();
    clock = mtaSts.clock();
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

  static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }

  DeliveryEngine build() {
    if (policies == null) {
      throw new IllegalStateException("policySource (or mtaSts) must be set");
    }
    if (heloName == null) {
      throw new IllegalStateException("heloName must be set: the name this MTA announces in EHLO");
    }
    if (dns == null) {
      dns = DnsClient.system();
    }
    DnsClient d = dns;
    TrustAnchors a = anchors != null ? anchors : TrustAnchors.jdkDefault();
    InstantSource c = clock != null ? clock : InstantSource.system();
    return new DeliveryEngine(
        policies,
        d,
        MxTlsVerifier.of(a, c),
        c,
        heloName,
        port,
        connectTimeout,
        readTimeout,
        listener,
        overrides);
  }

  /** The DNS client; call after {@link #build()}, which fills in the default. */
  DnsClient dnsOrSystem() {
    return java.util.Objects.requireNonNull(dns, "dns");
  }
}
