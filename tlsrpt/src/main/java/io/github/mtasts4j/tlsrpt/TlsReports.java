package io.github.mtasts4j.tlsrpt;

import io.github.mtasts4j.Failure;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.smtp.TlsSessionEvent;
import io.github.mtasts4j.smtp.TlsSessionListener;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Connects the SMTP module's session events to a {@link TlsReporter}:
 *
 * <pre>{@code
 * TlsReporter reporter = TlsReporter.newBuilder()...build();
 * reporter.start();
 * DirectDelivery delivery = DirectDelivery.newBuilder()
 *     .mtaSts(mtaSts)
 *     .heloName("mail.sender.example")
 *     .tlsSessionListener(TlsReports.listener(reporter))
 *     .build();
 * }</pre>
 *
 * <p><b>Why here.</b> The bridge lives in the reporting module, which depends on {@code
 * mtasts4j-smtp}, and not the other way round: an application that only delivers mail keeps a
 * delivery path free of Jackson, the DKIM signer and the HTTP client, while one that reports gets
 * the bridge with the module it adds anyway. The SMTP module knows nothing about reporting; its
 * {@link TlsSessionListener} is the only contract between the two.
 *
 * <p><b>Mapping.</b> A session under a policy (any mode) is counted with {@link PolicyType#STS}
 * and that policy; a session without one with {@link PolicyType#NO_POLICY_FOUND}. Failures under
 * a {@code mode: none} policy are dropped by {@link TlsReporter#record} (STS-69), so such a
 * domain only ever shows successes. A policy that could not be fetched (STS-69) arrives as an
 * event without an MX host and is counted as a failure of that type with no {@code
 * receiving-mx-hostname}, under the cached policy applied instead or under {@code
 * no-policy-found}. The failure's result type becomes {@code result-type} and its
 * one-line detail (at most {@value #MAX_REASON} characters) the {@code failure-reason-code}. The
 * sessions that carry mailed reports are made by the reporter's own sender, never through {@code
 * DirectDelivery} or {@code SmartHostRelay}, so they never reach this listener (RPT-9).
 */
public final class TlsReports {
  /** The longest {@code failure-reason-code} taken from a failure's detail. */
  static final int MAX_REASON = 256;

  private TlsReports() {}

  /**
   * A listener that records every session event with {@code reporter}. Cheap and thread-safe, as
   * {@link TlsSessionListener} requires.
   *
   * @param reporter where sessions are counted
   * @return the listener, for {@code DirectDelivery.Builder.tlsSessionListener} or {@code
   *     SmartHostRelay.Builder.tlsSessionListener}
   */
  public static TlsSessionListener listener(TlsReporter reporter) {
    Objects.requireNonNull(reporter, "reporter");
    return event -> reporter.record(toSessionResult(event));
  }

  /**
   * Converts one SMTP session event into the reporter's input, as described in the class
   * comment.
   *
   * @param event the event
   * @return the session result
   */
  public static SessionResult toSessionResult(TlsSessionEvent event) {
    Objects.requireNonNull(event, "event");
    Policy policy = event.policy();
    Failure failure = event.failure();
    return new SessionResult(
        event.policyDomain(),
        policy == null ? PolicyType.NO_POLICY_FOUND : PolicyType.STS,
        policy,
        event.mxHost(),
        event.receivingIp(),
        event.sendingIp(),
        event.receivingMxHelo(),
        failure == null ? null : failure.type(),
        failure == null ? null : reason(failure),
        null,
        event.at());
  }

  private static @Nullable String reason(Failure failure) {
    String detail = failure.detail().strip();
    if (detail.isEmpty()) {
      return null;
    }
    return detail.length() <= MAX_REASON ? detail : detail.substring(0, MAX_REASON - 3) + "...";
  }
}
