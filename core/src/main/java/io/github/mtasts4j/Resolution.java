package io.github.mtasts4j;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of MTA-STS policy discovery for one Policy Domain (RFC 8461 §3, §5.1).
 *
 * <p>Exactly one of three things is true: a policy is in effect ({@link Active}, any mode,
 * including {@code none}); the domain publishes no usable policy indicator ({@link NoPolicy});
 * or it does, but the policy could not be obtained and none is cached ({@link Failed}). Senders
 * deliver as if there were no MTA-STS in the last two cases (RFC 8461 §3.3); {@link Failed} is
 * worth a TLS report (RFC 8461 §6).
 */
public sealed interface Resolution permits Resolution.Active, Resolution.NoPolicy, Resolution.Failed {

  /** The Policy Domain that was resolved. */
  DomainName domain();

  /**
   * A policy is in effect.
   *
   * @param domain the Policy Domain
   * @param policy the policy that applies
   * @param policyId the id of the TXT record the policy was fetched under
   * @param source where the policy came from
   * @param fetchedAt when the policy was last fetched successfully (wall clock)
   * @param fallbackCause why a live policy could not be obtained, when {@code source} is {@link
   *     Source#CACHE_FALLBACK}; otherwise null
   */
  record Active(
      DomainName domain,
      Policy policy,
      String policyId,
      Source source,
      Instant fetchedAt,
      @Nullable Failure fallbackCause)
      implements Resolution {
    /** Validates the components. */
    public Active {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(policyId, "policyId");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(fetchedAt, "fetchedAt");
    }

    /** The instant after which this policy no longer applies: {@code fetchedAt + max_age}. */
    public Instant expiresAt() {
      return fetchedAt.plusSeconds(policy.maxAgeSeconds());
    }
  }

  /**
   * No MTA-STS policy indicator is usable, and no cached policy applies.
   *
   * @param domain the Policy Domain
   * @param reason which case of "no policy" this is
   * @param detail a one-line explanation
   */
  record NoPolicy(DomainName domain, Reason reason, String detail) implements Resolution {
    /** Validates the components. */
    public NoPolicy {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    /** Why no policy is in effect. */
    public enum Reason {
      /** NXDOMAIN, NODATA, or no TXT record beginning with {@code v=STSv1}. */
      NO_RECORD,
      /** More than one record begins with {@code v=STSv1} (RFC 8461 §3.1). */
      MULTIPLE_RECORDS,
      /** The single record is syntactically invalid (RFC 8461 §3.1). */
      INVALID_RECORD,
      /** The TXT lookup failed (SERVFAIL, timeout) and nothing is cached. */
      DNS_FAILURE
    }
  }

  /**
   * The domain publishes a valid TXT record, but its policy could not be fetched or was invalid,
   * and no unexpired policy is cached (RFC 8461 §3.3: deliver as if no MTA-STS).
   *
   * @param domain the Policy Domain
   * @param policyId the id announced by the TXT record
   * @param failure the classified failure ({@code sts-policy-fetch-error}, {@code
   *     sts-policy-invalid} or {@code sts-webpki-invalid})
   */
  record Failed(DomainName domain, String policyId, Failure failure) implements Resolution {
    /** Validates the components. */
    public Failed {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(policyId, "policyId");
      Objects.requireNonNull(failure, "failure");
    }
  }
}
