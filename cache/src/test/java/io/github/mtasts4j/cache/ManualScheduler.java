package io.github.mtasts4j.cache;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that never runs anything by itself: it records periodic tasks and the test runs them
 * with {@link #runPeriodicTasks()}, so sweeps happen exactly when the test says (with a FakeClock).
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

  /** A recorded periodic task. */
  static final class Task implements ScheduledFuture<Object> {
    final Runnable command;
    final Duration initialDelay;
    final Duration period;
    volatile boolean cancelled;

    Task(Runnable command, Duration initialDelay, Duration period) {
      this.command = command;
      this.initialDelay = initialDelay;
      this.period = period;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(initialDelay);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException("periodic task");
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("periodic task");
    }
  }

  final List<Task> periodic = new CopyOnWriteArrayList<>();
  private volatile boolean shutdown;

  /** Runs every periodic task that is not cancelled once; returns how many ran. */
  int runPeriodicTasks() {
    int ran = 0;
    for (Task t : periodic) {
      if (!t.cancelled) {
        t.command.run();
        ran++;
      }
    }
    return ran;
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    Task t = new Task(command, Duration.of(initialDelay, unit.toChronoUnit()),
        Duration.of(delay, unit.toChronoUnit()));
    periodic.add(t);
    return t;
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return scheduleWithFixedDelay(command, initialDelay, period, unit);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("the cache schedules only periodic tasks");
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("the cache schedules only periodic tasks");
  }

  @Override
  public void execute(Runnable command) {
    throw new UnsupportedOperationException("the cache schedules only periodic tasks");
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return shutdown;
  }
}
