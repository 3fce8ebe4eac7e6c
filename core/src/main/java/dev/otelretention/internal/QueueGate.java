package dev.otelretention.internal;

import dev.otelretention.common.ProblemLog;
import dev.otelretention.export.MemoryLimiter;
import dev.otelretention.export.Signal;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Admission to a signal's batch queue: refuses an item when the queue holds its maximum (so the
 * SDK's batch processor never drops silently) or when the memory limit is reached, and counts every
 * refusal; what was refused is logged once a minute at most, with the counts, and at close.
 */
public final class QueueGate {
  private final Signal signal;
  private final MemoryLimiter limiter;
  private final int capacity;
  private final AtomicInteger queued = new AtomicInteger();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder refusedQueueFull = new LongAdder();
  private final LongAdder refusedMemory = new LongAdder();
  private static final Logger logger = Logger.getLogger(QueueGate.class.getName());
  private final AtomicLong nextReportAtNanos = new AtomicLong(System.nanoTime());
  private long reportedQueueFull;
  private long reportedMemory;
  private volatile long lastRefusedAtMillis;

  public QueueGate(Signal signal, MemoryLimiter limiter, int capacity) {
    this.signal = signal;
    this.limiter = limiter;
    this.capacity = capacity;
  }

  public boolean tryEnter(long bytes) {
    if (queued.incrementAndGet() > capacity) {
      queued.decrementAndGet();
      refusedQueueFull.increment();
      refused();
      return false;
    }
    if (!limiter.tryAcquire(bytes)) {
      queued.decrementAndGet();
      refusedMemory.increment();
      refused();
      return false;
    }
    accepted.increment();
    return true;
  }

  /**
   * Notes a refusal. This is on the path of {@code span.end()}, so it costs a clock read; at most
   * once a minute one caller logs what was refused since the last line, by reason.
   */
  private void refused() {
    lastRefusedAtMillis = System.currentTimeMillis();
    long now = System.nanoTime();
    long due = nextReportAtNanos.get();
    if (now - due >= 0
        && nextReportAtNanos.compareAndSet(due, now + ProblemLog.INTERVAL.toNanos())) {
      report();
    }
  }

  private synchronized void report() {
    long queueFull = refusedQueueFull.sum();
    long memory = refusedMemory.sum();
    if (queueFull > reportedQueueFull) {
      logger.log(
          Level.WARNING,
          prefix()
              + "refused "
              + items(queueFull - reportedQueueFull)
              + " (queue_full) since the last report: the queue holds its maximum"
              + " of "
              + capacity);
    }
    if (memory > reportedMemory) {
      logger.log(
          Level.WARNING,
          prefix()
              + "refused "
              + items(memory - reportedMemory)
              + " (memory_limit) since the last report: queued telemetry reached the memory limit");
    }
    reportedQueueFull = queueFull;
    reportedMemory = memory;
  }

  private String prefix() {
    return "otel-retention: " + signal.baseName() + " batch queue: ";
  }

  private static String items(long count) {
    return count == 1 ? "1 item" : count + " items";
  }

  public void leave(long bytes) {
    queued.decrementAndGet();
    limiter.release(bytes);
  }

  public Signal signal() {
    return signal;
  }

  public int capacity() {
    return capacity;
  }

  public int queued() {
    return queued.get();
  }

  public long accepted() {
    return accepted.sum();
  }

  public long refusedQueueFull() {
    return refusedQueueFull.sum();
  }

  public long refusedMemoryLimit() {
    return refusedMemory.sum();
  }

  /** When an item was last refused, or {@code null}. */
  public Instant lastRefusedAt() {
    long millis = lastRefusedAtMillis;
    return millis == 0 ? null : Instant.ofEpochMilli(millis);
  }

  /** Logs the refusals counted but not logged yet. */
  public void close() {
    report();
  }
}
