package io.github.mtasts4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeClockTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void at_noAdvance_standsStill() {
    FakeClock clock = FakeClock.at(START);
    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
    assertThat(clock.read()).isEqualTo(clock.read());
  }

  @Test
  void advance_movesWallClockAndTickerTogether() {
    FakeClock clock = FakeClock.at(START);
    long t0 = clock.read();
    clock.advance(Duration.ofMinutes(5).plusNanos(7));
    assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofMinutes(5)).plusNanos(7));
    assertThat(clock.read() - t0).isEqualTo(Duration.ofMinutes(5).toNanos() + 7);
    assertThat(clock.elapsed()).isEqualTo(Duration.ofMinutes(5).plusNanos(7));
  }

  @Test
  void advance_negative_isRejected() {
    FakeClock clock = FakeClock.at(START);
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  void advance_concurrent_losesNoUpdate() throws InterruptedException {
    FakeClock clock = FakeClock.at(START);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> {
        for (int j = 0; j < 1000; j++) {
          clock.advance(Duration.ofMillis(1));
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(4));
  }

  @Test
  void read_asCaffeineTicker_expiresEntriesOnAdvance() {
    FakeClock clock = FakeClock.at(START);
    Cache<String, String> cache =
        Caffeine.newBuilder().ticker(clock).expireAfterWrite(Duration.ofMinutes(1)).build();
    cache.put("k", "v");
    clock.advance(Duration.ofSeconds(59));
    assertThat(cache.getIfPresent("k")).isEqualTo("v");
    clock.advance(Duration.ofSeconds(2));
    assertThat(cache.getIfPresent("k")).isNull();
  }
}
