/**
 * MTA-STS (RFC 8461) in the outbound SMTP path.
 *
 * <p>Three ways in:
 *
 * <ul>
 *   <li>{@link io.github.mtasts4j.smtp.DirectDelivery}: delivers a Jakarta Mail {@code
 *       MimeMessage} straight to each recipient domain's MX hosts, applying each domain's policy;
 *   <li>{@link io.github.mtasts4j.smtp.SmartHostRelay}: relays through a configured smart host,
 *       whose domain is the Policy Domain (RFC 8461 §3.4);
 *   <li>the raw seam for any Java MTA: {@link io.github.mtasts4j.smtp.MxPlanner} says which MX
 *       hosts to try and what TLS each requires, and {@link io.github.mtasts4j.smtp.MxTlsVerifier}
 *       checks a TLS session against the MX host name, also as an {@code SSLSocketFactory} or
 *       {@code X509TrustManager}.
 * </ul>
 *
 * <p>Every TLS session attempt is reported to a {@link io.github.mtasts4j.smtp.TlsSessionListener}
 * for SMTP TLS Reporting (RFC 8460).
 */
package io.github.mtasts4j.smtp;
