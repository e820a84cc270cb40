package io.github.mtasts4j.tlsrpt;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.ResultType;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one outbound SMTP TLS session (or of policy discovery before it), as {@link
 * TlsReporter#record(SessionResult)} counts it. This module's own input type, so that the SMTP
 * module does not depend on reporting; an application maps its session events onto it.
 *
 * @param policyDomain the Policy Domain: the recipient domain (RPT-1)
 * @param policyType {@link PolicyType#STS} when an MTA-STS policy was applied
 * @param policy the applied policy; required for {@link PolicyType#STS}, null otherwise
 * @param receivingMxHostname the MX host the session was attempted with; null only for a failure
 *     before any MX was tried (such as {@code sts-policy-fetch-error})
 * @param receivingIp the MX host's address, when a connection was made
 * @param sendingMtaIp this sender's source address, when known
 * @param receivingMxHelo the MX host's EHLO/HELO greeting name, when seen
 * @param failure the result type when the session failed; null for a policy-compliant session
 * @param failureReasonCode free text such as an OpenSSL or JSSE error name (RPT-26); only with a
 *     failure
 * @param additionalInformation a URI with more detail about the failure, only with a failure
 * @param at when the session happened; decides the UTC day it is reported for
 */
public record SessionResult(
    DomainName policyDomain,
    PolicyType policyType,
    @Nullable Policy policy,
    @Nullable DomainName receivingMxHostname,
    @Nullable InetAddress receivingIp,
    @Nullable InetAddress sendingMtaIp,
    @Nullable String receivingMxHelo,
    @Nullable ResultType failure,
    @Nullable String failureReasonCode,
    @Nullable URI additionalInformation,
    Instant at) {

  /**
   * Validates the components.
   *
   * @param policyDomain the Policy Domain: the recipient domain (RPT-1)
   * @param policyType {@link PolicyType#STS} when an MTA-STS policy was applied
   * @param policy the applied policy; required for {@link PolicyType#STS}, null otherwise
   * @param receivingMxHostname the MX host the session was attempted with, or null
   * @param receivingIp the MX host's address, when a connection was made
   * @param sendingMtaIp this sender's source address, when known
   * @param receivingMxHelo the MX host's EHLO/HELO greeting name, when seen
   * @param failure the result type when the session failed; null for a policy-compliant session
   * @param failureReasonCode free text such as an OpenSSL or JSSE error name (RPT-26)
   * @param additionalInformation a URI with more detail about the failure, only with a failure
   * @param at when the session happened; decides the UTC day it is reported for
   * @throws IllegalArgumentException when an STS result lacks its policy, a no-policy result has
   *     one, failure details accompany a success, or a success lacks its MX host
   */
  public SessionResult {
    Objects.requireNonNull(policyDomain, "policyDomain");
    Objects.requireNonNull(policyType, "policyType");
    Objects.requireNonNull(at, "at");
    if (receivingMxHostname == null && failure == null) {
      throw new IllegalArgumentException("a successful session needs its receivingMxHostname");
    }
    if ((policyType == PolicyType.STS) != (policy != null)) {
      throw new IllegalArgumentException(
          "policy must be given exactly when policyType is STS, got " + policyType);
    }
    if (failure == null && (failureReasonCode != null || additionalInformation != null)) {
      throw new IllegalArgumentException(
          "failureReasonCode and additionalInformation need a failure result type");
    }
  }

  /**
   * A policy-compliant session.
   *
   * @param policyDomain the Policy Domain
   * @param policy the applied policy, or null when none was found
   * @param receivingMxHostname the MX host
   * @param receivingIp the MX host's address, if known
   * @param sendingMtaIp this sender's source address, if known
   * @param at when the session happened
   * @return the result
   */
  public static SessionResult success(
      DomainName policyDomain,
      @Nullable Policy policy,
      DomainName receivingMxHostname,
      @Nullable InetAddress receivingIp,
      @Nullable InetAddress sendingMtaIp,
      Instant at) {
    return new SessionResult(
        policyDomain,
        policy == null ? PolicyType.NO_POLICY_FOUND : PolicyType.STS,
        policy,
        receivingMxHostname,
        receivingIp,
        sendingMtaIp,
        null,
        null,
        null,
        null,
        at);
  }

  /**
   * A failed session.
   *
   * @param policyDomain the Policy Domain
   * @param policy the applied policy, or null when none was found
   * @param receivingMxHostname the MX host, or null for a failure before any MX was tried
   * @param receivingIp the MX host's address, if known
   * @param sendingMtaIp this sender's source address, if known
   * @param receivingMxHelo the MX host's greeting name, if seen
   * @param failure the result type
   * @param failureReasonCode a short error code or text, if any
   * @param at when the session happened
   * @return the result
   */
  public static SessionResult failure(
      DomainName policyDomain,
      @Nullable Policy policy,
      @Nullable DomainName receivingMxHostname,
      @Nullable InetAddress receivingIp,
      @Nullable InetAddress sendingMtaIp,
      @Nullable String receivingMxHelo,
      ResultType failure,
      @Nullable String failureReasonCode,
      Instant at) {
    Objects.requireNonNull(failure, "failure");
    return new SessionResult(
        policyDomain,
        policy == null ? PolicyType.NO_POLICY_FOUND : PolicyType.STS,
        policy,
        receivingMxHostname,
        receivingIp,
        sendingMtaIp,
        receivingMxHelo,
        failure,
        failureReasonCode,
        null,
        at);
  }

  /**
   * Tells whether the session was policy-compliant.
   *
   * @return true when {@link #failure()} is null
   */
  public boolean succeeded() {
    return failure == null;
  }
}
