package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.RetentionReport;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The retention report against the real engine: counts, time range, ingest per day, projection and
 * TTL drift.
 */
class RetentionReportTest {
  @Test
  void reportsWhatTheTablesHoldAndWhereTheTtlDrifted() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    ClickHouseExporters.Builder settings =
        ClickHouseExporters.builder()
            .endpoint(front.endpoint())
            .password(ClickHouseFront.PASSWORD)
            .database("report_db")
            .tracesTtl(Duration.ofDays(30));
    // one hour into the current UTC day, so that a few seconds either way never cross midnight
    Instant now = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(1));
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(settings.buildSink())
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      Tracer tracer = telemetry.openTelemetry().getTracer("report");
      for (int daysAgo = 0; daysAgo < 3; daysAgo++) {
        for (int i = 0; i <= daysAgo; i++) {
          Instant at = now.minus(Duration.ofDays(daysAgo)).minusSeconds(i);
          tracer
              .spanBuilder("day-" + daysAgo)
              .setStartTimestamp(at)
              .startSpan()
              .end(at.plusMillis(5));
        }
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    front.execute(
        "ALTER TABLE report_db.otel_logs MODIFY TTL toDateTime(Timestamp) + toIntervalDay(3)");

    RetentionReport report;
    try (ClickHouseOperations operations = ClickHouseOperations.connect(settings)) {
      report = operations.inspection().report(7);
    }
    RetentionReport.TableReport traces =
        report.tables().stream()
            .filter(t -> t.table().equals("otel_traces"))
            .findFirst()
            .orElseThrow();
    assertThat(traces.exists()).isTrue();
    assertThat(traces.rows()).isEqualTo(6);
    assertThat(traces.partitions()).isEqualTo(3);
    assertThat(traces.compressedBytes()).isPositive();
    assertThat(traces.compressionRatio()).isPositive();
    assertThat(traces.oldest()).isEqualTo(now.minus(Duration.ofDays(2)).minusSeconds(2));
    assertThat(traces.newest()).isEqualTo(now);
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    assertThat(traces.rowsPerDay())
        .containsEntry(LocalDate.ofInstant(now.minus(Duration.ofDays(2)), ZoneOffset.UTC), 3L);
    assertThat(traces.rowsPerDay().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(6);
    assertThat(traces.configuredTtl()).isEqualTo("toDateTime(Timestamp) + toIntervalDay(30)");
    assertThat(traces.ttlDrift()).isFalse();
    assertThat(traces.projectedBytes())
        .isEqualTo(Math.round((double) traces.compressedBytes() / 6 * (6 / 7.0) * 30));
    assertThat(today).isNotNull();

    RetentionReport.TableReport logs =
        report.tables().stream()
            .filter(t -> t.table().equals("otel_logs"))
            .findFirst()
            .orElseThrow();
    assertThat(logs.ttlDrift()).isTrue();
    assertThat(logs.liveTtl()).isEqualTo("toDateTime(Timestamp) + toIntervalDay(3)");

    String table = report.toTable();
    assertThat(table)
        .contains("otel_traces")
        .contains("DRIFT: live table has toDateTime(Timestamp) + toIntervalDay(3)");
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.path("database").asText()).isEqualTo("report_db");
    JsonNode tracesJson = json.path("tables").get(0);
    assertThat(tracesJson.path("table").asText()).isEqualTo("otel_traces");
    assertThat(tracesJson.path("rows").asLong()).isEqualTo(6);
    assertThat(tracesJson.path("rowsPerDay").size()).isEqualTo(3);
  }
}
