package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.TelemetryRetentionBuilder;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ClickHouse front goes away mid-stream and comes back inside the retry window (beyond it, with
 * and without the spool: {@link ClickHouseNetworkSinkTest}).
 */
class ClickHouseOutageTest {
  private ClickHouseFront front;

  @BeforeEach
  void start() throws Exception {
    front = ClickHouseFront.startNew();
  }

  @AfterEach
  void stop() {
    front.stop();
  }

  private TelemetryRetention telemetry(String database, Duration maxElapsed) {
    return builder(database, maxElapsed).build();
  }

  private TelemetryRetentionBuilder builder(String database, Duration maxElapsed) {
    return TelemetryRetention.builder()
        .config(EnvironmentConfig.of(Map.of()))
        .serviceName("outage")
        .addSink(
            ClickHouseExporters.builder()
                .endpoint(front.endpoint())
                .password(ClickHouseFront.PASSWORD)
                .database(database)
                .buildSink())
        .batchTimeout(Duration.ofMillis(20))
        .maxBatchSize(10)
        .requestTimeout(Duration.ofSeconds(2))
        .retryPolicy(
            RetryPolicy.builder()
                .initialInterval(Duration.ofMillis(100))
                .maxInterval(Duration.ofMillis(300))
                .maxElapsedTime(maxElapsed)
                .build())
        .shutdownTimeout(Duration.ofSeconds(20))
        .closeOnJvmShutdown(false);
  }

  private static SinkHealth traces(TelemetryRetention telemetry) {
    return telemetry.health().sinks().stream()
        .filter(s -> s.signal() == Signal.TRACES)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void anOutageInsideTheRetryWindowLosesNothingAndDuplicatesNothing() throws Exception {
    SinkHealth health;
    try (TelemetryRetention telemetry = telemetry("outage_short", Duration.ofSeconds(30))) {
      Tracer tracer = telemetry.openTelemetry().getTracer("o");
      for (int i = 0; i < 300; i++) {
        tracer.spanBuilder("s" + i).startSpan().end();
        if (i == 100) {
          assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
          front.stop();
        }
        if (i == 200) {
          Thread.sleep(1500);
          front.start();
        }
        Thread.sleep(2);
      }
      assertThat(telemetry.flush(Duration.ofSeconds(30))).isTrue();
      health = traces(telemetry);
    }
    assertThat(health.dropped()).isZero();
    assertThat(health.retried()).isPositive();
    assertThat(health.exported()).isEqualTo(300);
    long stored = front.count("SELECT count() FROM outage_short.otel_traces");
    long distinct = front.count("SELECT uniqExact(SpanId) FROM outage_short.otel_traces");
    System.out.printf(
        "outage inside the retry window: 300 spans, %d exported, %d retried, %d dropped; %d stored,"
            + " %d distinct ids%n",
        health.exported(), health.retried(), health.dropped(), stored, distinct);
    assertThat(stored).isEqualTo(300);
    assertThat(distinct).isEqualTo(300);
  }
}
