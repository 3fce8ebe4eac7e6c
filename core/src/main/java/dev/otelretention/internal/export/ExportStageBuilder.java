package dev.otelretention.internal.export;

import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.ExportDestination;
import dev.otelretention.export.ExportStats;
import dev.otelretention.export.MemoryLimiter;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.SpoolSettings;
import dev.otelretention.export.SpoolableDestination;
import dev.otelretention.internal.PipelineDefaults;
import java.time.Duration;
import java.util.Objects;
import java.util.function.ToLongFunction;

/** Builder of {@link ExportStage}. */
public final class ExportStageBuilder<T> {
  final ExportDestination<T> destination;
  final ExportStats stats;
  int queueSize = PipelineDefaults.SENDING_QUEUE_BATCHES;
  long maxQueueBytes = Long.MAX_VALUE;
  int consumers = 1;
  RetryPolicy retryPolicy = RetryPolicy.getDefault();
  Duration requestTimeout = PipelineDefaults.REQUEST_TIMEOUT;
  Duration shutdownTimeout = PipelineDefaults.SHUTDOWN_TIMEOUT;
  MemoryLimiter memoryLimiter = MemoryLimiter.unlimited();
  ToLongFunction<T> sizeEstimator = item -> 512;
  Runnable onStopped = () -> {};
  SpoolSettings spool;

  ExportStageBuilder(ExportDestination<T> destination, ExportStats stats) {
    this.destination = Objects.requireNonNull(destination, "destination");
    this.stats = Objects.requireNonNull(stats, "stats");
  }

  /** The statistics the stage will record in. */
  public ExportStats stats() {
    return stats;
  }

  /** Capacity of the sending queue in batches, at least 1 (default 100). */
  public ExportStageBuilder<T> queueSize(int queueSize) {
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
  public ExportStageBuilder<T> maxQueueBytes(long maxQueueBytes) {
    if (maxQueueBytes < 1) {
      throw new IllegalArgumentException("maxQueueBytes must be positive, got " + maxQueueBytes);
    }
    this.maxQueueBytes = maxQueueBytes;
    return this;
  }

  /** Number of sender threads, 1 to 64 (default 1, which keeps batches in order). */
  public ExportStageBuilder<T> consumers(int consumers) {
    if (consumers < 1 || consumers > 64) {
      throw new IllegalArgumentException("consumers must be between 1 and 64, got " + consumers);
    }
    this.consumers = consumers;
    return this;
  }

  /** Retry policy (default {@link RetryPolicy#getDefault()}). */
  public ExportStageBuilder<T> retryPolicy(RetryPolicy retryPolicy) {
    this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    return this;
  }

  /** Timeout of one request, positive (default 5 s). */
  public ExportStageBuilder<T> requestTimeout(Duration requestTimeout) {
    this.requestTimeout = positive(requestTimeout, "requestTimeout");
    return this;
  }

  /**
   * How long {@link ExportStage#shutdown()} keeps sending queued batches, positive (default 10 s).
   */
  public ExportStageBuilder<T> shutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = positive(shutdownTimeout, "shutdownTimeout");
    return this;
  }

  /** Shared memory bound (default unlimited). */
  public ExportStageBuilder<T> memoryLimiter(MemoryLimiter memoryLimiter) {
    this.memoryLimiter = Objects.requireNonNull(memoryLimiter, "memoryLimiter");
    return this;
  }

  /**
   * Estimate of one item's heap size in bytes (default 512 per item); see {@link TelemetrySizes}.
   */
  public ExportStageBuilder<T> sizeEstimator(ToLongFunction<T> sizeEstimator) {
    this.sizeEstimator = Objects.requireNonNull(sizeEstimator, "sizeEstimator");
    return this;
  }

  /**
   * Runs once the stage has stopped after {@link ExportStage#shutdown()}, e.g. to close a client
   * (default: nothing).
   */
  public ExportStageBuilder<T> onStopped(Runnable onStopped) {
    this.onStopped = Objects.requireNonNull(onStopped, "onStopped");
    return this;
  }

  /**
   * Keeps accepted batches in a durable spool in {@code settings.directory()} instead of memory
   * (default: no spool). The destination must be a {@link SpoolableDestination}; {@code null} turns
   * the spool off.
   *
   * @throws IllegalArgumentException if the destination cannot encode its batches
   */
  public ExportStageBuilder<T> spool(SpoolSettings settings) {
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
      throw new IllegalArgumentException(
          name + " must be positive, got " + EnvironmentConfig.format(value));
    }
    return value;
  }
}
