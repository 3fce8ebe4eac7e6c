package dev.otelretention.internal.export;

import dev.otelretention.export.ExportDestination;
import dev.otelretention.export.ExportStats;
import dev.otelretention.export.MemoryLimiter;
import dev.otelretention.export.RetryPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The sending queue in memory: bounded in batches and estimated bytes, and by the shared memory
 * limiter. A batch is retried until the retry policy's maximum elapsed time, and dropped when the
 * stage stops.
 */
final class MemoryQueue<T> implements StageQueue<T, MemoryQueue.Batch<T>> {
  private static final Logger logger = Logger.getLogger(ExportStage.class.getName());

  /** An accepted batch and its estimated heap size. */
  record Batch<T>(List<T> items, long bytes) {}

  private final ExportDestination<T> destination;
  private final ExportStats stats;
  private final RetryingSender sender;
  private final RetryPolicy retryPolicy;
  private final int capacity;
  private final long maxBytes;
  private final MemoryLimiter memoryLimiter;
  private final ToLongFunction<T> sizeEstimator;
  private final ArrayDeque<Batch<T>> waiting = new ArrayDeque<>();
  private long acceptedBytes;
  private long pendingItems;

  MemoryQueue(
      ExportDestination<T> destination,
      ExportStats stats,
      RetryingSender sender,
      RetryPolicy retryPolicy,
      int capacity,
      long maxBytes,
      MemoryLimiter memoryLimiter,
      ToLongFunction<T> sizeEstimator) {
    this.destination = destination;
    this.stats = stats;
    this.sender = sender;
    this.retryPolicy = retryPolicy;
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.memoryLimiter = memoryLimiter;
    this.sizeEstimator = sizeEstimator;
  }

  @Override
  public Pending<T> prepare(List<T> items) {
    long bytes = 0;
    for (T item : items) {
      bytes += sizeEstimator.applyAsLong(item);
    }
    return new Pending<>(items, bytes, null);
  }

  @Override
  public void add(Pending<T> pending) throws Refused {
    if (waiting.size() >= capacity || acceptedBytes + pending.bytes() > maxBytes) {
      throw new Refused("queue_full", null);
    }
    if (!memoryLimiter.tryAcquire(pending.bytes())) {
      throw new Refused("memory_limit", null);
    }
    waiting.addLast(new Batch<>(pending.items(), pending.bytes()));
    acceptedBytes += pending.bytes();
    pendingItems += pending.items().size();
  }

  @Override
  public Batch<T> poll(boolean now) {
    return waiting.pollFirst();
  }

  @Override
  public long nanosUntilDue() {
    return Long.MAX_VALUE;
  }

  @Override
  public int items(Batch<T> batch) {
    return batch.items().size();
  }

  /**
   * Sends with retries until the policy's maximum elapsed time; a batch the stop interrupts is
   * dropped.
   */
  @Override
  public Outcome send(Batch<T> batch) {
    int size = batch.items().size();
    long firstAttempt = System.nanoTime();
    long maxElapsedNanos = retryPolicy.maxElapsedTime().toNanos();
    RetryingSender.Result result =
        sender.send(
            size,
            () -> destination.send(batch.items()),
            (now, wait, failure) ->
                !retryPolicy.isEnabled() || now + wait - firstAttempt > maxElapsedNanos
                    ? new RetryingSender.Drop("retries_exhausted", RetryingSender.detail(failure))
                    : null);
    return switch (result.outcome()) {
      case DELIVERED -> Outcome.DELIVERED;
      case DROPPED -> Outcome.DROPPED;
      case STOPPED -> {
        stats.recordDropped(size, "shutdown", RetryingSender.detail(result.lastFailure()));
        yield Outcome.DROPPED;
      }
    };
  }

  @Override
  public void release(Batch<T> batch, Outcome outcome) {
    memoryLimiter.release(batch.bytes());
    try {
      destination.finished(batch.items());
    } catch (RuntimeException e) {
      logger.log(Level.FINE, "otel-retention: destination failed to release a batch", e);
    }
  }

  @Override
  public void settle(Batch<T> batch, Outcome outcome) {
    acceptedBytes -= batch.bytes();
    pendingItems -= batch.items().size();
  }

  @Override
  public boolean isDrained() {
    return waiting.isEmpty();
  }

  @Override
  public int depth() {
    return waiting.size();
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public long pendingItems() {
    return pendingItems;
  }

  @Override
  public List<Batch<T>> abandon() {
    List<Batch<T>> abandoned = new ArrayList<>(waiting);
    waiting.clear();
    return abandoned;
  }

  @Override
  public long close() {
    return 0;
  }
}
