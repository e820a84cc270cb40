/**
 * MTA-STS (RFC 8461) for senders: discovery, policy fetch, parsing, MX matching and certificate
 * checks. Start with {@link io.github.mtasts4j.MtaSts}.
 */
package io.github.mtasts4j;
