package dev.otelretention;

import dev.otelretention.export.MemoryLimiter;
import dev.otelretention.sink.ProblemLog;
import dev.otelretention.sink.Signal;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Admission to a signal's batch queue: refuses an item when the queue holds its maximum (so the SDK's batch
 * processor never drops silently) or when the memory limit is reached, and counts and logs (once a minute, with
 * counts) every refusal.
 */
final class QueueGate {
  private final Signal signal;
  private final MemoryLimiter limiter;
  private final int capacity;
  private final AtomicInteger queued = new AtomicInteger();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder refusedQueueFull = new LongAdder();
  private final LongAdder refusedMemory = new LongAdder();
  private final ProblemLog problems;
  private volatile Instant lastRefusedAt;

  QueueGate(Signal signal, MemoryLimiter limiter, int capacity) {
    this.signal = signal;
    this.limiter = limiter;
    this.capacity = capacity;
    this.problems = new ProblemLog(Logger.getLogger(QueueGate.class.getName()), signal.baseName() + " batch queue");
  }

  boolean tryEnter(long bytes) {
    if (queued.incrementAndGet() > capacity) {
      queued.decrementAndGet();
      refusedQueueFull.increment();
      refused("queue_full", "refused 1 item (queue_full): the batch queue holds its maximum of " + capacity);
      return false;
    }
    if (!limiter.tryAcquire(bytes)) {
      queued.decrementAndGet();
      refusedMemory.increment();
      refused("memory_limit", "refused 1 item (memory_limit): queued telemetry reached the memory limit");
      return false;
    }
    accepted.increment();
    return true;
  }

  private void refused(String reason, String message) {
    lastRefusedAt = Instant.now();
    problems.report(Level.WARNING, reason, 1, message);
  }

  void leave(long bytes) {
    queued.decrementAndGet();
    limiter.release(bytes);
  }

  Signal signal() {
    return signal;
  }

  int capacity() {
    return capacity;
  }

  int queued() {
    return queued.get();
  }

  long accepted() {
    return accepted.sum();
  }

  long refusedQueueFull() {
    return refusedQueueFull.sum();
  }

  long refusedMemoryLimit() {
    return refusedMemory.sum();
  }

  /** When an item was last refused, or {@code null}. */
  Instant lastRefusedAt() {
    return lastRefusedAt;
  }

  /** Logs the refusals counted but not logged yet. */
  void close() {
    problems.close();
  }
}
