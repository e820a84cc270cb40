/**
 * Loopback test fixtures for mtasts4j: a controllable clock, a throw-away PKI, an authoritative DNS
 * server, an HTTPS policy host and SMTP receivers. Every server binds to an explicit address in
 * 127.0.0.0/8 on an ephemeral port, uses daemon threads and closes quickly and idempotently.
 *
 * <p>This module depends on no other mtasts4j module, so any module's tests (and the CLI's offline
 * demo) can use it.
 */
@NullMarked
package io.github.mtasts4j.testing;

import org.jspecify.annotations.NullMarked;
