package io.github.mtasts4j.smtp;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Failure;
import io.github.mtasts4j.Mode;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.PolicySource;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.ResultType;
import io.github.mtasts4j.spi.DnsAnswer;
import io.github.mtasts4j.spi.DnsClient;
import io.github.mtasts4j.spi.MxHost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw seam for any Java MTA: for a recipient domain, the ordered MX candidates with the policy
 * that governs them and the TLS each one requires (RFC 8461 §4.1, §5). No SMTP is spoken here.
 * Immutable and thread-safe.
 *
 * <p>The MX list is not filtered in a first pass (RFC 8461 §8.4): candidates outside an {@code
 * enforce} policy stay in the list, marked {@link MxCandidate#skip()}, so the caller walks the
 * list in order and treats them as unreachable. A domain without MX records uses the domain itself
 * (STS-71), which must then match the policy like any MX host. A domain whose MX records are all
 * unusable, such as a null MX (RFC 7505), accepts no mail: its plan is {@link
 * DeliveryPlan.Unroutable} with {@link DeliveryStatus#FAILED}, never an implicit MX.
 *
 * <pre>{@code
 * MxPlanner planner = MxPlanner.of(policySource, dnsClient);
 * if (planner.plan(DomainName.of("example.com")) instanceof DeliveryPlan.Ready ready) {
 *   for (MxCandidate mx : ready.candidates()) {
 *     if (mx.skip()) continue;            // enforce: MX outside the policy
 *     // connect to mx.host(), STARTTLS with SNI = mx.host(), then
 *     // tlsVerifier.verify(sslSession, mx.host()) and honour mx.requirement()
 *   }
 * }
 * }</pre>
 */
public final class MxPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(MxPlanner.class);

  private final PolicySource policies;
  private final DnsClient dns;
  private final LocalOverrides overrides;

  private MxPlanner(PolicySource policies, DnsClient dns, LocalOverrides overrides) {
    this.policies = Objects.requireNonNull(policies, "policies");
    this.dns = Objects.requireNonNull(dns, "dns");
    this.overrides = Objects.requireNonNull(overrides, "overrides");
  }

  /**
   * A planner without overrides.
   *
   * @param policies where policies come from (an {@code MtaSts} or a cache)
   * @param dns the DNS client for MX lookups; use the same one as the policy source
   */
  public static MxPlanner of(PolicySource policies, DnsClient dns) {
    return new MxPlanner(policies, dns, LocalOverrides.none());
  }

  /** Returns a planner like this one that applies {@code overrides}. */
  public MxPlanner withOverrides(LocalOverrides overrides) {
    return new MxPlanner(policies, dns, overrides);
  }

  /** The policy source. */
  public PolicySource policies() {
    return policies;
  }

  /** The overrides applied. */
  public LocalOverrides overrides() {
    return overrides;
  }

  /**
   * Resolves the policy of {@code recipientDomain} (unless an override skips it) and looks up its
   * MX hosts.
   */
  public DeliveryPlan plan(DomainName recipientDomain) {
    Objects.requireNonNull(recipientDomain, "recipientDomain");
    return plan(recipientDomain, resolveUnlessSkipped(recipientDomain));
  }

  /**
   * Plans with a resolution the caller already has (for instance after {@link
   * PolicySource#recheck}); {@code resolution} null means MTA-STS is skipped for the domain.
   *
   * @throws IllegalArgumentException if {@code resolution} is for another domain
   */
  public DeliveryPlan plan(DomainName recipientDomain, @Nullable Resolution resolution) {
    Objects.requireNonNull(recipientDomain, "recipientDomain");
    checkDomain(recipientDomain, resolution);
    Set<LocalOverrides.Kind> used = EnumSet.noneOf(LocalOverrides.Kind.class);
    if (resolution == null) {
      used.add(LocalOverrides.Kind.SKIP_MTA_STS);
    }
    boolean enforced = enforced(recipientDomain, resolution, used);
    DnsAnswer<MxHost> answer = dns.mx(recipientDomain);
    List<MxHost> hosts;
    boolean implicit = false;
    if (answer instanceof DnsAnswer.Found<MxHost> found) {
      hosts = new ArrayList<>(found.records());
      hosts.sort(Comparator.comparingInt(MxHost::preference));
    } else if (answer instanceof DnsAnswer.NotFound<MxHost> notFound) {
      if (notFound.nxdomain()) {
        return new DeliveryPlan.Unroutable(
            recipientDomain,
            resolution,
            DeliveryStatus.FAILED,
            "domain " + recipientDomain + " does not exist (" + notFound.detail() + ")",
            used);
      }
      if (notFound.unusable()) {
        // MX records exist (a null MX, RFC 7505, or no usable target): no implicit MX.
        return new DeliveryPlan.Unroutable(
            recipientDomain,
            resolution,
            DeliveryStatus.FAILED,
            "domain " + recipientDomain + " has no usable MX (" + notFound.detail() + ")",
            used);
      }
      hosts = List.of(new MxHost(recipientDomain, 0));
      implicit = true;
    } else {
      DnsAnswer.Error<MxHost> error = (DnsAnswer.Error<MxHost>) answer;
      return new DeliveryPlan.Unroutable(
          recipientDomain,
          resolution,
          DeliveryStatus.DEFERRED,
          // the library's DNS client names the lookup itself; another client may not
          error.detail().startsWith("MX lookup for ")
              ? error.detail()
              : "MX lookup for " + recipientDomain + " failed: " + error.detail(),
          used);
    }
    List<MxCandidate> candidates = new ArrayList<>();
    for (MxHost mx : hosts) {
      candidates.add(candidate(resolution, enforced, mx, implicit));
    }
    LOG.debug("plan for {}: enforced={}, candidates={}", recipientDomain, enforced, candidates);
    return new DeliveryPlan.Ready(recipientDomain, resolution, enforced, candidates, used);
  }

  /**
   * Plans delivery through a smart host: {@code policyDomain} is the Policy Domain (RFC 8461 §3.4,
   * STS-31) and {@code relayHost} the only candidate, checked against the policy like an MX host.
   * No MX lookup is made.
   */
  public DeliveryPlan.Ready planRelay(DomainName policyDomain, DomainName relayHost) {
    Objects.requireNonNull(policyDomain, "policyDomain");
    Objects.requireNonNull(relayHost, "relayHost");
    return planRelay(policyDomain, relayHost, resolveUnlessSkipped(policyDomain));
  }

  /**
   * Like {@link #planRelay(DomainName, DomainName)} with a resolution the caller already has
   * (null: MTA-STS skipped).
   *
   * @throws IllegalArgumentException if {@code resolution} is for another domain
   */
  public DeliveryPlan.Ready planRelay(
      DomainName policyDomain, DomainName relayHost, @Nullable Resolution resolution) {
    checkDomain(policyDomain, resolution);
    Set<LocalOverrides.Kind> used = EnumSet.noneOf(LocalOverrides.Kind.class);
    if (resolution == null) {
      used.add(LocalOverrides.Kind.SKIP_MTA_STS);
    }
    boolean enforced = enforced(policyDomain, resolution, used);
    MxCandidate only = candidate(resolution, enforced, new MxHost(relayHost, 0), false);
    return new DeliveryPlan.Ready(policyDomain, resolution, enforced, List.of(only), used);
  }

  private @Nullable Resolution resolveUnlessSkipped(DomainName domain) {
    if (overrides.skips(domain)) {
      LOG.debug("MTA-STS skipped for {} by local override", domain);
      return null;
    }
    return policies.resolve(domain);
  }

  private static void checkDomain(DomainName domain, @Nullable Resolution resolution) {
    if (resolution != null && !resolution.domain().equals(domain)) {
      throw new IllegalArgumentException(
          "resolution is for " + resolution.domain() + ", not " + domain);
    }
  }

  private boolean enforced(
      DomainName domain, @Nullable Resolution resolution, Set<LocalOverrides.Kind> used) {
    if (!(resolution instanceof Resolution.Active active)) {
      return false;
    }
    Mode mode = active.policy().mode();
    if (mode == Mode.TESTING && overrides.treatsTestingAsEnforce(domain)) {
      used.add(LocalOverrides.Kind.TESTING_AS_ENFORCE);
      return true;
    }
    return mode == Mode.ENFORCE;
  }

  private static MxCandidate candidate(
      @Nullable Resolution resolution, boolean enforced, MxHost mx, boolean implicit) {
    Policy policy = resolution instanceof Resolution.Active active ? active.policy() : null;
    boolean checked = policy != null && policy.mode() != Mode.NONE;
    boolean match = policy != null && !policy.mx().isEmpty() && policy.matches(mx.host());
    Failure mismatch = null;
    if (checked && !match) {
      mismatch =
          new Failure(
              ResultType.VALIDATION_FAILURE,
              (implicit ? "implicit MX " : "MX ")
                  + mx.host()
                  + " matches no mx pattern of the policy of "
                  + resolution.domain());
    }
    if (enforced) {
      return new MxCandidate(
          mx.host(), mx.preference(), implicit, match, TlsRequirement.VERIFIED, mismatch, !match);
    }
    return new MxCandidate(
        mx.host(), mx.preference(), implicit, match, TlsRequirement.OPPORTUNISTIC, mismatch, false);
  }
}
