package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.capacity.CapacityStatus;
import dev.otelretention.capacity.CapacityThresholds;
import dev.otelretention.config.EnvironmentConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Capacity alerts of the ClickHouse sink, measured on the real engine and exported into its own
 * tables.
 */
class CapacityAlertTest {

  @Test
  void tablesAndDisksAreMeasuredAndAlertsReachTheMetricTables() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    CapacityThresholds thresholds =
        CapacityThresholds.builder()
            .maxProjectedBytes(1)
            .minFreeRatio(0.000001)
            .interval(Duration.ofHours(1))
            .build();
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(
                ClickHouseExporters.builder()
                    .endpoint(front.endpoint())
                    .password(ClickHouseFront.PASSWORD)
                    .database("capacity")
                    .tracesTtl(Duration.ofDays(28))
                    .buildSink())
            .capacityAlerts(thresholds)
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      for (int i = 0; i < 50; i++) {
        telemetry.openTelemetry().getTracer("capacity").spanBuilder("span " + i).startSpan().end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      List<CapacityStatus> statuses = telemetry.checkCapacity();
      CapacityStatus traces =
          statuses.stream()
              .filter(s -> s.sample().store().equals("otel_traces"))
              .findFirst()
              .orElseThrow();
      assertThat(traces.sink()).isEqualTo("clickhouse");
      assertThat(traces.sample().usedBytes()).isPositive();
      // everything arrived today: a seventh of it per day over the 7-day window, kept 28 days
      assertThat(traces.sample().projectedBytes())
          .isCloseTo(4 * traces.sample().usedBytes(), Offset.offset(2L));
      assertThat(traces.sample().growthBytesPerDay())
          .isCloseTo(traces.sample().usedBytes() / 7.0, Offset.offset(1.0));
      assertThat(traces.alerts()).containsExactly("projected_bytes");
      CapacityStatus disk =
          statuses.stream()
              .filter(s -> s.sample().store().equals("disk:cold"))
              .findFirst()
              .orElseThrow();
      assertThat(disk.sample().freeBytes()).isPositive();
      assertThat(disk.sample().totalBytes()).isGreaterThanOrEqualTo(disk.sample().freeBytes());
      assertThat(disk.alerts()).isEmpty();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    List<GenericRecord> alerts =
        front.query(
            "SELECT Attributes['otel_retention.store'] AS store, max(Value) AS value"
                + " FROM capacity.otel_metrics_gauge WHERE MetricName = 'otel_retention.capacity.alert'"
                + " AND Attributes['otel_retention.check'] = 'projected_bytes' GROUP BY store ORDER BY store");
    assertThat(alerts).extracting(r -> r.getString("store")).contains("otel_traces");
    assertThat(
            alerts.stream()
                .filter(r -> r.getString("store").equals("otel_traces"))
                .findFirst()
                .orElseThrow()
                .getDouble("value"))
        .isEqualTo(1.0);
  }
}
