package dev.otelretention.capacity;

import dev.otelretention.sink.CapacityProbe.CapacitySample;
import java.time.Instant;
import java.util.List;

/**
 * The last measurement of one store of one sink and the alerts it raised.
 *
 * @param sink the sink name, e.g. {@code clickhouse}
 * @param sample what was measured
 * @param alerts the checks over their limit: {@code projected_bytes}, {@code growth_rate}, {@code
 *     free_bytes}, {@code free_ratio}
 * @param measuredAt when it was measured
 */
public record CapacityStatus(
    String sink, CapacitySample sample, List<String> alerts, Instant measuredAt) {
  /** Copies the list. */
  public CapacityStatus {
    alerts = List.copyOf(alerts);
  }
}
