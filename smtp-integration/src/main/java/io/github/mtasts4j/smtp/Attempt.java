package io.github.mtasts4j.smtp;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.ResultType;
import java.net.InetAddress;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One MX host tried (or skipped) while delivering to one domain.
 *
 * @param mx the MX host name
 * @param preference the MX preference
 * @param policyMatch true when a policy {@code mx} pattern matches the host
 * @param address the address connected to, or null when no connection was made
 * @param tls how TLS went
 * @param failure the RFC 8460 result type of the first MTA-STS check that failed (MX match,
 *     STARTTLS, certificate, in that order), or null when none failed or none applied. Recorded
 *     also when the failure was not enforced (mode {@code testing}, or no policy)
 * @param detail a one-line explanation of the failure or of why the attempt failed, or null
 * @param outcome what happened to the message at this host
 * @param smtpReply the last SMTP reply from the host (code and text), or null when there was none
 */
public record Attempt(
    DomainName mx,
    int preference,
    boolean policyMatch,
    @Nullable InetAddress address,
    TlsState tls,
    @Nullable ResultType failure,
    @Nullable String detail,
    Outcome outcome,
    @Nullable String smtpReply) {

  /** Validates the components. */
  public Attempt {
    Objects.requireNonNull(mx, "mx");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** What happened to the message at one MX host; {@link #token()} is the JSON spelling. */
  public enum Outcome {
    /** The host accepted the message. */
    DELIVERED("delivered"),
    /** The host was not connected to: it is outside an {@code enforce} policy. */
    SKIPPED("skipped"),
    /** The host could not be used: unreachable, refused by the policy, or rejected the message. */
    FAILED("failed");

    private final String token;

    Outcome(String token) {
      this.token = token;
    }

    /** Returns the JSON spelling, such as {@code skipped}. */
    public String token() {
      return token;
    }
  }
}
