package io.github.mtasts4j.cache;

import io.github.mtasts4j.DomainName;
import io.github.mtasts4j.Failure;
import io.github.mtasts4j.Policy;
import io.github.mtasts4j.Resolution;
import io.github.mtasts4j.Source;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the cache knows about one domain. Immutable except {@link #refreshQueued}; every change
 * installs a new instance. The hot path reads only {@link #answer}, {@link #answerUntil}, {@link
 * #refreshAt} and {@link #refreshQueued}.
 */
final class Entry {

  /** A successfully fetched policy, with everything precomputed that lookups need. */
  static final class Held {
    final Policy policy;
    final String id;
    final String body;
    final Instant fetchedAt;
    final long expiresAt;
    final long refreshAt;
    /** The answer for lookups that find this policy current: built once, returned many times. */
    final Resolution.Active cached;

    Held(DomainName domain, Policy policy, String id, String body, Instant fetchedAt, long refreshAt) {
      this.policy = policy;
      this.id = id;
      this.body = body;
      this.fetchedAt = fetchedAt;
      this.expiresAt = saturatedAdd(fetchedAt.toEpochMilli(), policy.maxAgeSeconds() * 1000L);
      this.refreshAt = refreshAt;
      this.cached = new Resolution.Active(domain, policy, id, Source.CACHE, fetchedAt, null);
    }
  }

  /** A failed fetch of {@code id}: no new fetch of that id before {@code retryAt} (STS-26). */
  record Backoff(String id, long retryAt, Failure failure) {}

  final @Nullable Held held;
  final Resolution answer;
  /** {@link #answer} may be returned without network traffic while {@code clock < answerUntil}. */
  final long answerUntil;
  final @Nullable Backoff backoff;
  /** When a background refresh becomes due; {@code Long.MAX_VALUE} when there is nothing to refresh. */
  final long refreshAt;
  /** When the cache may forget the entry. */
  final long evictAt;

  volatile boolean refreshQueued;

  Entry(@Nullable Held held, Resolution answer, long answerUntil, @Nullable Backoff backoff) {
    this(held, answer, answerUntil, backoff, held == null ? Long.MAX_VALUE : held.refreshAt);
  }

  Entry(
      @Nullable Held held,
      Resolution answer,
      long answerUntil,
      @Nullable Backoff backoff,
      long refreshAt) {
    this.held = held;
    this.answer = answer;
    this.answerUntil = held == null ? answerUntil : Math.min(answerUntil, held.expiresAt);
    this.backoff = backoff;
    this.refreshAt = refreshAt;
    long evict = this.answerUntil;
    if (held != null) {
      evict = Math.max(evict, held.expiresAt);
    }
    if (backoff != null) {
      evict = Math.max(evict, backoff.retryAt);
    }
    this.evictAt = evict;
  }

  /** The held policy if it has not expired at {@code now}. */
  @Nullable Held validAt(long now) {
    Held h = held;
    return h != null && now < h.expiresAt ? h : null;
  }

  static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
