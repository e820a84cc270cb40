/**
 * SMTP TLS Reporting (RFC 8460) for senders: discovery of the {@code _smtp._tls} record, daily
 * aggregation of session results, the JSON report, and its delivery by HTTPS POST or DKIM-signed
 * mail. Start with {@link io.github.mtasts4j.tlsrpt.TlsReporter}.
 *
 * <p>Why a module of its own: reporting needs Jackson, a DKIM signer, an HTTP POST client and a
 * durable state directory, none of which belong on the delivery path. The reporter consumes
 * session outcomes through its own input record, {@link
 * io.github.mtasts4j.tlsrpt.SessionResult}; {@link io.github.mtasts4j.tlsrpt.TlsReports#listener}
 * adapts the SMTP module's session listener to it. This module therefore depends on {@code
 * mtasts4j-core} and {@code mtasts4j-smtp}, and {@code mtasts4j-smtp} does not depend on it.
 */
@NullMarked
package io.github.mtasts4j.tlsrpt;

import org.jspecify.annotations.NullMarked;
