package io.github.mtasts4j.cache;

import io.github.mtasts4j.Failure;
import io.github.mtasts4j.Resolution;
import org.jspecify.annotations.Nullable;

/**
 * What the cache knows about one domain. Immutable except for the queued mark of its refresh time;
 * every change installs a new instance. The hot path reads only {@link #answer}, {@link
 * #answerUntil} and {@link #refreshDue}.
 *
 * <p>The held policy is kept as the answer lookups return when they find it current ({@link
 * Resolution.Active} with source {@link io.github.mtasts4j.Source#CACHE}): its policy, id and fetch
 * time are all the cache needs, and its expiry is derived from them, so nothing else per policy
 * stays in memory (one object per entry fewer, no policy body).
 */
final class Entry {

  /** A failed fetch of {@code id}: no new fetch of that id before {@code retryAt} (STS-26). */
  record Backoff(String id, long retryAt, Failure failure) {}

  /** The held policy, as the answer for lookups that find it current; null when none is held. */
  final Resolution.@Nullable Active held;

  final Resolution answer;
  /** {@link #answer} may be returned without network traffic while {@code clock < answerUntil}. */
  final long answerUntil;

  final @Nullable Backoff backoff;

  /**
   * When a background refresh becomes due ({@code Long.MAX_VALUE} when there is nothing to
   * refresh), with {@link #QUEUED} set while one is queued: a set bit puts the time beyond any
   * clock reading, so the hit path tests "due and not queued" with one comparison, and the entry
   * needs no separate flag (8 bytes less per entry).
   */
  private volatile long refresh;

  /** Above every epoch-millisecond time a clock returns (year 146 million). */
  private static final long QUEUED = 1L << 62;

  Entry(
      Resolution.@Nullable Active held,
      Resolution answer,
      long answerUntil,
      @Nullable Backoff backoff,
      long refreshAt) {
    this.held = held;
    this.answer = answer;
    this.answerUntil = held == null ? answerUntil : Math.min(answerUntil, expiresAt(held));
    this.backoff = backoff;
    this.refresh = refreshAt;
  }

  /** Whether a refresh is due at {@code now} and not queued yet. */
  boolean refreshDue(long now) {
    return now >= refresh;
  }

  /** Marks the refresh queued, so hits stop queuing it. */
  void markQueued() {
    refresh |= QUEUED;
  }

  /** Clears the queued mark, so a later hit or sweep queues the refresh again. */
  void clearQueued() {
    refresh &= ~QUEUED;
  }

  /** When the cache may forget the entry. */
  long evictAt() {
    long evict = answerUntil;
    if (held != null) {
      evict = Math.max(evict, expiresAt(held));
    }
    if (backoff != null) {
      evict = Math.max(evict, backoff.retryAt);
    }
    return evict;
  }

  /** The held policy if it has not expired at {@code now}. */
  Resolution.@Nullable Active validAt(long now) {
    Resolution.Active h = held;
    return h != null && now < expiresAt(h) ? h : null;
  }

  /** {@code fetchedAt + max_age} of a held policy, in epoch milliseconds. */
  static long expiresAt(Resolution.Active held) {
    return saturatedAdd(held.fetchedAt().toEpochMilli(), held.policy().maxAgeSeconds() * 1000L);
  }

  static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
