package io.github.mtasts4j.benchmarks;

import java.time.Instant;
import java.time.InstantSource;

/**
 * A wall clock read from a volatile field that a daemon thread refreshes every millisecond, so a
 * read costs one load instead of a {@code clock_gettime} call. Used to show what the cache's hit
 * path costs without its per-hit clock read; it is configuration passed to {@code
 * PolicyCache.Builder.clock}, not a change to the library.
 */
final class CoarseClock implements InstantSource, AutoCloseable {
  private volatile long millis = System.currentTimeMillis();
  private volatile boolean running = true;
  private final Thread ticker;

  CoarseClock() {
    ticker = new Thread(this::tick, "coarse-clock");
    ticker.setDaemon(true);
    ticker.start();
  }

  private void tick() {
    while (running) {
      millis = System.currentTimeMillis();
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public void close() {
    running = false;
    ticker.interrupt();
  }
}
