/**
 * A caching {@link io.github.mtasts4j.PolicySource}: {@link io.github.mtasts4j.cache.PolicyCache}
 * keeps MTA-STS policies for their {@code max_age} with the RFC 8461 re-check, back-off and
 * refresh rules, coalesces concurrent lookups, and persists policies through a {@link
 * io.github.mtasts4j.cache.PolicyStore}.
 */
@NullMarked
package io.github.mtasts4j.cache;

import org.jspecify.annotations.NullMarked;
