/**
 * SMTP TLS Reporting (RFC 8460) for senders: discovery of the {@code _smtp._tls} record, daily
 * aggregation of session results, the JSON report, and its delivery by HTTPS POST or DKIM-signed
 * mail. Start with {@link io.github.mtasts4j.tlsrpt.TlsReporter}.
 *
 * <p>Why a module of its own: reporting needs Jackson, a DKIM signer, an HTTP POST client and a
 * durable state directory, none of which belong on the delivery path. This module depends on
 * {@code mtasts4j-core} only and consumes session outcomes through its own input record, {@link
 * io.github.mtasts4j.tlsrpt.SessionResult}, so {@code mtasts4j-smtp} need not depend on it: an
 * application wires the SMTP module's session listener to {@link
 * io.github.mtasts4j.tlsrpt.TlsReporter#record(SessionResult)}.
 */
@NullMarked
package io.github.mtasts4j.tlsrpt;

import org.jspecify.annotations.NullMarked;
