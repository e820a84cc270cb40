package io.github.mtasts4j.smtp.internal;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * One daemon timer thread for the deadlines of network operations (a blocked write, a request past
 * its total time). An alarm's action must be quick and must not block: it closes or cancels
 * something. A cancelled alarm is dropped at once, so it holds nothing it refers to until it
 * would have been due. Not API: shared by the SMTP and TLS reporting modules.
 */
public final class Alarms {
  private static final ScheduledThreadPoolExecutor TIMER = create();

  private Alarms() {}

  private static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "mtasts4j-alarm");
              t.setDaemon(true);
              t.setContextClassLoader(null); // pins no application's class loader
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /**
   * Runs {@code action} on the timer thread after {@code delayNanos}, unless cancelled first.
   *
   * @param delayNanos the delay in nanoseconds
   * @param action a quick, non-blocking action
   * @return the alarm, to cancel when the operation ends in time
   */
  public static ScheduledFuture<?> after(long delayNanos, Runnable action) {
    return TIMER.schedule(action, delayNanos, NANOSECONDS);
  }
}
