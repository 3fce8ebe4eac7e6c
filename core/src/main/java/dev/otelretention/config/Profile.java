package dev.otelretention.config;

import java.time.Duration;

/**
 * Pipeline defaults for an environment, with the numbers of the design note. Every value can be
 * overridden on {@code TelemetryRetentionBuilder} or through the environment.
 */
public enum Profile {
  /** Batch timeout 1 s, batch size 1,024, no memory limit, metrics every 10 s, no spool. */
  DEVELOPMENT(Duration.ofSeconds(1), 1024, 0, 0, Duration.ofSeconds(10), false),
  /**
   * Batch timeout 10 s, batch size 8,192, memory limit 1,024 MiB with 256 MiB spike headroom,
   * metrics every 60 s, network sinks spooled to disk.
   */
  PRODUCTION(Duration.ofSeconds(10), 8192, 1024L << 20, 256L << 20, Duration.ofSeconds(60), true);

  private final Duration batchTimeout;
  private final int maxBatchSize;
  private final long memoryLimitBytes;
  private final long memorySpikeBytes;
  private final Duration metricInterval;
  private final boolean spool;

  Profile(
      Duration batchTimeout,
      int maxBatchSize,
      long memoryLimitBytes,
      long memorySpikeBytes,
      Duration metricInterval,
      boolean spool) {
    this.spool = spool;
    this.batchTimeout = batchTimeout;
    this.maxBatchSize = maxBatchSize;
    this.memoryLimitBytes = memoryLimitBytes;
    this.memorySpikeBytes = memorySpikeBytes;
    this.metricInterval = metricInterval;
  }

  /** Longest time a span or log record waits before its batch is exported. */
  public Duration batchTimeout() {
    return batchTimeout;
  }

  /** Most items in one exported batch. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /** Bound on queued telemetry in bytes, 0 when unbounded. */
  public long memoryLimitBytes() {
    return memoryLimitBytes;
  }

  /** Spike headroom below the memory limit in bytes. */
  public long memorySpikeBytes() {
    return memorySpikeBytes;
  }

  /** Whether network sinks keep their batches in a durable spool on disk. */
  public boolean spool() {
    return spool;
  }

  /** Interval between metric exports. */
  public Duration metricInterval() {
    return metricInterval;
  }
}
