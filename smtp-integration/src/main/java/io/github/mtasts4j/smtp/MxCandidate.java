package io.github.mtasts4j.smtp;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Failure;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One MX host to try, in order, with what the governing policy asks of it.
 *
 * @param host the MX host name: the reference identity for the certificate and the SNI name
 * @param preference the MX preference (0 for an implicit MX or a smart host)
 * @param implicitMx true when the domain has no MX record and the domain itself is used (RFC 5321
 *     §5.1, checklist STS-71)
 * @param policyMatch true when a policy {@code mx} pattern matches {@code host}; false when it
 *     does not, or when no policy with patterns applies
 * @param requirement the TLS the host must provide
 * @param policyFailure why this host fails the policy before any connection ({@code
 *     validation-failure}: not matching any {@code mx} pattern), under {@code enforce} or {@code
 *     testing}; otherwise null
 * @param skip true when the host must not even be connected to ({@code enforce} and no pattern
 *     matches, STS-63)
 */
public record MxCandidate(
    DomainName host,
    int preference,
    boolean implicitMx,
    boolean policyMatch,
    TlsRequirement requirement,
    @Nullable Failure policyFailure,
    boolean skip) {

  /** Validates the components. */
  public MxCandidate {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(requirement, "requirement");
    if (skip && policyFailure == null) {
      throw new IllegalArgumentException("a skipped candidate needs the policy failure");
    }
  }
}
