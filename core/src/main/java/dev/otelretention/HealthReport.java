package dev.otelretention;

import dev.otelretention.export.ExportStats;
import dev.otelretention.export.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The state of a {@link TelemetryRetention} for an application's health check.
 *
 * @param sinks one entry per exporter
 * @param refusedByMemoryLimit items refused at the batch queues because the memory limit was
 *     reached, by signal
 * @param refusedQueueFull items refused because a batch queue was full, by signal
 * @param memoryUsedBytes estimated bytes of queued telemetry
 * @param memoryLimitBytes the memory limit, or {@link Long#MAX_VALUE} when unbounded
 * @param lastRefusedAt when an item was last refused at a batch queue, or {@code null}
 */
public record HealthReport(
    List<SinkHealth> sinks,
    Map<Signal, Long> refusedByMemoryLimit,
    Map<Signal, Long> refusedQueueFull,
    long memoryUsedBytes,
    long memoryLimitBytes,
    Instant lastRefusedAt) {

  /**
   * Healthy when every exporter is healthy and no item was refused at a batch queue in the last
   * {@link SinkHealth#DROP_WINDOW}: any loss shows.
   */
  public boolean healthy() {
    return healthyAt(Instant.now());
  }

  boolean healthyAt(Instant now) {
    boolean noRecentRefusal =
        lastRefusedAt == null || !lastRefusedAt.plus(SinkHealth.DROP_WINDOW).isAfter(now);
    return noRecentRefusal && sinks.stream().allMatch(sink -> sink.healthyAt(now));
  }

  /**
   * A snapshot of one exporter's state, for health checks.
   *
   * @param component exporter instance name, e.g. {@code file/traces}
   * @param signal the signal it exports
   * @param exported items delivered
   * @param dropped items lost, all reasons
   * @param droppedByReason items lost by reason
   * @param retried items sent again after a failure
   * @param failedAttempts failed export operations
   * @param queueDepth batches waiting in the sending queue
   * @param queueCapacity capacity of the sending queue (0 when the exporter has none)
   * @param lastSuccess time of the last successful export, or {@code null}
   * @param lastErrorAt time of the last failure or drop, or {@code null}
   * @param lastError type and message of the last failure or drop, or {@code null}
   * @param lastDroppedAt time of the last drop, or {@code null} when nothing was lost
   * @param unknown items given up on after their last attempt timed out, which the destination may
   *     have stored: neither exported nor dropped
   */
  public record SinkHealth(
      String component,
      Signal signal,
      long exported,
      long dropped,
      Map<String, Long> droppedByReason,
      long retried,
      long failedAttempts,
      int queueDepth,
      int queueCapacity,
      Instant lastSuccess,
      Instant lastErrorAt,
      String lastError,
      Instant lastDroppedAt,
      long unknown) {

    /** How long a drop keeps an exporter unhealthy: one minute, like the problem log's interval. */
    public static final Duration DROP_WINDOW = Duration.ofMinutes(1);

    static SinkHealth of(ExportStats stats) {
      return new SinkHealth(
          stats.componentName(),
          stats.signal(),
          stats.exported(),
          stats.dropped(),
          stats.droppedByReason(),
          stats.retried(),
          stats.failedAttempts(),
          stats.queueDepth(),
          stats.queueCapacity(),
          stats.lastSuccess(),
          stats.lastErrorAt(),
          stats.lastError(),
          stats.lastDroppedAt(),
          stats.unknown());
    }

    /**
     * Healthy when nothing was dropped in the last {@link #DROP_WINDOW}, the last attempt did not
     * fail (no error, or a success after the last error) and the sending queue is not full.
     * Successes in between do not hide a drop: any loss shows for at least a minute.
     */
    public boolean healthy() {
      return healthyAt(Instant.now());
    }

    boolean healthyAt(Instant now) {
      boolean recovered =
          lastErrorAt == null || (lastSuccess != null && !lastSuccess.isBefore(lastErrorAt));
      boolean queueOk = queueCapacity == 0 || queueDepth < queueCapacity;
      boolean noRecentDrop = lastDroppedAt == null || !lastDroppedAt.plus(DROP_WINDOW).isAfter(now);
      return recovered && queueOk && noRecentDrop;
    }
  }
}
