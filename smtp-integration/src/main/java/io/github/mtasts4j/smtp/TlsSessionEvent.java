package io.github.mtasts4j.smtp;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Failure;
import io.github.mtasts4j.Policy;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One TLS session attempt with an MX host (or smart host), as RFC 8460 reporting needs it. Emitted
 * once per attempt that reached the TLS decision: the STARTTLS handshake (verified or not), an MX
 * host without STARTTLS, or an MX host skipped because it is outside an {@code enforce} policy.
 * Connection failures before that point are not TLS failures (RFC 8461 Appendix B, STS-62) and
 * produce no event.
 *
 * <p>One more kind, with no MX host: when the domain publishes a valid TXT record but its policy
 * could not be fetched, was invalid or failed PKIX (RFC 8461 §6, STS-69), one event per delivery
 * to the domain carries that failure ({@code sts-policy-fetch-error}, {@code sts-policy-invalid}
 * or {@code sts-webpki-invalid}), with the cached policy applied instead if there is one (never
 * for a cached {@code mode: none}), or with no policy.
 *
 * @param at when the attempt ended (the delivery's clock)
 * @param policyDomain the Policy Domain
 * @param policy the policy in effect, or null when there is none
 * @param policyId the id of the policy's TXT record, or null when there is no policy
 * @param reportable true when a TLS report should count this session: a policy in mode {@code
 *     enforce} or {@code testing} applies, or a policy failure is reported. False for mode {@code
 *     none} and for no policy
 * @param mxHost the MX host name, or null for a policy failure before any MX host was tried
 * @param receivingIp the address connected to, or null when the MX host was not connected to
 * @param sendingIp the local address used, or null when unknown
 * @param receivingMxHelo the host name the MX announced in its EHLO or HELO reply, or null
 * @param failure the failure, or null for a verified TLS session
 */
public record TlsSessionEvent(
    Instant at,
    DomainName policyDomain,
    @Nullable Policy policy,
    @Nullable String policyId,
    boolean reportable,
    @Nullable DomainName mxHost,
    @Nullable InetAddress receivingIp,
    @Nullable InetAddress sendingIp,
    @Nullable String receivingMxHelo,
    @Nullable Failure failure) {

  /** Validates the components. */
  public TlsSessionEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(policyDomain, "policyDomain");
    if (mxHost == null && failure == null) {
      throw new IllegalArgumentException("a session without an MX host must carry its failure");
    }
  }

  /** True when TLS was established and the certificate verified. */
  public boolean success() {
    return failure == null;
  }
}
