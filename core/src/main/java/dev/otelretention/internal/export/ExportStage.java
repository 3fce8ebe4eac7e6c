package dev.otelretention.internal.export;

import dev.otelretention.export.ExportDestination;
import dev.otelretention.export.ExportException;
import dev.otelretention.export.ExportStats;
import dev.otelretention.export.SpoolSettings;
import dev.otelretention.export.SpoolableDestination;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shared export stage of network sinks: a bounded sending queue, sender threads, a per-request
 * timeout, exponential retry with jitter, and exact accounting in {@link ExportStats}.
 *
 * <p>{@link #submit} accepts a batch into the queue and returns at once (as the Collector's sending
 * queue does); the batch then ends exactly once as exported or dropped with a reason: {@code
 * queue_full}, {@code memory_limit}, {@code non_retryable}, {@code retries_exhausted} or {@code
 * shutdown}.
 *
 * <p>With a durable spool ({@link ExportStageBuilder#spool(SpoolSettings)}), {@link #submit}
 * encodes the batch and appends it to the spool on disk before it succeeds; the senders drain the
 * spool in order and mark a record done only once the destination acknowledged it. Retryable
 * failures are retried for as long as the record is younger than the spool's maximum age, and
 * records still pending at shutdown stay in the spool for the next start. The reasons {@code
 * spool_full}, {@code spool_expired} and {@code io_error} join the ones above. A destination that
 * {@linkplain SpoolableDestination#combinesRecords() combines records} gets deliveries of several
 * spooled batches (up to {@link SpoolSettings#deliveryMaxItems()} items, once the first has waited
 * {@link SpoolSettings#deliveryMaxDelay()}, at once on {@link #flush()} and at shutdown).
 *
 * <p>Every drop and every failed attempt is logged through {@link ExportStats#problems()}: one line
 * per problem per minute, with counts.
 *
 * @param <T> the item type
 */
public final class ExportStage<T> {
  private static final Logger logger = Logger.getLogger(ExportStage.class.getName());

  private final ExportStats stats;
  private final long shutdownTimeoutNanos;
  private final ExecutorService requestExecutor;
  private final RetryingSender sender;
  private final StageQueue<T, ?> queue;
  private final List<Thread> consumers = new ArrayList<>();
  private final Runnable onStopped;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<CompletableResultCode> flushWaiters = new ArrayList<>();
  private int inFlight;
  private boolean shuttingDown;

  /**
   * With a spool: a delivery failed during shutdown. The spool keeps it and the rest for the next
   * start, so shutdown ends instead of trying the failing destination until its timeout (which
   * under the Java agent leaves the last metric export no time).
   */
  private boolean failedAtShutdown;

  private final boolean durable;
  private boolean stopped;
  private long shutdownDeadline;
  private CompletableResultCode shutdownResult;
  private long droppedBeforeShutdown;

  ExportStage(ExportStageBuilder<T> builder) {
    this.stats = builder.stats;
    this.shutdownTimeoutNanos = builder.shutdownTimeout.toNanos();
    this.onStopped = builder.onStopped;
    String name = stats.componentName();
    AtomicInteger requestThreads = new AtomicInteger();
    this.requestExecutor =
        Executors.newCachedThreadPool(
            r ->
                daemon(
                    r, "otel-retention-request-" + name + "-" + requestThreads.incrementAndGet()));
    this.sender =
        new RetryingSender(
            stats,
            builder.retryPolicy,
            builder.requestTimeout.toNanos(),
            requestExecutor,
            new RetryingSender.Stage() {
              @Override
              public boolean isStopped() {
                return ExportStage.this.isStopped();
              }

              @Override
              public boolean sleepUntil(long wakeAtNanos) {
                return ExportStage.this.sleepUntil(wakeAtNanos);
              }
            });
    this.durable = builder.spool != null;
    this.queue =
        builder.spool == null
            ? new MemoryQueue<>(
                builder.destination,
                stats,
                sender,
                builder.retryPolicy,
                builder.queueSize,
                builder.maxQueueBytes,
                builder.memoryLimiter,
                builder.sizeEstimator)
            : new SpoolQueue<>(
                (SpoolableDestination<T>) builder.destination, stats, sender, builder.spool);
    stats.bindQueue(this::queueDepth, queue.capacity(), this::pendingItems);
    for (int i = 0; i < builder.consumers; i++) {
      Thread thread = daemon(() -> consume(queue), "otel-retention-sender-" + name + "-" + i);
      consumers.add(thread);
      thread.start();
    }
  }

  /**
   * A builder for a stage that sends through {@code destination} and records outcomes in {@code
   * stats}.
   */
  public static <T> ExportStageBuilder<T> builder(
      ExportDestination<T> destination, ExportStats stats) {
    return new ExportStageBuilder<>(destination, stats);
  }

  /**
   * Accepts a batch into the sending queue. The result succeeds when the batch was queued and fails
   * when it was dropped (queue full, memory limit, spool full, or shut down); either way the items
   * are accounted for.
   */
  public CompletableResultCode submit(Collection<T> items) {
    if (items.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    List<T> copy = List.copyOf(items);
    try {
      StageQueue.Pending<T> pending = queue.prepare(copy);
      lock.lock();
      try {
        if (shuttingDown) {
          throw new StageQueue.Refused("shutdown", null);
        }
        queue.add(pending);
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      return CompletableResultCode.ofSuccess();
    } catch (StageQueue.Refused refused) {
      Throwable cause = refused.getCause();
      stats.recordDropped(
          copy.size(), refused.reason(), cause == null ? null : ExportException.describe(cause));
      return CompletableResultCode.ofFailure();
    }
  }

  /** Completes when every batch accepted so far has been exported or dropped. */
  public CompletableResultCode flush() {
    lock.lock();
    try {
      if (isIdle()) {
        return CompletableResultCode.ofSuccess();
      }
      CompletableResultCode result = new CompletableResultCode();
      flushWaiters.add(result);
      // spool senders stop waiting for fuller deliveries
      changed.signalAll();
      return result;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops accepting batches, keeps sending what is queued for at most the shutdown timeout, then
   * drops the rest (counted with reason {@code shutdown}) and stops the sender threads. Idempotent.
   */
  public CompletableResultCode shutdown() {
    lock.lock();
    try {
      if (shutdownResult != null) {
        return shutdownResult;
      }
      shutdownResult = new CompletableResultCode();
      droppedBeforeShutdown = stats.dropped();
      shuttingDown = true;
      shutdownDeadline = System.nanoTime() + shutdownTimeoutNanos;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    Thread watcher =
        daemon(() -> awaitShutdown(queue), "otel-retention-shutdown-" + stats.componentName());
    watcher.start();
    return shutdownResult;
  }

  /**
   * Batches waiting in the queue (records in the spool, when there is one), not counting those
   * being sent.
   */
  public int queueDepth() {
    lock.lock();
    try {
      return queue.depth();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Items accepted and neither exported nor dropped yet (with a spool, also those left by an
   * earlier process).
   */
  public long pendingItems() {
    lock.lock();
    try {
      return queue.pendingItems();
    } finally {
      lock.unlock();
    }
  }

  /** The statistics this stage records into. */
  public ExportStats stats() {
    return stats;
  }

  private <D> void awaitShutdown(StageQueue<T, D> queue) {
    List<D> abandoned = List.of();
    lock.lock();
    try {
      long remaining;
      while (!isIdle()
          && !failedAtShutdown
          && (remaining = shutdownDeadline - System.nanoTime()) > 0) {
        changed.awaitNanos(remaining);
      }
      stopped = true;
      abandoned = queue.abandon();
      changed.signalAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
    for (D delivery : abandoned) {
      stats.recordDropped(
          queue.items(delivery), "shutdown", "not sent within the shutdown timeout");
      finish(queue, delivery, StageQueue.Outcome.DROPPED, false);
    }
    for (Thread consumer : consumers) {
      consumer.interrupt();
    }
    for (Thread consumer : consumers) {
      try {
        consumer.join(TimeUnit.SECONDS.toMillis(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    requestExecutor.shutdownNow();
    long kept = queue.close();
    try {
      onStopped.run();
    } catch (RuntimeException e) {
      logger.log(
          Level.WARNING,
          "otel-retention: releasing the resources of " + stats.componentName() + " failed",
          e);
    }
    // what the one-line-a-minute rule held back is logged now, also where no TelemetryRetention
    // closes the stats (autoconfigure, the Java agent)
    stats.problems().close();
    boolean clean = abandoned.isEmpty() && kept == 0 && stats.dropped() == droppedBeforeShutdown;
    lock.lock();
    try {
      clean &= inFlight == 0;
    } finally {
      lock.unlock();
    }
    if (clean) {
      shutdownResult.succeed();
    } else {
      shutdownResult.fail();
    }
  }

  /** A sender thread: takes the next delivery, sends it, settles it, until the stage stops. */
  private <D> void consume(StageQueue<T, D> queue) {
    while (true) {
      D delivery;
      lock.lock();
      try {
        while (true) {
          if (stopped) {
            return;
          }
          try {
            delivery = queue.poll(shuttingDown || !flushWaiters.isEmpty());
          } catch (IOException e) {
            stats
                .problems()
                .report(
                    Level.WARNING,
                    "spool read",
                    0,
                    "cannot read the spool, trying again in 1 s: " + ExportException.describe(e));
            changed.await(1, TimeUnit.SECONDS);
            continue;
          }
          if (delivery != null) {
            inFlight++;
            break;
          }
          if (shuttingDown) {
            return;
          }
          long due = queue.nanosUntilDue();
          if (due == Long.MAX_VALUE) {
            changed.await();
          } else {
            changed.awaitNanos(Math.max(due, TimeUnit.MILLISECONDS.toNanos(1)));
          }
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      StageQueue.Outcome outcome;
      try {
        outcome = queue.send(delivery);
      } catch (RuntimeException e) {
        logger.log(Level.FINE, "otel-retention: unexpected failure in " + stats.componentName(), e);
        stats.recordDropped(queue.items(delivery), "internal_error", ExportException.describe(e));
        outcome = StageQueue.Outcome.DROPPED;
      }
      finish(queue, delivery, outcome, true);
      if (outcome == StageQueue.Outcome.KEPT && stoppedTryingAtShutdown()) {
        return;
      }
    }
  }

  /** After a delivery the spool kept: during shutdown, no more tries; tells the shutdown. */
  private boolean stoppedTryingAtShutdown() {
    lock.lock();
    try {
      if (!shuttingDown) {
        return false;
      }
      failedAtShutdown = true;
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Releases and settles a delivery, then completes the flushes it was the last one for. */
  private <D> void finish(
      StageQueue<T, D> queue, D delivery, StageQueue.Outcome outcome, boolean wasInFlight) {
    queue.release(delivery, outcome);
    List<CompletableResultCode> done;
    lock.lock();
    try {
      if (wasInFlight) {
        inFlight--;
      }
      queue.settle(delivery, outcome);
      done = releaseFlushWaitersIfIdle();
    } finally {
      lock.unlock();
    }
    for (CompletableResultCode waiter : done) {
      waiter.succeed();
    }
  }

  /** Waits until {@code wakeAt}; returns false when shutdown does not leave time for the retry. */
  private boolean sleepUntil(long wakeAt) {
    lock.lock();
    try {
      long remaining;
      while ((remaining = wakeAt - System.nanoTime()) > 0) {
        // with a spool, a retry during shutdown is left to the next start: the record is on disk
        if (stopped || (shuttingDown && (durable || wakeAt - shutdownDeadline > 0))) {
          return false;
        }
        changed.awaitNanos(remaining);
      }
      return !stopped;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  private boolean isStopped() {
    lock.lock();
    try {
      return stopped;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Wakes the threads waiting on the state; returns the flush waiters to complete once idle. Holds
   * the lock.
   */
  private List<CompletableResultCode> releaseFlushWaitersIfIdle() {
    changed.signalAll();
    if (!isIdle() || flushWaiters.isEmpty()) {
      return List.of();
    }
    List<CompletableResultCode> done = new ArrayList<>(flushWaiters);
    flushWaiters.clear();
    return done;
  }

  private boolean isIdle() {
    return inFlight == 0 && queue.isDrained();
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
