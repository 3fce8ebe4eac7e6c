package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.testing.RandomTelemetry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Random hostile telemetry into the real ClickHouse engine: every row is accepted, nothing is lost.
 */
class FuzzTest {

  @Test
  void clickHouseAcceptsEveryRowOfRandomTelemetry() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    RandomTelemetry random = new RandomTelemetry(20261124L);
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(
                ClickHouseExporters.builder()
                    .endpoint(front.endpoint())
                    .password(ClickHouseFront.PASSWORD)
                    .database("fuzz")
                    .buildSink())
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      random.spans(telemetry.openTelemetry().getTracer("fuzz"), 400);
      random.logs(telemetry.openTelemetry().getLogsBridge().get("fuzz"), 400);
      random.metrics(telemetry.openTelemetry().getMeter("fuzz"), 200);
      assertThat(telemetry.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(telemetry.health().sinks())
          .as("seed " + random.seed())
          .allMatch(s -> s.dropped() == 0);
    }
    assertThat(front.count("SELECT count() FROM fuzz.otel_traces"))
        .as("seed " + random.seed())
        .isEqualTo(400);
    assertThat(front.count("SELECT count() FROM fuzz.otel_logs")).isEqualTo(400);
    assertThat(
            front.count(
                "SELECT count() FROM fuzz.otel_metrics_sum WHERE MetricName = 'fuzz.count'"))
        .isPositive();
    assertThat(
            front.count(
                "SELECT count() FROM fuzz.otel_metrics_histogram WHERE MetricName = 'fuzz.latency'"))
        .isPositive();
  }
}
