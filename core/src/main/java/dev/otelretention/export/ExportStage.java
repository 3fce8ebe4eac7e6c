package dev.otelretention.export;

import dev.otelretention.config.ConfigException;
import dev.otelretention.config.PipelineDefaults;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;
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
 * <p>With a durable spool ({@link Builder#spool(SpoolSettings)}), {@link #submit} encodes the batch
 * and appends it to the spool on disk before it succeeds; the senders drain the spool in order and
 * mark a record done only once the destination acknowledged it. Retryable failures are retried for
 * as long as the record is younger than the spool's maximum age, and records still pending at
 * shutdown stay in the spool for the next start. The reasons {@code spool_full}, {@code
 * spool_expired} and {@code io_error} join the ones above. A destination that {@linkplain
 * SpoolableDestination#combinesRecords() combines records} gets deliveries of several spooled
 * batches (up to {@link SpoolSettings#deliveryMaxItems()} items, once the first has waited {@link
 * SpoolSettings#deliveryMaxDelay()}, at once on {@link #flush()} and at shutdown).
 *
 * <p>Every drop and every failed attempt is logged through {@link ExportStats#problems()}: one line
 * per problem per minute, with counts.
 *
 * @param <T> the item type
 */
public final class ExportStage<T> {
  private static final Logger logger = Logger.getLogger(ExportStage.class.getName());

  /** The most payload bytes one delivery combines from the spool. */
  private static final long MAX_DELIVERY_BYTES = 32L << 20;

  private final ExportDestination<T> destination;
  private final ExportStats stats;
  private final int queueCapacity;
  private final long maxQueueBytes;
  private final RetryPolicy retryPolicy;
  private final long requestTimeoutNanos;
  private final long shutdownTimeoutNanos;
  private final MemoryLimiter memoryLimiter;
  private final ToLongFunction<T> sizeEstimator;
  private final ExecutorService requestExecutor;
  private final RetryingSender sender;
  private final List<Thread> consumers = new ArrayList<>();
  private final Runnable onStopped;
  private final DurableSpool spool;
  private final SpoolableDestination<T> spoolDestination;
  private final long spoolMaxAge;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Batch<T>> queue = new ArrayDeque<>();
  private final List<CompletableResultCode> flushWaiters = new ArrayList<>();
  private int inFlight;
  private long acceptedBytes;
  private long pendingItems;
  private boolean shuttingDown;
  private boolean stopped;
  private long shutdownDeadline;
  private CompletableResultCode shutdownResult;
  private long droppedBeforeShutdown;

  private ExportStage(Builder<T> builder) {
    this.destination = builder.destination;
    this.stats = builder.stats;
    this.queueCapacity = builder.queueSize;
    this.maxQueueBytes = builder.maxQueueBytes;
    this.retryPolicy = builder.retryPolicy;
    this.requestTimeoutNanos = builder.requestTimeout.toNanos();
    this.shutdownTimeoutNanos = builder.shutdownTimeout.toNanos();
    this.memoryLimiter = builder.memoryLimiter;
    this.sizeEstimator = builder.sizeEstimator;
    this.onStopped = builder.onStopped;
    this.spoolMaxAge = builder.spool == null ? 0 : builder.spool.maxAge().toMillis();
    if (builder.spool != null) {
      this.spoolDestination = (SpoolableDestination<T>) destination;
      try {
        this.spool =
            DurableSpool.open(
                builder.spool.directory(),
                builder.spool,
                grouping(builder.spool, spoolDestination),
                stats::recordDropped);
      } catch (IOException e) {
        throw new ConfigException(
            "cannot use the spool "
                + builder.spool.directory().toAbsolutePath()
                + ": "
                + e.getMessage(),
            e);
      }
    } else {
      this.spoolDestination = null;
      this.spool = null;
    }
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
            retryPolicy,
            requestTimeoutNanos,
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
    stats.bindQueue(this::queueDepth, spool == null ? queueCapacity : 0, this::pendingItems);
    for (int i = 0; i < builder.consumers; i++) {
      Thread thread =
          daemon(
              spool == null ? this::consume : this::consumeSpool,
              "otel-retention-sender-" + name + "-" + i);
      consumers.add(thread);
      thread.start();
    }
  }

  private static DurableSpool.Grouping grouping(
      SpoolSettings settings, SpoolableDestination<?> destination) {
    if (!destination.combinesRecords() || settings.deliveryMaxItems() <= 1) {
      return DurableSpool.Grouping.NONE;
    }
    return new DurableSpool.Grouping(
        settings.deliveryMaxItems(), MAX_DELIVERY_BYTES, settings.deliveryMaxDelay());
  }

  /**
   * A builder for a stage that sends through {@code destination} and records outcomes in {@code
   * stats}.
   */
  public static <T> Builder<T> builder(ExportDestination<T> destination, ExportStats stats) {
    return new Builder<>(destination, stats);
  }

  /**
   * Accepts a batch into the sending queue. The result succeeds when the batch was queued and fails
   * when it was dropped (queue full, memory limit, or shut down); either way the items are
   * accounted for.
   */
  public CompletableResultCode submit(Collection<T> items) {
    if (items.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    List<T> copy = List.copyOf(items);
    if (spool != null) {
      return submitToSpool(copy);
    }
    long bytes = 0;
    for (T item : copy) {
      bytes += sizeEstimator.applyAsLong(item);
    }
    String refusal;
    lock.lock();
    try {
      if (shuttingDown) {
        refusal = "shutdown";
      } else if (queue.size() >= queueCapacity || acceptedBytes + bytes > maxQueueBytes) {
        refusal = "queue_full";
      } else if (!memoryLimiter.tryAcquire(bytes)) {
        refusal = "memory_limit";
      } else {
        queue.addLast(new Batch<>(copy, bytes));
        acceptedBytes += bytes;
        pendingItems += copy.size();
        changed.signalAll();
        return CompletableResultCode.ofSuccess();
      }
    } finally {
      lock.unlock();
    }
    stats.recordDropped(copy.size(), refusal);
    return CompletableResultCode.ofFailure();
  }

  private CompletableResultCode submitToSpool(List<T> items) {
    String refusal;
    Exception cause = null;
    byte[] record = null;
    try {
      record = spoolDestination.encode(items);
      refusal = null;
    } catch (ExportException e) {
      refusal = e.isRetryable() ? "encode_error" : "non_retryable";
      cause = e;
    } catch (RuntimeException e) {
      refusal = "internal_error";
      cause = e;
    }
    if (refusal == null) {
      lock.lock();
      try {
        if (shuttingDown) {
          refusal = "shutdown";
        } else {
          spool.append(record, items.size());
          changed.signalAll();
          return CompletableResultCode.ofSuccess();
        }
      } catch (DurableSpool.SpoolFullException e) {
        refusal = "spool_full";
        cause = e;
      } catch (IOException e) {
        refusal = "io_error";
        cause = e;
      } finally {
        lock.unlock();
      }
    }
    stats.recordDropped(
        items.size(), refusal, cause == null ? null : ExportException.describe(cause));
    return CompletableResultCode.ofFailure();
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
        daemon(this::awaitShutdown, "otel-retention-shutdown-" + stats.componentName());
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
      return spool == null ? queue.size() : spool.waitingRecords();
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
      return spool == null ? pendingItems : spool.pendingItems();
    } finally {
      lock.unlock();
    }
  }

  /** The statistics this stage records into. */
  public ExportStats stats() {
    return stats;
  }

  private void awaitShutdown() {
    List<Batch<T>> abandoned = new ArrayList<>();
    lock.lock();
    try {
      long remaining;
      while (!isIdle() && (remaining = shutdownDeadline - System.nanoTime()) > 0) {
        changed.awaitNanos(remaining);
      }
      stopped = true;
      abandoned.addAll(queue);
      queue.clear();
      changed.signalAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
    for (Batch<T> batch : abandoned) {
      stats.recordDropped(batch.items.size(), "shutdown", "not sent within the shutdown timeout");
      finished(batch, false);
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
    long kept = 0;
    if (spool != null) {
      kept = spool.pendingItems();
      spool.close();
      if (kept > 0) {
        logger.info(
            "otel-retention: "
                + stats.componentName()
                + " keeps "
                + kept
                + " items in the spool "
                + spool.directory()
                + " for the next start");
      }
    }
    try {
      onStopped.run();
    } catch (RuntimeException e) {
      logger.log(
          Level.WARNING,
          "otel-retention: releasing the resources of " + stats.componentName() + " failed",
          e);
    }
    // what the one-line-a-minute rule held back is logged now, also where no TelemetryRetention
    // closes the stats
    // (autoconfigure, the Java agent)
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

  private void consume() {
    while (true) {
      Batch<T> batch;
      lock.lock();
      try {
        while (queue.isEmpty()) {
          if (stopped || shuttingDown) {
            return;
          }
          changed.await();
        }
        batch = queue.pollFirst();
        inFlight++;
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      try {
        deliver(batch);
      } catch (RuntimeException e) {
        logger.log(Level.FINE, "otel-retention: unexpected failure in " + stats.componentName(), e);
        stats.recordDropped(batch.items.size(), "internal_error", ExportException.describe(e));
      } finally {
        finished(batch, true);
      }
    }
  }

  private enum Outcome {
    DELIVERED,
    DROPPED,
    KEPT
  }

  private void consumeSpool() {
    while (true) {
      DurableSpool.Group group;
      lock.lock();
      try {
        while (true) {
          if (stopped) {
            return;
          }
          try {
            group = spool.pollGroup(shuttingDown || !flushWaiters.isEmpty());
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
          if (group != null) {
            inFlight++;
            break;
          }
          if (shuttingDown) {
            return;
          }
          long due = spool.nanosUntilDue();
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
      Outcome outcome;
      try {
        outcome = deliverSpooled(group);
      } catch (RuntimeException e) {
        logger.log(Level.FINE, "otel-retention: unexpected failure in " + stats.componentName(), e);
        stats.recordDropped(group.items(), "internal_error", ExportException.describe(e));
        outcome = Outcome.DROPPED;
      }
      if (outcome != Outcome.KEPT) {
        try {
          spoolDestination.finishedEncoded(group.token());
        } catch (RuntimeException e) {
          logger.log(Level.FINE, "otel-retention: destination failed to release a record", e);
        }
      }
      List<CompletableResultCode> done = List.of();
      lock.lock();
      try {
        inFlight--;
        if (outcome == Outcome.KEPT) {
          spool.putBack(group);
        } else {
          spool.done(group);
        }
        done = releaseFlushWaitersIfIdle();
      } finally {
        lock.unlock();
      }
      for (CompletableResultCode waiter : done) {
        waiter.succeed();
      }
    }
  }

  /**
   * Sends one spooled group until it is delivered, fails for good, expires or the stage stops (then
   * it stays in the spool). Records the outcome.
   */
  private Outcome deliverSpooled(DurableSpool.Group group) {
    long expiresAtMillis = group.createdAtMillis() + spoolMaxAge;
    RetryingSender.Result result =
        sender.send(
            group.items(),
            () -> spoolDestination.sendEncoded(group.payloads(), group.token()),
            (now, wait, failure) ->
                System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(wait) > expiresAtMillis
                    ? new RetryingSender.Drop(
                        "spool_expired",
                        "not delivered within the spool's maximum age; last error "
                            + RetryingSender.detail(failure))
                    : null);
    return switch (result.outcome()) {
      case DELIVERED -> Outcome.DELIVERED;
      case DROPPED -> Outcome.DROPPED;
      case STOPPED -> Outcome.KEPT;
    };
  }

  /** Sends one batch with retries; returns whether it was delivered. Records the outcome. */
  private boolean deliver(Batch<T> batch) {
    int size = batch.items.size();
    long firstAttempt = System.nanoTime();
    long maxElapsedNanos = retryPolicy.maxElapsedTime().toNanos();
    RetryingSender.Result result =
        sender.send(
            size,
            () -> destination.send(batch.items),
            (now, wait, failure) ->
                !retryPolicy.isEnabled() || now + wait - firstAttempt > maxElapsedNanos
                    ? new RetryingSender.Drop("retries_exhausted", RetryingSender.detail(failure))
                    : null);
    if (result.outcome() == RetryingSender.Outcome.STOPPED) {
      stats.recordDropped(size, "shutdown", RetryingSender.detail(result.lastFailure()));
    }
    return result.outcome() == RetryingSender.Outcome.DELIVERED;
  }

  /** Waits until {@code wakeAt}; returns false when shutdown does not leave time for the retry. */
  private boolean sleepUntil(long wakeAt) {
    lock.lock();
    try {
      long remaining;
      while ((remaining = wakeAt - System.nanoTime()) > 0) {
        if (stopped || (shuttingDown && wakeAt - shutdownDeadline > 0)) {
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

  private void finished(Batch<T> batch, boolean wasInFlight) {
    List<CompletableResultCode> done = List.of();
    lock.lock();
    try {
      if (wasInFlight) {
        inFlight--;
      }
      acceptedBytes -= batch.bytes;
      pendingItems -= batch.items.size();
      done = releaseFlushWaitersIfIdle();
    } finally {
      lock.unlock();
    }
    memoryLimiter.release(batch.bytes);
    try {
      destination.finished(batch.items);
    } catch (RuntimeException e) {
      logger.log(Level.FINE, "otel-retention: destination failed to release a batch", e);
    }
    for (CompletableResultCode waiter : done) {
      waiter.succeed();
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
    return spool == null
        ? queue.isEmpty() && inFlight == 0
        : inFlight == 0 && spool.pendingRecords() == 0;
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  private static final class Batch<T> {
    final List<T> items;
    final long bytes;

    Batch(List<T> items, long bytes) {
      this.items = items;
      this.bytes = bytes;
    }
  }

  /** Builder of {@link ExportStage}. */
  public static final class Builder<T> {
    private final ExportDestination<T> destination;
    private final ExportStats stats;
    private int queueSize = PipelineDefaults.SENDING_QUEUE_BATCHES;
    private long maxQueueBytes = Long.MAX_VALUE;
    private int consumers = 1;
    private RetryPolicy retryPolicy = RetryPolicy.getDefault();
    private Duration requestTimeout = PipelineDefaults.REQUEST_TIMEOUT;
    private Duration shutdownTimeout = PipelineDefaults.SHUTDOWN_TIMEOUT;
    private MemoryLimiter memoryLimiter = MemoryLimiter.unlimited();
    private ToLongFunction<T> sizeEstimator = item -> 512;
    private Runnable onStopped = () -> {};
    private SpoolSettings spool;

    private Builder(ExportDestination<T> destination, ExportStats stats) {
      this.destination = Objects.requireNonNull(destination, "destination");
      this.stats = Objects.requireNonNull(stats, "stats");
    }

    /** Capacity of the sending queue in batches, at least 1 (default 100). */
    public Builder<T> queueSize(int queueSize) {
      if (queueSize < 1) {
        throw new IllegalArgumentException("queueSize must be at least 1, got " + queueSize);
      }
      this.queueSize = queueSize;
      return this;
    }

    /**
     * Bound on the estimated bytes of accepted, unfinished batches, positive (default: no bound of
     * its own).
     */
    public Builder<T> maxQueueBytes(long maxQueueBytes) {
      if (maxQueueBytes < 1) {
        throw new IllegalArgumentException("maxQueueBytes must be positive, got " + maxQueueBytes);
      }
      this.maxQueueBytes = maxQueueBytes;
      return this;
    }

    /** Number of sender threads, 1 to 64 (default 1, which keeps batches in order). */
    public Builder<T> consumers(int consumers) {
      if (consumers < 1 || consumers > 64) {
        throw new IllegalArgumentException("consumers must be between 1 and 64, got " + consumers);
      }
      this.consumers = consumers;
      return this;
    }

    /** Retry policy (default {@link RetryPolicy#getDefault()}). */
    public Builder<T> retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /** Timeout of one request, positive (default 5 s). */
    public Builder<T> requestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive(requestTimeout, "requestTimeout");
      return this;
    }

    /** How long {@link #shutdown()} keeps sending queued batches, positive (default 10 s). */
    public Builder<T> shutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = positive(shutdownTimeout, "shutdownTimeout");
      return this;
    }

    /** Shared memory bound (default unlimited). */
    public Builder<T> memoryLimiter(MemoryLimiter memoryLimiter) {
      this.memoryLimiter = Objects.requireNonNull(memoryLimiter, "memoryLimiter");
      return this;
    }

    /**
     * Estimate of one item's heap size in bytes (default 512 per item); see {@link TelemetrySizes}.
     */
    public Builder<T> sizeEstimator(ToLongFunction<T> sizeEstimator) {
      this.sizeEstimator = Objects.requireNonNull(sizeEstimator, "sizeEstimator");
      return this;
    }

    /**
     * Runs once the stage has stopped after {@link ExportStage#shutdown()}, e.g. to close a client
     * (default: nothing).
     */
    public Builder<T> onStopped(Runnable onStopped) {
      this.onStopped = Objects.requireNonNull(onStopped, "onStopped");
      return this;
    }

    /**
     * Keeps accepted batches in a durable spool in {@code settings.directory()} instead of memory
     * (default: no spool). The destination must be a {@link SpoolableDestination}; {@code null}
     * turns the spool off.
     *
     * @throws IllegalArgumentException if the destination cannot encode its batches
     */
    public Builder<T> spool(SpoolSettings settings) {
      if (settings != null && !(destination instanceof SpoolableDestination)) {
        throw new IllegalArgumentException(
            "a spool needs a SpoolableDestination, got " + destination.getClass().getName());
      }
      this.spool = settings;
      return this;
    }

    /**
     * Builds the stage, opens its spool if it has one (recovering what an earlier process left) and
     * starts its sender threads.
     *
     * @throws ConfigException if the spool cannot be opened
     */
    public ExportStage<T> build() {
      return new ExportStage<>(this);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }
  }
}
