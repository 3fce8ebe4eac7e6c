package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.ExportException;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.OperationPlan;
import dev.otelretention.exporter.clickhouse.operations.PartitionRange;
import dev.otelretention.exporter.clickhouse.operations.RetentionReport;
import dev.otelretention.traces.TraceFilter;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A report reads and nothing else: operations connected read-only inspect the real engine's tables
 * (report, capacity, partitions, checksums, traces) and plan, but run no plan, no statement and no
 * insert, and the rows stay.
 */
class ReadOnlyOperationsTest {
  @Test
  void readOnlyOperationsInspectAndPlanButChangeNothing() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    ClickHouseExporters.Builder settings =
        ClickHouseExporters.builder()
            .endpoint(front.endpoint())
            .password(ClickHouseFront.PASSWORD)
            .database("readonly_db");
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(settings.buildSink())
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      Tracer tracer = telemetry.openTelemetry().getTracer("readonly");
      for (int i = 0; i < 12; i++) {
        tracer.spanBuilder("read-" + i).startSpan().end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }

    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    try (ClickHouseOperations operations = ClickHouseOperations.connectReadOnly(settings)) {
      RetentionReport report = operations.inspection().report(7);
      assertThat(rows(report, "otel_traces")).isEqualTo(12);
      assertThat(operations.inspection().capacitySamples(7)).isNotEmpty();
      assertThat(operations.inspection().partitions("otel_traces", null)).hasSize(1);
      assertThat(operations.inspection().checksums(List.of("otel_traces"), null)).hasSize(1);
      assertThat(operations.inspection().traces(TraceFilter.builder().build())).hasSize(12);

      OperationPlan drop =
          operations
              .partitionMoves()
              .planDrop(
                  List.of("otel_traces"),
                  new PartitionRange(today.minusDays(1), today.plusDays(1)));
      assertThat(drop.statements()).isNotEmpty();
      assertThatThrownBy(() -> operations.execute(drop, true))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("read-only");
    }

    try (ClickHouseConnection connection =
        new ClickHouseConnection(
            settings.buildSettings().connection(), Duration.ofSeconds(30), true)) {
      assertThatThrownBy(() -> connection.execute("DROP TABLE readonly_db.otel_traces"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("only reads");
      // the server refuses a change that comes through the query path too
      assertThatThrownBy(
              () ->
                  connection.query(
                      "INSERT INTO readonly_db.otel_traces (TraceId) VALUES ('x')", Map.of()))
          .isInstanceOf(ExportException.class)
          .hasMessageContaining("readonly");
      assertThat(connection.query("SELECT count() AS n FROM readonly_db.otel_traces", Map.of()))
          .singleElement()
          .satisfies(row -> assertThat(row.getLong("n")).isEqualTo(12));
    }
    try (ClickHouseOperations operations = ClickHouseOperations.connect(settings)) {
      assertThat(rows(operations.inspection().report(7), "otel_traces")).isEqualTo(12);
    }
  }

  private static long rows(RetentionReport report, String table) {
    return report.tables().stream()
        .filter(t -> t.table().equals(table))
        .findFirst()
        .orElseThrow()
        .rows();
  }
}
