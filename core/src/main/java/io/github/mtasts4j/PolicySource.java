package io.github.mtasts4j;

/**
 * Anything that can tell which MTA-STS policy governs a Policy Domain: {@link MtaSts} itself
 * (no caching) or the cache module's {@code PolicyCache}. Delivery code depends on this interface
 * only. Implementations are thread-safe.
 */
public interface PolicySource {
  /**
   * Returns the policy in effect for {@code policyDomain}. Never throws for network or content
   * problems: those are {@link Resolution} values.
   */
  Resolution resolve(DomainName policyDomain);

  /**
   * Resolves again, checking the live TXT record id even if a recent check would normally be
   * reused. Called before a message is failed permanently (RFC 8461 §5.1 step 3).
   */
  default Resolution recheck(DomainName policyDomain) {
    return resolve(policyDomain);
  }
}
