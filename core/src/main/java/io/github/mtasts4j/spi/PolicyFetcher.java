package io.github.mtasts4j.spi;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.FetchResult;

/**
 * The HTTP seam: fetches {@code https://mta-sts.<policyDomain>/.well-known/mta-sts.txt} under the
 * rules of RFC 8461 §3.3. Implementations are thread-safe and never throw for network or content
 * problems: those are {@link FetchResult.FetchFailed} values.
 */
@FunctionalInterface
public interface PolicyFetcher {
  /** Fetches and parses the policy of {@code policyDomain}. */
  FetchResult fetch(DomainName policyDomain);
}
