package dev.otelretention;

import dev.otelretention.export.ExportStats;
import dev.otelretention.export.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

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
   * fail (no error, or a success after the last error) and the sending queue is not full. Successes
   * in between do not hide a drop: any loss shows for at least a minute.
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
