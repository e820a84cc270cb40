package io.github.mtasts4j.testing;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that only moves when told to: both a wall clock ({@link InstantSource}) and a monotonic
 * nanosecond {@link Ticker} for Caffeine, advanced together by {@link #advance(Duration)}.
 *
 * <p>Thread-safe. {@link #read()} starts at an arbitrary non-zero value, so code that treats ticker
 * values as absolute times is caught; only differences between readings are meaningful.
 */
public final class FakeClock implements InstantSource, Ticker {

  /** Arbitrary, non-zero origin of {@link #read()}: one hour in nanoseconds. */
  private static final long TICKER_ORIGIN = Duration.ofHours(1).toNanos();

  private final Instant start;
  private final AtomicLong elapsedNanos = new AtomicLong();

  private FakeClock(Instant start) {
    this.start = start;
  }

  /**
   * Creates a clock standing at {@code start}.
   *
   * @param start the initial wall-clock instant
   * @return a new clock
   */
  public static FakeClock at(Instant start) {
    return new FakeClock(Objects.requireNonNull(start, "start"));
  }

  /**
   * Returns the current wall-clock instant: the start plus everything advanced so far.
   *
   * @return the current instant
   */
  @Override
  public Instant instant() {
    return start.plusNanos(elapsedNanos.get());
  }

  /**
   * Returns the current wall-clock time in milliseconds since the epoch.
   *
   * @return epoch milliseconds of {@link #instant()}
   */
  @Override
  public long millis() {
    return instant().toEpochMilli();
  }

  /**
   * Returns monotonic nanoseconds that move exactly as far as {@link #advance(Duration)} says.
   *
   * @return the ticker reading in nanoseconds
   */
  @Override
  public long read() {
    return TICKER_ORIGIN + elapsedNanos.get();
  }

  /**
   * Moves the wall clock and the ticker forward together.
   *
   * @param d how far to move; zero is allowed
   * @throws IllegalArgumentException if {@code d} is negative
   */
  public void advance(Duration d) {
    Objects.requireNonNull(d, "d");
    if (d.isNegative()) {
      throw new IllegalArgumentException("a FakeClock cannot go backwards: " + d);
    }
    elapsedNanos.addAndGet(d.toNanos());
  }

  /**
   * Returns how far this clock has been advanced since it was created.
   *
   * @return the total advanced duration
   */
  public Duration elapsed() {
    return Duration.ofNanos(elapsedNanos.get());
  }

  @Override
  public String toString() {
    return "FakeClock[" + instant() + "]";
  }
}
