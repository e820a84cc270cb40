package io.github.mtasts4j.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The hit counter: one padded slot per stripe, chosen by thread id, incremented with a plain
 * (opaque) read and write instead of an atomic read-modify-write. A locked instruction per hit
 * orders the memory accesses around it, so the cache misses of consecutive lookups could no longer
 * overlap; this costs one ordinary store.
 *
 * <p>Exact while each stripe has one writer at a time, which holds for a single thread and for up
 * to {@link #stripes()} threads with consecutive ids. Two threads that share a stripe and hit at
 * the same instant can lose an increment, so under heavy concurrency the sum may undercount
 * slightly; it never overcounts.
 */
final class HitCounter {
  /** Longs per stripe: 128 bytes, so two stripes never share a cache line (or an adjacent pair). */
  private static final int PAD = 16;

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  private final long[] slots;
  private final int mask;

  HitCounter() {
    int n = Integer.highestOneBit(Math.min(1024, Math.max(4, 4 * Runtime.getRuntime()
        .availableProcessors())) * 2 - 1);
    this.mask = n - 1;
    this.slots = new long[(n + 1) * PAD];
  }

  int stripes() {
    return mask + 1;
  }

  @SuppressWarnings("deprecation") // Thread.getId: Thread.threadId is Java 19+
  void increment() {
    int i = ((int) Thread.currentThread().getId() & mask) * PAD + PAD;
    SLOT.setOpaque(slots, i, (long) SLOT.getOpaque(slots, i) + 1);
  }

  long sum() {
    long sum = 0;
    for (int i = PAD; i < slots.length; i += PAD) {
      sum += (long) SLOT.getOpaque(slots, i);
    }
    return sum;
  }
}
