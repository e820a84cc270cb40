package io.github.mtasts4j.tlsrpt;

import java.net.URI;
import java.time.LocalDate;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where one finalized report stands with one destination.
 *
 * @param day the UTC day the report covers
 * @param policyDomain the policy domain
 * @param reportId the report's {@code report-id}
 * @param destination the {@code rua} URI; null when no destination is known (yet)
 * @param state the state
 * @param attempts failed attempts so far
 * @param detail the last error, or why nothing is sent; after success null, or what went wrong on
 *     the way: a mailed report sent without TLS because STARTTLS with the mail host failed (report
 *     mail is delivered anyway, RPT-9) names that failure
 */
public record Delivery(
    LocalDate day,
    String policyDomain,
    String reportId,
    @Nullable URI destination,
    State state,
    int attempts,
    @Nullable String detail) {

  /**
   * Validates the components.
   *
   * @param day the UTC day the report covers
   * @param policyDomain the policy domain
   * @param reportId the report's {@code report-id}
   * @param destination the {@code rua} URI; null when no destination is known (yet)
   * @param state the state
   * @param attempts failed attempts so far
   * @param detail the last error, or why nothing is sent; after success null, or what went wrong
   *     on the way (a mailed report sent without TLS names the STARTTLS failure)
   */
  public Delivery {
    Objects.requireNonNull(day, "day");
    Objects.requireNonNull(policyDomain, "policyDomain");
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(state, "state");
  }

  /** Delivery states. */
  public enum State {
    /** Not delivered yet; another attempt is scheduled (or the record is still to be looked up). */
    PENDING,
    /** The destination accepted the report. */
    DELIVERED,
    /** Retries stopped after the retry window (RPT-35) or a permanent problem. */
    GAVE_UP,
    /** The domain publishes no usable TLSRPT record, so no report is sent (RPT-38). */
    NOT_PUBLISHED
  }
}
