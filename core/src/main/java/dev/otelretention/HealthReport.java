package dev.otelretention;

import dev.otelretention.sink.Signal;
import java.util.List;
import java.util.Map;

/**
 * The state of a {@link TelemetryRetention} for an application's health check.
 *
 * @param sinks one entry per exporter
 * @param refusedByMemoryLimit items refused at the batch queues because the memory limit was reached, by signal
 * @param refusedQueueFull items refused because a batch queue was full, by signal
 * @param memoryUsedBytes estimated bytes of queued telemetry
 * @param memoryLimitBytes the memory limit, or {@link Long#MAX_VALUE} when unbounded
 */
public record HealthReport(
    List<SinkHealth> sinks,
    Map<Signal, Long> refusedByMemoryLimit,
    Map<Signal, Long> refusedQueueFull,
    long memoryUsedBytes,
    long memoryLimitBytes) {

  /** Healthy when every exporter is healthy. */
  public boolean healthy() {
    return sinks.stream().allMatch(SinkHealth::healthy);
  }
}
