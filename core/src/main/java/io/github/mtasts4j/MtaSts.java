package io.github.mtasts4j;

import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.spi.PolicyFetcher;
import java.time.Duration;
import java.time.InstantSource;

/**
 * The entry point: discovers, fetches and validates MTA-STS policies (RFC 8461), without caching
 * (wrap it in the cache module's {@code PolicyCache} for that). Immutable and thread-safe: build
 * one and share it.
 *
 * <pre>{@code
 * MtaSts mtaSts = MtaSts.newBuilder().build();
 * Resolution r = mtaSts.resolve(DomainName.of("example.com"));
 * }</pre>
 */
public final class MtaSts implements PolicySource {
  // TODO(network helper): implement

  private MtaSts() {}

  /** Returns a builder with the documented defaults. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Looks up and parses the {@code _mta-sts} TXT record of {@code policyDomain}. */
  public Discovery discover(DomainName policyDomain) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Fetches and parses the policy file of {@code policyDomain}. */
  public FetchResult fetch(DomainName policyDomain) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Discovers and, when a record is found, fetches: no cache. */
  @Override
  public Resolution resolve(DomainName policyDomain) {
    throw new UnsupportedOperationException("TODO");
  }

  /** The DNS client every lookup goes through. */
  public DnsClient dns() {
    throw new UnsupportedOperationException("TODO");
  }

  /** The trust anchors for policy hosts and MX hosts. */
  public TrustAnchors trustAnchors() {
    throw new UnsupportedOperationException("TODO");
  }

  /** The wall clock. */
  public InstantSource clock() {
    throw new UnsupportedOperationException("TODO");
  }

  /** Builds {@link MtaSts} instances. Not thread-safe. */
  public static final class Builder {
    private Builder() {}

    /** Sets the DNS client (default {@link DnsClient#system()}). */
    public Builder dns(DnsClient dns) {
      throw new UnsupportedOperationException("TODO");
    }

    /** Sets the trust anchors (default {@link TrustAnchors#jdkDefault()}). */
    public Builder trustAnchors(TrustAnchors anchors) {
      throw new UnsupportedOperationException("TODO");
    }

    /** Sets the wall clock (default {@link InstantSource#system()}). */
    public Builder clock(InstantSource clock) {
      throw new UnsupportedOperationException("TODO");
    }

    /** Replaces the HTTPS fetcher entirely (default: HttpClient 5 with the settings below). */
    public Builder fetcher(PolicyFetcher fetcher) {
      throw new UnsupportedOperationException("TODO");
    }

    /** TCP connect timeout for the policy host. */
    public Builder connectTimeout(Duration timeout) {
      throw new UnsupportedOperationException("TODO");
    }

    /** Longest wait for the next bytes of the response. */
    public Builder readTimeout(Duration timeout) {
      throw new UnsupportedOperationException("TODO");
    }

    /** Deadline for the whole fetch, connect to last byte. */
    public Builder totalTimeout(Duration timeout) {
      throw new UnsupportedOperationException("TODO");
    }

    /**
     * For tests and the offline demo only: the TCP port of policy hosts. RFC 8461 fixes it at 443,
     * the default.
     */
    public Builder policyPort(int port) {
      throw new UnsupportedOperationException("TODO");
    }

    /** Builds the instance. */
    public MtaSts build() {
      throw new UnsupportedOperationException("TODO");
    }
  }
}
