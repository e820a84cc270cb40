package io.github.mtasts4j.tlsrpt;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A settable clock (stand-in until the testing module's FakeClock lands on main). */
final class TestClock implements InstantSource {
  private final AtomicReference<Instant> now;

  TestClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  static TestClock at(String instant) {
    return new TestClock(Instant.parse(instant));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  void advance(Duration d) {
    now.updateAndGet(i -> i.plus(d));
  }

  void set(String instant) {
    now.set(Instant.parse(instant));
  }
}
