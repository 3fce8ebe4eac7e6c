package dev.otelretention;

import dev.otelretention.export.MemoryLimiter;
import dev.otelretention.sink.Signal;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Admission to a signal's batch queue: refuses an item when the queue holds its maximum (so the SDK's batch
 * processor never drops silently) or when the memory limit is reached, and counts every refusal.
 */
final class QueueGate {
  private final Signal signal;
  private final MemoryLimiter limiter;
  private final int capacity;
  private final AtomicInteger queued = new AtomicInteger();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder refusedQueueFull = new LongAdder();
  private final LongAdder refusedMemory = new LongAdder();

  QueueGate(Signal signal, MemoryLimiter limiter, int capacity) {
    this.signal = signal;
    this.limiter = limiter;
    this.capacity = capacity;
  }

  boolean tryEnter(long bytes) {
    if (queued.incrementAndGet() > capacity) {
      queued.decrementAndGet();
      refusedQueueFull.increment();
      return false;
    }
    if (!limiter.tryAcquire(bytes)) {
      queued.decrementAndGet();
      refusedMemory.increment();
      return false;
    }
    accepted.increment();
    return true;
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
}
