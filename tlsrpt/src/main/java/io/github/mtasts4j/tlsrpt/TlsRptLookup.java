package io.github.mtasts4j.tlsrpt;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.spi.DnsAnswer;
import io.github.mtasts4j.spi.DnsClient;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of looking up a domain's TLSRPT record at {@code _smtp._tls.<policy domain>} (RFC
 * 8460 §3, RPT-1): published, not published, or the lookup failed (worth retrying later).
 */
public sealed interface TlsRptLookup
    permits TlsRptLookup.Published, TlsRptLookup.NotPublished, TlsRptLookup.Failed {

  /**
   * The policy domain that was looked up.
   *
   * @return the domain
   */
  DomainName domain();

  /**
   * Exactly one valid TLSRPT record.
   *
   * @param domain the policy domain
   * @param record the parsed record
   */
  record Published(DomainName domain, TlsRptRecord record) implements TlsRptLookup {
    /**
     * Validates the components.
     *
     * @param domain the policy domain
     * @param record the parsed record
     */
    public Published {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(record, "record");
    }
  }

  /**
   * The domain does not implement TLSRPT: no candidate record, several, or an invalid one
   * (RPT-5). Reports are not sent (RPT-38).
   *
   * @param domain the policy domain
   * @param detail why, in one line
   */
  record NotPublished(DomainName domain, String detail) implements TlsRptLookup {
    /**
     * Validates the components.
     *
     * @param domain the policy domain
     * @param detail why, in one line
     */
    public NotPublished {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * The DNS lookup failed temporarily (SERVFAIL, timeout, ...).
   *
   * @param domain the policy domain
   * @param detail the DNS client's explanation
   */
  record Failed(DomainName domain, String detail) implements TlsRptLookup {
    /**
     * Validates the components.
     *
     * @param domain the policy domain
     * @param detail the DNS client's explanation
     */
    public Failed {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Returns the name queried for a policy domain (RPT-1).
   *
   * @param policyDomain the policy domain
   * @return {@code _smtp._tls.<policyDomain>}
   */
  static DomainName recordName(DomainName policyDomain) {
    return new DomainName("_smtp._tls." + policyDomain.value());
  }

  /**
   * Looks up and parses the TLSRPT record of {@code policyDomain}. The DNS client already joins
   * multi-string records (RPT-6) and follows CNAMEs. Records not beginning with {@code v=TLSRPTv1;}
   * are discarded; anything but exactly one left means "not published" (RPT-5).
   *
   * @param dns the DNS client
   * @param policyDomain the policy domain
   * @return the outcome; never throws for DNS problems
   */
  static TlsRptLookup lookup(DnsClient dns, DomainName policyDomain) {
    DnsAnswer<String> answer = dns.txt(recordName(policyDomain));
    if (answer instanceof DnsAnswer.Error<String> error) {
      return new Failed(policyDomain, error.detail());
    }
    if (answer instanceof DnsAnswer.NotFound<String> notFound) {
      return new NotPublished(policyDomain, notFound.detail());
    }
    List<String> candidates =
        ((DnsAnswer.Found<String>) answer)
            .records().stream().filter(TlsRptRecord::isCandidate).toList();
    if (candidates.size() != 1) {
      return new NotPublished(
          policyDomain,
          recordName(policyDomain) + " has " + candidates.size() + " TLSRPTv1 records, need exactly 1");
    }
    try {
      return new Published(policyDomain, TlsRptRecord.parse(candidates.get(0)));
    } catch (InvalidTlsRptRecordException e) {
      return new NotPublished(policyDomain, recordName(policyDomain) + ": " + e.getMessage());
    }
  }
}
