package io.github.mtasts4j.cli;

import io.github.mtasts4j.MtaSts;
import io.github.mtasts4j.cache.PolicyCache;
import io.github.mtasts4j.cache.PolicyStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.github.mtasts4j.PolicySource;
import io.github.mtasts4j.TrustAnchors;
import io.github.mtasts4j.spi.DnsClient;
import java.time.Duration;

/**
 * Builds the library objects from {@link CommonOptions}: ONE {@link DnsClient} (so {@code --dns}
 * governs every lookup), one {@link TrustAnchors}, one {@link MtaSts} and the policy source
 * (cached when {@code --state-dir} is given).
 */
final class Services implements AutoCloseable {
  /** Far above any CA bundle (the JDK's is about 200 KB), far below a slow parse. */
  static final long TRUST_ANCHORS_LIMIT = 4L * 1024 * 1024;

  final CommonOptions options;
  final DnsClient dns;
  final TrustAnchors trust;
  final MtaSts mtaSts;
  private PolicyCache cache;

  Services(CommonOptions options) {
    this.options = options;
    this.dns = dnsClient(options);
    this.trust = trustAnchors(options);
    Duration t = options.timeout;
    this.mtaSts =
        MtaSts.newBuilder()
            .dns(dns)
            .trustAnchors(trust)
            .policyPort(options.policyPort)
            .connectTimeout(t)
            .readTimeout(t)
            .totalTimeout(t.multipliedBy(2))
            .build();
  }

  /**
   * The policy source for {@code policy} and {@code send}: the cache module's {@link PolicyCache},
   * persisted in {@code --state-dir} when given, otherwise in memory for this run only.
   */
  synchronized PolicySource policySource() {
    if (cache == null) {
      PolicyStore store =
          options.stateDir == null ? PolicyStore.none() : PolicyStore.directory(stateDir());
      // One command is one short run: a background refresh thread would only outlive it.
      cache = PolicyCache.newBuilder(mtaSts).store(store).noRefreshSweep().build();
    }
    return cache;
  }

  /**
   * The TLS reporting state: {@code tlsrpt/} inside {@code --state-dir}. The policy cache keeps
   * only {@code *.policy} files at the top level and ignores subdirectories, so the two never
   * collide.
   */
  Path tlsrptStateDir() {
    return usableDir(stateDir().resolve("tlsrpt"));
  }

  private Path stateDir() {
    return usableDir(options.stateDir);
  }

  private static Path usableDir(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UserException("cannot use --state-dir " + dir + ": "
          + (Files.exists(dir) ? "not a directory" : Text.oneLine(String.valueOf(e.getMessage()))));
    }
    if (!Files.isWritable(dir)) {
      throw new UserException("cannot use --state-dir " + dir + ": not writable");
    }
    return dir;
  }

  @Override
  public synchronized void close() {
    if (cache != null) {
      cache.close();
    }
    Object m = mtaSts;
    if (m instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        // releasing connection pools is best effort at exit
      }
    }
  }

  static DnsClient dnsClient(CommonOptions o) {
    if (o.dns.isEmpty()) {
      try {
        return DnsClient.system();
      } catch (RuntimeException e) {
        throw new UserException(
            "cannot use the system's DNS resolvers (" + Text.oneLine(e.getMessage())
                + "); name one with --dns HOST[:PORT]");
      }
    }
    return DnsClient.servers(o.dns, o.timeout);
  }

  static TrustAnchors trustAnchors(CommonOptions o) {
    if (o.trustAnchors == null) {
      return TrustAnchors.jdkDefault();
    }
    Path pem = o.trustAnchors;
    try {
      if (!Files.isRegularFile(pem)) {
        throw new UserException("cannot use --trust-anchors " + pem + ": "
            + (Files.exists(pem) ? "not a regular file" : "no such file"));
      }
      if (Files.size(pem) > TRUST_ANCHORS_LIMIT) {
        throw new UserException("cannot use --trust-anchors " + pem + ": " + Files.size(pem)
            + " bytes is more than the limit of " + TRUST_ANCHORS_LIMIT);
      }
    } catch (IOException e) {
      throw new UserException("cannot use --trust-anchors " + pem + ": " + e.getMessage());
    }
    try {
      return TrustAnchors.fromPem(o.trustAnchors);
    } catch (IllegalArgumentException e) {
      throw new UserException(
          "cannot use --trust-anchors " + o.trustAnchors + ": " + Text.oneLine(e.getMessage()));
    }
  }
}
