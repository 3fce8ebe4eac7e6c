package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.ClientException;
import com.clickhouse.client.api.ServerException;
import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.ExportException;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code createSchema(false)} the exporter writes into tables the OpenTelemetry Collector
 * created. The tables here are created by hand from the Collector's DDL (including columns this
 * exporter does not write), not by this project's schema code.
 */
class CollectorTablesTest {
  private static ClickHouseFront front;

  @BeforeAll
  static void startFront() throws Exception {
    front = ClickHouseFront.get();
  }

  private static TelemetryRetention telemetry(String database) {
    return TelemetryRetention.builder()
        .config(EnvironmentConfig.of(Map.of()))
        .serviceName("collector-schema")
        .addSink(
            ClickHouseExporters.builder()
                .endpoint(front.endpoint())
                .password(ClickHouseFront.PASSWORD)
                .database(database)
                .createSchema(false)
                .buildSink())
        .batchTimeout(Duration.ofMillis(20))
        .retryPolicy(
            RetryPolicy.builder()
                .initialInterval(Duration.ofMillis(50))
                .maxInterval(Duration.ofMillis(100))
                .maxElapsedTime(Duration.ofSeconds(2))
                .build())
        .closeOnJvmShutdown(false)
        .build();
  }

  @Test
  void writesIntoTablesTheCollectorCreated() throws Exception {
    front.execute("CREATE DATABASE IF NOT EXISTS collector_made");
    front.execute(
        """
        CREATE TABLE IF NOT EXISTS collector_made.otel_traces (
         Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)), TraceId String CODEC(ZSTD(1)), SpanId String CODEC(ZSTD(1)),
         ParentSpanId String CODEC(ZSTD(1)), TraceState String CODEC(ZSTD(1)), SpanName LowCardinality(String) CODEC(ZSTD(1)),
         SpanKind LowCardinality(String) CODEC(ZSTD(1)), ServiceName LowCardinality(String) CODEC(ZSTD(1)),
         ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)), ScopeName String CODEC(ZSTD(1)),
         ScopeVersion String CODEC(ZSTD(1)), SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
         Duration UInt64 CODEC(T64, ZSTD(1)), StatusCode LowCardinality(String) CODEC(ZSTD(1)), StatusMessage String CODEC(ZSTD(1)),
         Events Nested (Timestamp DateTime64(9), Name LowCardinality(String), Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(1)),
         Links Nested (TraceId String, SpanId String, TraceState String, Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(1)),
         ResourceAttributeItems Array(String) ALIAS arrayMap(kv -> concat(kv.1, '=', kv.2), CAST(ResourceAttributes, 'Array(Tuple(String, String))')),
         SpanAttributeItems Array(String) ALIAS arrayMap(kv -> concat(kv.1, '=', kv.2), CAST(SpanAttributes, 'Array(Tuple(String, String))')),
         INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
         INDEX idx_duration Duration TYPE minmax GRANULARITY 1,
         INDEX idx_lower_span_name lower(SpanName) TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8
        ) ENGINE = MergeTree PARTITION BY toDate(Timestamp) PRIMARY KEY (ServiceName, SpanName, toDateTime(Timestamp))
         ORDER BY (ServiceName, SpanName, toDateTime(Timestamp), Timestamp)
         SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1\
        """);
    front.execute(
        """
        CREATE TABLE IF NOT EXISTS collector_made.otel_logs (
         Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)), TimestampTime DateTime DEFAULT toDateTime(Timestamp),
         TraceId String CODEC(ZSTD(1)), SpanId String CODEC(ZSTD(1)), TraceFlags UInt8,
         SeverityText LowCardinality(String) CODEC(ZSTD(1)), SeverityNumber UInt8, ServiceName LowCardinality(String) CODEC(ZSTD(1)),
         Body String CODEC(ZSTD(1)), ResourceSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
         ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)), ScopeSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
         ScopeName String CODEC(ZSTD(1)), ScopeVersion LowCardinality(String) CODEC(ZSTD(1)),
         ScopeAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)), LogAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
         EventName String CODEC(ZSTD(1))
        ) ENGINE = MergeTree PARTITION BY toDate(TimestampTime) PRIMARY KEY (ServiceName, TimestampTime)
         ORDER BY (ServiceName, TimestampTime, Timestamp) SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1\
        """);
    try (TelemetryRetention telemetry = telemetry("collector_made")) {
      telemetry
          .openTelemetry()
          .getTracer("c")
          .spanBuilder("into-collector-table")
          .setAttribute("k", "v")
          .startSpan()
          .end();
      telemetry
          .openTelemetry()
          .getLogsBridge()
          .get("c")
          .logRecordBuilder()
          .setBody("into collector logs")
          .emit();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(
            front
                .query(
                    "SELECT SpanName, ServiceName, SpanAttributeItems FROM collector_made.otel_traces")
                .get(0)
                .getString("SpanName"))
        .isEqualTo("into-collector-table");
    assertThat(
            front
                .query(
                    "SELECT arrayStringConcat(SpanAttributeItems, ',') AS items FROM collector_made.otel_traces")
                .get(0)
                .getString("items"))
        .contains("k=v");
    assertThat(
            front
                .query("SELECT Body, toString(TimestampTime) AS t FROM collector_made.otel_logs")
                .get(0)
                .getString("Body"))
        .isEqualTo("into collector logs");
  }

  @Test
  void aMissingTableIsReportedAndNotRetried() {
    SinkHealth traces;
    try (TelemetryRetention telemetry = telemetry("collector_absent")) {
      telemetry.openTelemetry().getTracer("c").spanBuilder("nowhere").startSpan().end();
      telemetry.flush(Duration.ofSeconds(20));
      traces =
          telemetry.health().sinks().stream()
              .filter(s -> s.signal() == Signal.TRACES)
              .findFirst()
              .orElseThrow();
    }
    assertThat(traces.droppedByReason()).containsEntry("non_retryable", 1L);
    assertThat(traces.lastError())
        .startsWith("dropped 1 item (non_retryable): clickhouse_81")
        .contains("collector_absent");
    assertThat(traces.retried()).isZero();
  }

  @Test
  void failuresAreRetriedOnlyWhenRetryingCanHelp() {
    assertThat(
            ClickHouseConnection.classify(new ServerException(252, "Too many parts", 500, "q"))
                .isRetryable())
        .isTrue();
    assertThat(
            ClickHouseConnection.classify(new ServerException(241, "Memory limit", 500, "q"))
                .isRetryable())
        .isTrue();
    assertThat(
            ClickHouseConnection.classify(new ServerException(1001, "std::exception", 503, "q"))
                .isRetryable())
        .isTrue();
    assertThat(
            ClickHouseConnection.classify(
                    new ServerException(516, "Authentication failed", 401, "q"))
                .isRetryable())
        .isFalse();
    assertThat(
            ClickHouseConnection.classify(new ServerException(62, "Syntax error", 400, "q"))
                .isRetryable())
        .isFalse();
    assertThat(
            ClickHouseConnection.classify(new ServerException(60, "Unknown table", 404, "q"))
                .isRetryable())
        .isFalse();
    assertThat(
            ClickHouseConnection.classify(new ServerException(53, "Type mismatch", 500, "q"))
                .isRetryable())
        .isFalse();
    assertThat(
            ClickHouseConnection.classify(
                    new ClientException(
                        "Failed to get query response",
                        new ServerException(516, "Authentication failed", 401, "q")))
                .isRetryable())
        .as("a blocking query's failure is classified by the server's code inside it")
        .isFalse();
    assertThat(
            ClickHouseConnection.classify(new ServerException(0, "Too Many Requests", 429, "q"))
                .isRetryable())
        .as("a proxy's 429 asks to slow down, not to drop")
        .isTrue();
    assertThat(
            ClickHouseConnection.classify(
                    new ServerException(202, "Too many simultaneous queries", 500, "q"))
                .isRetryable())
        .isTrue();
    ExportException network =
        ClickHouseConnection.classify(new ConnectException("Connection refused"));
    assertThat(network.isRetryable()).isTrue();
    assertThat(network.errorType()).isEqualTo("java.net.ConnectException");
    assertThat(ClickHouseConnection.classify(new ServerException(252, "x", 500, "q")).errorType())
        .isEqualTo("clickhouse_252");
  }
}
