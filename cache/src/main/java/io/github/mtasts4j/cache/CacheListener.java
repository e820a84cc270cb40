package io.github.mtasts4j.cache;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Failure;
import io.github.mtasts4j.Policy;

/**
 * Receives cache events, for metrics or alerting. Every method has an empty default, so new events
 * can be added without breaking implementations.
 *
 * <p>Methods are called synchronously on the thread that caused the event ({@link #hit} on the
 * caller's thread, on every cached lookup): they must be fast, thread-safe and must not block. An
 * exception thrown by a listener is logged and otherwise ignored. {@link CacheStats} shows how to
 * bind a listener and the counters to a metrics library.
 *
 * <p>Events are facts, not alerts: {@link #fetchFailed} and {@link #refreshFailed} are delivered
 * also when the cached policy is in mode {@code none}, for which the cache itself does not log a
 * warning (RFC 8461 §10.2). A listener that alerts administrators should skip those domains, for
 * example when {@link PolicyCache#peek} shows mode {@code none}.
 */
public interface CacheListener {

  /** A listener that ignores every event. */
  CacheListener NONE = new CacheListener() {};

  /** Why an entry left the cache. */
  enum EvictionCause {
    /** Its lifetime ({@code max_age} from the last fetch, or a shorter negative lifetime) ended. */
    EXPIRED,
    /** The cache held more than its maximum number of domains. */
    SIZE
  }

  /** A lookup was answered from memory without any network traffic. */
  default void hit(DomainName domain) {}

  /** A lookup needed the network (first lookup, or the TXT re-check interval ran out). */
  default void miss(DomainName domain) {}

  /** A policy was fetched and validated (also called for background refreshes). */
  default void fetched(DomainName domain, String policyId, Policy policy) {}

  /** A fetch failed or returned an invalid policy; {@code failure.type()} is the RFC 8460 type. */
  default void fetchFailed(DomainName domain, String policyId, Failure failure) {}

  /**
   * The cached policy was applied because no live policy could be obtained (RFC 8461 §3.3).
   *
   * @param cause what failed: the DNS lookup, a vanished record, or the fetch of a new id
   */
  default void fallback(DomainName domain, String cachedPolicyId, Failure cause) {}

  /** A background refresh succeeded. */
  default void refreshed(DomainName domain, String policyId) {}

  /**
   * A background refresh failed; the old policy is kept and the refresh is retried after the
   * back-off. Preceded by {@link #fetchFailed} for the same failure.
   */
  default void refreshFailed(DomainName domain, String policyId, Failure failure) {}

  /**
   * A newly fetched policy replaced a cached one with a different id or a different policy (mode,
   * {@code max_age} or mx patterns); a body that differs only in formatting is not a change.
   */
  default void policyChanged(DomainName domain, String oldPolicyId, String newPolicyId) {}

  /** An entry was removed by expiry or by the size bound. */
  default void evicted(DomainName domain, EvictionCause cause) {}

  /**
   * The policy store reported a problem (corrupt file, failed write); the cache carries on.
   *
   * @param location what the problem is about, such as a file path
   * @param detail one line: what is wrong
   */
  default void storeProblem(String location, String detail) {}
}
