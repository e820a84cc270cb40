package io.github.mtasts4j.tlsrpt;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * One RFC 8460 §4.4 report: one reporting organization, one UTC day, one policy domain. Field
 * names and nesting follow the RFC exactly; {@code policies} and {@code mx-host} are always
 * arrays (RPT-17, erratum 6241), names are A-labels.
 *
 * @param organizationName {@code organization-name} (RPT-13)
 * @param dateRange {@code date-range} (RPT-14)
 * @param contactInfo {@code contact-info}, an addr-spec whose domain is the submitter (RPT-15)
 * @param reportId {@code report-id}, unique per report (RPT-16)
 * @param policies {@code policies} (RPT-17)
 */
@JsonPropertyOrder({"organization-name", "date-range", "contact-info", "report-id", "policies"})
@JsonIgnoreProperties(ignoreUnknown = true)
public record TlsReport(
    @JsonProperty("organization-name") String organizationName,
    @JsonProperty("date-range") DateRange dateRange,
    @JsonProperty("contact-info") String contactInfo,
    @JsonProperty("report-id") String reportId,
    @JsonProperty("policies") List<PolicyResult> policies) {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  /**
   * Validates the components.
   *
   * @param organizationName {@code organization-name} (RPT-13)
   * @param dateRange {@code date-range} (RPT-14)
   * @param contactInfo {@code contact-info}, an addr-spec whose domain is the submitter (RPT-15)
   * @param reportId {@code report-id}, unique per report (RPT-16)
   * @param policies {@code policies} (RPT-17)
   */
  public TlsReport {
    Objects.requireNonNull(organizationName, "organizationName");
    Objects.requireNonNull(dateRange, "dateRange");
    Objects.requireNonNull(contactInfo, "contactInfo");
    Objects.requireNonNull(reportId, "reportId");
    policies = List.copyOf(policies);
  }

  /**
   * {@code date-range}: RFC 3339 date-times; this library always reports a whole UTC day from
   * {@code 00:00:00Z} to {@code 23:59:59Z}, as in the RFC's example (RPT-14).
   *
   * @param startDatetime {@code start-datetime}
   * @param endDatetime {@code end-datetime}
   */
  @JsonPropertyOrder({"start-datetime", "end-datetime"})
  public record DateRange(
      @JsonProperty("start-datetime") String startDatetime,
      @JsonProperty("end-datetime") String endDatetime) {
    /**
     * Validates the components.
     *
     * @param startDatetime {@code start-datetime}
     * @param endDatetime {@code end-datetime}
     */
    public DateRange {
      Objects.requireNonNull(startDatetime, "startDatetime");
      Objects.requireNonNull(endDatetime, "endDatetime");
    }
  }

  /**
   * One element of {@code policies}.
   *
   * @param policy {@code policy}
   * @param summary {@code summary}
   * @param failureDetails {@code failure-details}; left out of the JSON when empty
   */
  @JsonPropertyOrder({"policy", "summary", "failure-details"})
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PolicyResult(
      @JsonProperty("policy") PolicyDetails policy,
      @JsonProperty("summary") Summary summary,
      @JsonProperty("failure-details") @JsonInclude(JsonInclude.Include.NON_EMPTY)
          List<FailureDetail> failureDetails) {
    /**
     * Validates the components.
     *
     * @param policy {@code policy}
     * @param summary {@code summary}
     * @param failureDetails {@code failure-details}; left out of the JSON when empty
     */
    public PolicyResult {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(summary, "summary");
      failureDetails = failureDetails == null ? List.of() : List.copyOf(failureDetails);
    }
  }

  /**
   * {@code policy}: what was applied (RPT-18..21).
   *
   * @param policyType {@code policy-type}: {@code sts} or {@code no-policy-found}
   * @param policyString {@code policy-string}: one element per policy line; empty (left out of
   *     the JSON) for {@code no-policy-found}
   * @param policyDomain {@code policy-domain}, an A-label name
   * @param mxHost {@code mx-host}: the policy's MX patterns; empty (left out) for {@code
   *     no-policy-found}. A single string is accepted when parsing (erratum 6241).
   */
  @JsonPropertyOrder({"policy-type", "policy-string", "policy-domain", "mx-host"})
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PolicyDetails(
      @JsonProperty("policy-type") String policyType,
      @JsonProperty("policy-string") @JsonInclude(JsonInclude.Include.NON_EMPTY)
          List<String> policyString,
      @JsonProperty("policy-domain") String policyDomain,
      @JsonProperty("mx-host")
          @JsonInclude(JsonInclude.Include.NON_EMPTY)
          @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          List<String> mxHost) {
    /**
     * Validates the components.
     *
     * @param policyType {@code policy-type}: {@code sts} or {@code no-policy-found}
     * @param policyString {@code policy-string}: one element per policy line
     * @param policyDomain {@code policy-domain}, an A-label name
     * @param mxHost {@code mx-host}: the policy's MX patterns
     */
    public PolicyDetails {
      Objects.requireNonNull(policyType, "policyType");
      Objects.requireNonNull(policyDomain, "policyDomain");
      policyString = policyString == null ? List.of() : List.copyOf(policyString);
      mxHost = mxHost == null ? List.of() : List.copyOf(mxHost);
    }
  }

  /**
   * {@code summary} (RPT-22).
   *
   * @param totalSuccessfulSessionCount {@code total-successful-session-count}
   * @param totalFailureSessionCount {@code total-failure-session-count}
   */
  @JsonPropertyOrder({"total-successful-session-count", "total-failure-session-count"})
  public record Summary(
      @JsonProperty("total-successful-session-count") long totalSuccessfulSessionCount,
      @JsonProperty("total-failure-session-count") long totalFailureSessionCount) {}

  /**
   * One element of {@code failure-details} (RPT-23); optional members are left out when null.
   *
   * @param resultType {@code result-type}
   * @param sendingMtaIp {@code sending-mta-ip}, RFC 5952 text for IPv6
   * @param receivingMxHostname {@code receiving-mx-hostname}
   * @param receivingMxHelo {@code receiving-mx-helo}
   * @param receivingIp {@code receiving-ip}
   * @param failedSessionCount {@code failed-session-count}
   * @param additionalInformation {@code additional-information}
   * @param failureReasonCode {@code failure-reason-code}
   */
  @JsonPropertyOrder({
    "result-type",
    "sending-mta-ip",
    "receiving-mx-hostname",
    "receiving-mx-helo",
    "receiving-ip",
    "failed-session-count",
    "additional-information",
    "failure-reason-code"
  })
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record FailureDetail(
      @JsonProperty("result-type") String resultType,
      @JsonProperty("sending-mta-ip") @Nullable String sendingMtaIp,
      @JsonProperty("receiving-mx-hostname") @Nullable String receivingMxHostname,
      @JsonProperty("receiving-mx-helo") @Nullable String receivingMxHelo,
      @JsonProperty("receiving-ip") @Nullable String receivingIp,
      @JsonProperty("failed-session-count") long failedSessionCount,
      @JsonProperty("additional-information") @Nullable String additionalInformation,
      @JsonProperty("failure-reason-code") @Nullable String failureReasonCode) {
    /**
     * Validates the components.
     *
     * @param resultType {@code result-type}
     * @param sendingMtaIp {@code sending-mta-ip}, RFC 5952 text for IPv6
     * @param receivingMxHostname {@code receiving-mx-hostname}
     * @param receivingMxHelo {@code receiving-mx-helo}
     * @param receivingIp {@code receiving-ip}
     * @param failedSessionCount {@code failed-session-count}
     * @param additionalInformation {@code additional-information}
     * @param failureReasonCode {@code failure-reason-code}
     */
    public FailureDetail {
      Objects.requireNonNull(resultType, "resultType");
    }
  }

  /**
   * The policy domain this report is about.
   *
   * @return the first policy's {@code policy-domain}, or an empty string without policies
   */
  public String policyDomain() {
    return policies.isEmpty() ? "" : policies.get(0).policy().policyDomain();
  }

  /**
   * Serializes the report as compact UTF-8 I-JSON (RPT-11).
   *
   * @return the JSON bytes
   */
  public byte[] toJson() {
    try {
      return MAPPER.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize report " + reportId, e);
    }
  }

  /**
   * Serializes the report pretty-printed, for people.
   *
   * @return the indented JSON
   */
  public String toPrettyJson() {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize report " + reportId, e);
    }
  }

  /**
   * The JSON gzip-compressed, as sent with {@code application/tlsrpt+gzip} (RPT-30, RPT-37).
   *
   * @return the gzip bytes, starting with {@code 0x1f 0x8b}
   */
  public byte[] toGzip() {
    return gzip(toJson());
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Parses a report, accepting {@code mx-host} as a string or an array (erratum 6241) and ignoring
   * unknown members.
   *
   * @param json the report text
   * @return the report
   * @throws IllegalArgumentException if {@code json} is not a report
   */
  public static TlsReport parse(String json) {
    try {
      return MAPPER.readValue(json.getBytes(StandardCharsets.UTF_8), TlsReport.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a TLS report: " + getOriginalMessageSafe(e), e);
    }
  }

  private static String getOriginalMessageSafe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
