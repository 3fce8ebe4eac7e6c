package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.TelemetryRetentionBuilder;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import dev.otelretention.export.SpoolSettings;
import io.opentelemetry.api.trace.Tracer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ClickHouse front goes away mid-stream and comes back, inside and beyond the retry window. */
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

  @TempDir Path spool;

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

  @Test
  void anOutageBeyondTheRetryWindowDropsExactlyWhatWasLost() throws Exception {
    SinkHealth health;
    try (TelemetryRetention telemetry = telemetry("outage_long", Duration.ofMillis(800))) {
      Tracer tracer = telemetry.openTelemetry().getTracer("o");
      for (int i = 0; i < 50; i++) {
        tracer.spanBuilder("before" + i).startSpan().end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      front.stop();
      for (int i = 0; i < 40; i++) {
        tracer.spanBuilder("during" + i).startSpan().end();
      }
      telemetry.flush(Duration.ofSeconds(20));
      front.start();
      for (int i = 0; i < 30; i++) {
        tracer.spanBuilder("after" + i).startSpan().end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      health = traces(telemetry);
    }
    long stored = front.count("SELECT count() FROM outage_long.otel_traces");
    System.out.printf(
        "outage beyond the retry window, in memory: 120 spans, dropped %s, %d stored%n",
        health.droppedByReason(), stored);
    assertThat(health.droppedByReason()).containsEntry("retries_exhausted", 40L);
    assertThat(stored).isEqualTo(80);
    assertThat(health.exported()).isEqualTo(stored);
    assertThat(health.exported() + health.dropped()).isEqualTo(120);
  }

  @Test
  void withTheSpoolAnOutageBeyondTheRetryWindowLosesNothingAndStoresEverythingOnce()
      throws Exception {
    SinkHealth health;
    try (TelemetryRetention telemetry =
        builder("outage_spooled", Duration.ofMillis(800))
            .spool(SpoolSettings.builder(spool).build())
            .build()) {
      Tracer tracer = telemetry.openTelemetry().getTracer("o");
      for (int i = 0; i < 50; i++) {
        tracer.spanBuilder("before" + i).startSpan().end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      front.stop();
      for (int i = 0; i < 40; i++) {
        tracer.spanBuilder("during" + i).startSpan().end();
        Thread.sleep(50);
      }
      // three times the retry window
      assertThat(telemetry.flush(Duration.ofMillis(500))).isFalse();
      Thread.sleep(1500);
      front.start();
      for (int i = 0; i < 30; i++) {
        tracer.spanBuilder("after" + i).startSpan().end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(30))).isTrue();
      health = traces(telemetry);
    }
    assertThat(health.dropped()).isZero();
    assertThat(health.retried()).isPositive();
    long spooledStored = front.count("SELECT count() FROM outage_spooled.otel_traces");
    long spooledDistinct =
        front.count("SELECT uniqExact(SpanName) FROM outage_spooled.otel_traces");
    System.out.printf(
        "outage beyond the retry window, spooled: 120 spans, %d dropped, %d retried; %d stored,"
            + " %d distinct%n",
        health.dropped(), health.retried(), spooledStored, spooledDistinct);
    assertThat(spooledStored).isEqualTo(120);
    assertThat(spooledDistinct).isEqualTo(120);
  }
}
