package io.github.mtasts4j;

/**
 * The result types registered by RFC 8460 §4.3 (SMTP TLS Reporting). Every failure this library
 * reports carries one of them, so that logs, the CLI's JSON and TLS reports share one vocabulary.
 */
public enum ResultType {
  /** The MX host does not offer STARTTLS. */
  STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
  /** The certificate carries no DNS-ID matching the host name. */
  CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
  /** The certificate (or one in its chain) is expired or not yet valid. */
  CERTIFICATE_EXPIRED("certificate-expired"),
  /** The chain does not lead to a trusted anchor. */
  CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
  /** Any other negotiation failure, including an MX host outside the policy. */
  VALIDATION_FAILURE("validation-failure"),
  /** DANE: no TLSA record in the RRset validated. */
  TLSA_INVALID("tlsa-invalid"),
  /** DANE: the resolver returned no valid DNSSEC records. */
  DNSSEC_INVALID("dnssec-invalid"),
  /** DANE was required locally but no validated TLSA records were found. */
  DANE_REQUIRED("dane-required"),
  /** The MTA-STS policy could not be retrieved. */
  STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
  /** The MTA-STS policy was retrieved but failed validation. */
  STS_POLICY_INVALID("sts-policy-invalid"),
  /** The policy host could not be authenticated with PKIX. */
  STS_WEBPKI_INVALID("sts-webpki-invalid");

  private final String token;

  ResultType(String token) {
    this.token = token;
  }

  /** Returns the registered spelling, such as {@code sts-policy-fetch-error}. */
  public String token() {
    return token;
  }

  @Override
  public String toString() {
    return token;
  }
}
