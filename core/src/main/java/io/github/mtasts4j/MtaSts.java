package io.github.mtasts4j;

import io.github.mtasts4j.internal.HttpClient5Fetcher;
import io.github.mtasts4j.spi.DnsAnswer;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.spi.PolicyFetcher;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: discovers, fetches and validates MTA-STS policies (RFC 8461), without caching
 * (wrap it in the cache module's {@code PolicyCache} for that). Immutable and thread-safe: build
 * one and share it. It only ever looks up the Policy Domain it is given, never a parent domain
 * (RFC 8461 §3.4).
 *
 * <p>The built-in HTTPS fetcher holds a connection pool: {@link #close()} releases it when the
 * instance is no longer needed. A fetcher passed to {@link Builder#fetcher} is not closed.
 *
 * <pre>{@code
 * try (MtaSts mtaSts = MtaSts.newBuilder().build()) {
 *   Resolution r = mtaSts.resolve(DomainName.of("example.com"));
 * }
 * }</pre>
 */
public final class MtaSts implements PolicySource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MtaSts.class);

  /** Default TCP connect timeout for the policy host: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Default longest wait for the next bytes of the policy response: 10 seconds. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

  /** Default deadline for a whole policy fetch: 60 seconds, as RFC 8461 §3.3 suggests. */
  public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(60);

  private final DnsClient dns;
  private final TrustAnchors anchors;
  private final InstantSource clock;
  private final CertificateVerifier verifier;
  private final PolicyFetcher fetcher;
  private final @Nullable AutoCloseable ownedFetcher;

  private MtaSts(Builder b) {
    this.dns = b.dns != null ? b.dns : DnsClient.system();
    this.anchors = b.anchors != null ? b.anchors : TrustAnchors.jdkDefault();
    this.clock = b.clock;
    this.verifier = CertificateVerifier.of(anchors, clock);
    if (b.fetcher != null) {
      this.fetcher = b.fetcher;
      this.ownedFetcher = null;
    } else {
      HttpClient5Fetcher built =
          new HttpClient5Fetcher(
              dns, verifier, b.connectTimeout, b.readTimeout, b.totalTimeout, b.policyPort);
      this.fetcher = built;
      this.ownedFetcher = built;
    }
  }

  /** Returns a builder with the documented defaults. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Looks up and parses the {@code _mta-sts} TXT record of {@code policyDomain}: records not
   * beginning with {@code v=STSv1} are ignored, and exactly one must remain (RFC 8461 §3.1).
   */
  public Discovery discover(DomainName policyDomain) {
    Objects.requireNonNull(policyDomain, "policyDomain");
    DomainName name = policyDomain.prefixed("_mta-sts");
    DnsAnswer<String> answer = dns.txt(name);
    if (answer instanceof DnsAnswer.Error<String> error) {
      LOG.debug("TXT lookup for {} failed: {}", name, error.detail());
      return new Discovery.DnsFailed(policyDomain, error.detail());
    }
    if (answer instanceof DnsAnswer.NotFound<String> notFound) {
      return new Discovery.Absent(
          policyDomain, Resolution.NoPolicy.Reason.NO_RECORD, notFound.detail());
    }
    DnsAnswer.Found<String> found = (DnsAnswer.Found<String>) answer;
    List<String> candidates = new ArrayList<>();
    for (String txt : found.records()) {
      if (PolicyRecord.isStsCandidate(txt)) {
        candidates.add(txt);
      }
    }
    if (candidates.isEmpty()) {
      return new Discovery.Absent(
          policyDomain,
          Resolution.NoPolicy.Reason.NO_RECORD,
          "no TXT record at " + name + " begins with v=STSv1 (" + found.records().size()
              + " other records)");
    }
    if (candidates.size() > 1) {
      return new Discovery.Absent(
          policyDomain,
          Resolution.NoPolicy.Reason.MULTIPLE_RECORDS,
          candidates.size() + " TXT records at " + name + " begin with v=STSv1; exactly one is"
              + " allowed");
    }
    try {
      return new Discovery.Found(policyDomain, PolicyRecord.parse(candidates.get(0)), found.ttl());
    } catch (InvalidPolicyException e) {
      return new Discovery.Absent(
          policyDomain,
          Resolution.NoPolicy.Reason.INVALID_RECORD,
          "invalid TXT record at " + name + ": " + e.getMessage());
    }
  }

  /** Fetches and parses the policy file of {@code policyDomain}. */
  public FetchResult fetch(DomainName policyDomain) {
    Objects.requireNonNull(policyDomain, "policyDomain");
    return fetcher.fetch(policyDomain);
  }

  /**
   * Discovers and, when a record is found, fetches: no cache. A fetched policy is {@link
   * Resolution.Active} with source {@link Source#FETCHED} (mode {@code none} included); a failed
   * fetch is {@link Resolution.Failed}; no usable record or a DNS failure is {@link
   * Resolution.NoPolicy}.
   */
  @Override
  public Resolution resolve(DomainName policyDomain) {
    Discovery discovery = discover(policyDomain);
    if (discovery instanceof Discovery.Absent absent) {
      return new Resolution.NoPolicy(policyDomain, absent.reason(), absent.detail());
    }
    if (discovery instanceof Discovery.DnsFailed failed) {
      return new Resolution.NoPolicy(
          policyDomain, Resolution.NoPolicy.Reason.DNS_FAILURE, failed.detail());
    }
    PolicyRecord record = ((Discovery.Found) discovery).record();
    FetchResult result = fetch(policyDomain);
    if (result instanceof FetchResult.Fetched fetched) {
      return new Resolution.Active(
          policyDomain, fetched.policy(), record.id(), Source.FETCHED, clock.instant(), null);
    }
    Failure failure = ((FetchResult.FetchFailed) result).failure();
    LOG.debug("policy fetch for {} (id {}) failed: {}", policyDomain, record.id(), failure);
    return new Resolution.Failed(policyDomain, record.id(), failure);
  }

  /** The DNS client every lookup goes through. */
  public DnsClient dns() {
    return dns;
  }

  /** The trust anchors for policy hosts and MX hosts. */
  public TrustAnchors trustAnchors() {
    return anchors;
  }

  /** The wall clock. */
  public InstantSource clock() {
    return clock;
  }

  /**
   * The certificate verifier over {@link #trustAnchors()} and {@link #clock()}, the same one the
   * built-in fetcher uses; MX host checks should use it too.
   */
  public CertificateVerifier certificateVerifier() {
    return verifier;
  }

  /** Releases the built-in fetcher's connection pool; a fetcher passed in is left open. */
  @Override
  public void close() {
    if (ownedFetcher != null) {
      try {
        ownedFetcher.close();
      } catch (Exception e) {
        LOG.debug("closing the policy fetcher failed", e);
      }
    }
  }

  /**
   * Builds {@link MtaSts} instances. Not thread-safe. Each setter checks its argument at once and
   * throws {@link IllegalArgumentException} (or {@link NullPointerException} for null).
   */
  public static final class Builder {
    private @Nullable DnsClient dns;
    private @Nullable TrustAnchors anchors;
    private InstantSource clock = InstantSource.system();
    private @Nullable PolicyFetcher fetcher;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration totalTimeout = DEFAULT_TOTAL_TIMEOUT;
    private int policyPort = 443;
    private boolean fetcherSettingsChanged;

    private Builder() {}

    /** Sets the DNS client (default {@link DnsClient#system()}). */
    public Builder dns(DnsClient dns) {
      this.dns = Objects.requireNonNull(dns, "dns");
      return this;
    }

    /** Sets the trust anchors (default {@link TrustAnchors#jdkDefault()}). */
    public Builder trustAnchors(TrustAnchors anchors) {
      this.anchors = Objects.requireNonNull(anchors, "anchors");
      return this;
    }

    /** Sets the wall clock (default {@link InstantSource#system()}). */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Replaces the HTTPS fetcher entirely (default: HttpClient 5 with the settings below). It
     * cannot be combined with the timeout and port settings, which configure the built-in
     * fetcher: {@link #build()} then throws {@link IllegalStateException}.
     */
    public Builder fetcher(PolicyFetcher fetcher) {
      this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
      return this;
    }

    /** TCP connect timeout for the policy host (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      fetcherSettingsChanged = true;
      return this;
    }

    /** Longest wait for the next bytes of the response (default 10 s). */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive(timeout, "readTimeout");
      fetcherSettingsChanged = true;
      return this;
    }

    /** Deadline for the whole fetch, connect to last byte (default 60 s, RFC 8461 §3.3). */
    public Builder totalTimeout(Duration timeout) {
      this.totalTimeout = positive(timeout, "totalTimeout");
      fetcherSettingsChanged = true;
      return this;
    }

    /**
     * For tests and the offline demo only: the TCP port of policy hosts. RFC 8461 fixes it at 443,
     * the default.
     *
     * @throws IllegalArgumentException unless {@code port} is 1..65535
     */
    public Builder policyPort(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("policyPort must be 1..65535: " + port);
      }
      this.policyPort = port;
      fetcherSettingsChanged = true;
      return this;
    }

    /**
     * Builds the instance.
     *
     * @throws IllegalStateException if {@link #fetcher} was combined with timeout or port settings
     */
    public MtaSts build() {
      if (fetcher != null && fetcherSettingsChanged) {
        throw new IllegalStateException(
            "timeouts and policyPort configure the built-in fetcher; they cannot be combined"
                + " with fetcher(...)");
      }
      return new MtaSts(this);
    }

    private static Duration positive(Duration timeout, String what) {
      Objects.requireNonNull(timeout, what);
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + timeout);
      }
      return timeout;
    }
  }
}
