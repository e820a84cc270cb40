package io.github.mtasts4j;

import java.util.Objects;

/** The outcome of fetching a policy file over HTTPS (RFC 8461 §3.3). */
public sealed interface FetchResult permits FetchResult.Fetched, FetchResult.FetchFailed {

  /**
   * HTTP 200, {@code text/plain}, within the size and time limits, and a valid policy.
   *
   * @param policy the parsed policy (sender's reading)
   * @param body the body as served, decoded as UTF-8
   */
  record Fetched(Policy policy, String body) implements FetchResult {
    /** Validates the components. */
    public Fetched {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(body, "body");
    }
  }

  /**
   * The fetch failed or the body was not a valid policy.
   *
   * @param failure {@code sts-webpki-invalid} for certificate problems, {@code sts-policy-invalid}
   *     for a bad body or media type, {@code sts-policy-fetch-error} for everything else
   */
  record FetchFailed(Failure failure) implements FetchResult {
    /** Validates the component. */
    public FetchFailed {
      Objects.requireNonNull(failure, "failure");
    }
  }
}
