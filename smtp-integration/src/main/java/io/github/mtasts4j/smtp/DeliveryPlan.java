package io.github.mtasts4j.smtp;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.Resolution;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What {@link MxPlanner} decided for one Policy Domain: either MX candidates to walk in order, or
 * why there is nothing to connect to.
 */
public sealed interface DeliveryPlan permits DeliveryPlan.Ready, DeliveryPlan.Unroutable {

  /** The Policy Domain (the recipient domain, or the smart host's domain). */
  DomainName policyDomain();

  /**
   * The policy resolution, or null when MTA-STS was skipped by a {@link LocalOverrides} entry.
   */
  @Nullable Resolution resolution();

  /** The overrides that changed this plan (empty when none). */
  Set<LocalOverrides.Kind> overridesUsed();

  /** The policy in effect (any mode), or null when there is none. */
  default @Nullable Policy policy() {
    return resolution() instanceof Resolution.Active active ? active.policy() : null;
  }

  /**
   * Candidates to try in this order. Try each one that is not {@link MxCandidate#skip() skipped};
   * treat a candidate that fails its {@link MxCandidate#requirement()} as unreachable and go on
   * (RFC 8461 §5.1, STS-64).
   *
   * @param policyDomain the Policy Domain
   * @param resolution the policy resolution, or null when skipped by an override
   * @param enforced true when the policy is applied in {@code enforce} mode (including a {@code
   *     testing} policy under {@link LocalOverrides.Kind#TESTING_AS_ENFORCE})
   * @param candidates the MX hosts in preference order
   * @param overridesUsed the overrides that changed this plan
   */
  record Ready(
      DomainName policyDomain,
      @Nullable Resolution resolution,
      boolean enforced,
      List<MxCandidate> candidates,
      Set<LocalOverrides.Kind> overridesUsed)
      implements DeliveryPlan {
    /** Validates and copies the components. */
    public Ready {
      Objects.requireNonNull(policyDomain, "policyDomain");
      candidates = List.copyOf(candidates);
      overridesUsed = Set.copyOf(overridesUsed);
      if (candidates.isEmpty()) {
        throw new IllegalArgumentException("a ready plan needs at least one candidate");
      }
    }

    /**
     * True when TLS outcomes under this plan belong in a TLS report: a policy in mode {@code
     * enforce} or {@code testing} applies.
     */
    public boolean reportable() {
      Policy p = policy();
      return p != null && p.mode() != Mode.NONE;
    }
  }

  /**
   * Nothing to connect to: the MX lookup failed ({@link DeliveryStatus#DEFERRED}) or the domain
   * does not exist ({@link DeliveryStatus#FAILED}).
   *
   * @param policyDomain the Policy Domain
   * @param resolution the policy resolution, or null when skipped by an override
   * @param status DEFERRED or FAILED
   * @param reason a one-line explanation
   * @param overridesUsed the overrides that changed this plan
   */
  record Unroutable(
      DomainName policyDomain,
      @Nullable Resolution resolution,
      DeliveryStatus status,
      String reason,
      Set<LocalOverrides.Kind> overridesUsed)
      implements DeliveryPlan {
    /** Validates and copies the components. */
    public Unroutable {
      Objects.requireNonNull(policyDomain, "policyDomain");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(reason, "reason");
      overridesUsed = Set.copyOf(overridesUsed);
      if (status == DeliveryStatus.DELIVERED) {
        throw new IllegalArgumentException("an unroutable plan cannot be delivered");
      }
    }
  }
}
