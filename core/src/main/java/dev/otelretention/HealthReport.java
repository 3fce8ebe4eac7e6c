package dev.otelretention;

import dev.otelretention.export.Signal;
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
}
