package io.github.mtasts4j.smtp;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.Resolution;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What happened to a message for the recipients of one domain: the policy applied, every MX host
 * tried, and the final status.
 *
 * @param domain the recipient domain (for a smart host: the Policy Domain)
 * @param recipients the recipient addresses of this domain
 * @param resolution the last policy resolution used, or null when MTA-STS was skipped by an
 *     override or when an unexpected error (a failing policy source, for instance) stopped the
 *     delivery to this domain; that case is {@link DeliveryStatus#DEFERRED} with no attempts
 * @param enforced true when the policy was applied as {@code enforce}
 * @param attempts the MX hosts tried or skipped, in order (a rechecked policy adds a second round)
 * @param status delivered, deferred or failed
 * @param reason a one-line explanation of the status
 * @param overridesUsed the local overrides that changed the outcome (empty when none)
 */
public record DeliveryReport(
    DomainName domain,
    List<String> recipients,
    @Nullable Resolution resolution,
    boolean enforced,
    List<Attempt> attempts,
    DeliveryStatus status,
    String reason,
    Set<LocalOverrides.Kind> overridesUsed) {

  /** Validates and copies the components. */
  public DeliveryReport {
    Objects.requireNonNull(domain, "domain");
    recipients = List.copyOf(recipients);
    attempts = List.copyOf(attempts);
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    overridesUsed = Set.copyOf(overridesUsed);
  }

  /** The policy in effect (any mode), or null when there is none. */
  public @Nullable Policy policy() {
    return resolution instanceof Resolution.Active active ? active.policy() : null;
  }

  /**
   * Where the policy came from, as the CLI's {@code policy_source}: {@code fetched}, {@code cache}
   * or {@code cache-fallback} for an active policy; {@code none} when the domain has no policy;
   * {@code fetch-failed} when its policy could not be obtained; {@code skipped} when an override
   * skipped MTA-STS.
   */
  public String policySource() {
    if (resolution == null) {
      return "skipped";
    }
    if (resolution instanceof Resolution.Active active) {
      return active.source().token();
    }
    return resolution instanceof Resolution.Failed ? "fetch-failed" : "none";
  }

  /** The attempt that delivered the message, or null. */
  public @Nullable Attempt deliveredBy() {
    for (Attempt a : attempts) {
      if (a.outcome() == Attempt.Outcome.DELIVERED) {
        return a;
      }
    }
    return null;
  }
}
