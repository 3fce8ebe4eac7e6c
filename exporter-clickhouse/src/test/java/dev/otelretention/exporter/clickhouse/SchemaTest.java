package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import dev.otelretention.exporter.clickhouse.internal.schema.TelemetryTable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaTest {
  private static ClickHouseExporters.Builder builder() {
    return ClickHouseExporters.builder().endpoint("http://127.0.0.1:8123");
  }

  @Test
  void ttlIsRenderedAsTheCollectorRendersIt() {
    Schema days =
        builder()
            .tracesTtl(Duration.ofDays(7))
            .logsTtl(Duration.ofHours(36))
            .metricsTtl(Duration.ofMinutes(90))
            .schema();
    assertThat(days.ttlClause(TelemetryTable.TRACES))
        .isEqualTo("TTL toDateTime(Timestamp) + toIntervalDay(7)");
    assertThat(days.ttlClause(TelemetryTable.TRACE_ID_TS))
        .isEqualTo("TTL Start + toIntervalDay(7)");
    assertThat(days.ttlClause(TelemetryTable.LOGS))
        .isEqualTo("TTL toDateTime(Timestamp) + toIntervalHour(36)");
    assertThat(days.ttlClause(TelemetryTable.METRICS_GAUGE))
        .isEqualTo("TTL toDateTime(TimeUnix) + toIntervalMinute(90)");
    Schema seconds = builder().metricsTtl(Duration.ofSeconds(61)).tracesTtl(Duration.ZERO).schema();
    assertThat(seconds.ttlClause(TelemetryTable.METRICS_SUMMARY))
        .isEqualTo("TTL toDateTime(TimeUnix) + toIntervalSecond(61)");
    assertThat(seconds.ttlClause(TelemetryTable.TRACES)).isEmpty();
    assertThat(seconds.createTable(TelemetryTable.TRACES, false)).doesNotContain("TTL");
  }

  @Test
  void theTracesTableHasTheCollectorsLayout() {
    String ddl = builder().schema().createTable(TelemetryTable.TRACES, false);
    assertThat(ddl)
        .startsWith("CREATE TABLE IF NOT EXISTS `otel`.`otel_traces` (")
        .contains("Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1))")
        .contains("Duration UInt64 CODEC(T64, ZSTD(1))")
        .contains("SpanAttributeItems Array(String) ALIAS arrayMap(")
        .contains("INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1")
        .contains("INDEX idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.01)")
        .contains("INDEX idx_duration Duration TYPE minmax GRANULARITY 1")
        .contains("INDEX idx_lower_span_name lower(SpanName) TYPE tokenbf_v1(32768, 3, 0)")
        .contains("ENGINE = MergeTree\nPARTITION BY toDate(Timestamp)\n")
        .contains("PRIMARY KEY (ServiceName, SpanName, toDateTime(Timestamp))\n")
        .contains("ORDER BY (ServiceName, SpanName, toDateTime(Timestamp), Timestamp)")
        .endsWith(
            "SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1, non_replicated_deduplication_window = 1000");
    assertThat(builder().schema().createTable(TelemetryTable.TRACES, true))
        .contains("INDEX idx_trace_id TraceId TYPE text(tokenizer = 'array')")
        .contains("INDEX idx_span_attr_items SpanAttributeItems TYPE text(tokenizer = 'array')")
        .doesNotContain("bloom_filter")
        .doesNotContain("mapValues");
  }

  @Test
  void theLogsTableHasTheCollectorsNewestLayout() {
    String ddl = builder().schema().createTable(TelemetryTable.LOGS, true);
    assertThat(ddl)
        .contains(
            """
                Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
                `TimestampTime` DateTime ALIAS toDateTime(Timestamp),
            """)
        .doesNotContain("TimestampTime DateTime DEFAULT")
        .contains(
            "`__otel_materialized_k8s.pod.name` LowCardinality(String) MATERIALIZED ResourceAttributes['k8s.pod.name']")
        .contains("INDEX idx_lower_body lower(Body) TYPE text(tokenizer = 'splitByNonAlpha')")
        .contains("PARTITION BY toDate(Timestamp)\n")
        .contains("ORDER BY (toStartOfFiveMinutes(Timestamp), ServiceName, Timestamp)")
        .doesNotContain("PRIMARY KEY");
    assertThat(builder().schema().createTable(TelemetryTable.LOGS, false))
        .contains("INDEX idx_lower_body lower(Body) TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8")
        .doesNotContain("TYPE text(");
  }

  @Test
  void aClusterGetsOnClusterDdlReplicatedEnginesAndDistributedTables() {
    Schema schema = builder().cluster("telemetry").database("obs").schema();
    List<String> statements = schema.createStatements(false);
    assertThat(schema.createDatabase())
        .isEqualTo("CREATE DATABASE IF NOT EXISTS `obs` ON CLUSTER `telemetry`");
    assertThat(statements).allSatisfy(ddl -> assertThat(ddl).contains(" ON CLUSTER `telemetry`"));
    assertThat(statements)
        .anySatisfy(
            ddl ->
                assertThat(ddl)
                    .startsWith(
                        "CREATE TABLE IF NOT EXISTS `obs`.`otel_traces_local` ON CLUSTER `telemetry` (")
                    .contains("ENGINE = ReplicatedMergeTree\n"));
    assertThat(statements)
        .anySatisfy(
            ddl ->
                assertThat(ddl)
                    .startsWith(
                        "CREATE TABLE IF NOT EXISTS `obs`.`otel_traces_trace_id_ts_local` ON CLUSTER `telemetry` (")
                    .contains("ENGINE = ReplicatedAggregatingMergeTree\n"));
    assertThat(statements)
        .contains(
            "CREATE TABLE IF NOT EXISTS `obs`.`otel_traces` ON CLUSTER `telemetry` AS `obs`.`otel_traces_local`\n"
                + "ENGINE = Distributed('telemetry', 'obs', 'otel_traces_local', cityHash64(TraceId))");
    assertThat(statements)
        .contains(
            "CREATE TABLE IF NOT EXISTS `obs`.`otel_logs` ON CLUSTER `telemetry` AS `obs`.`otel_logs_local`\n"
                + "ENGINE = Distributed('telemetry', 'obs', 'otel_logs_local', rand())");
    assertThat(statements.get(statements.size() - 1))
        .contains("TO `obs`.`otel_traces_trace_id_ts_local`")
        .contains("FROM `obs`.`otel_traces_local`");
    assertThat(schema.qualifiedName(TelemetryTable.LOGS)).isEqualTo("`obs`.`otel_logs`");
    assertThat(schema.qualifiedStorage(TelemetryTable.LOGS)).isEqualTo("`obs`.`otel_logs_local`");
  }

  @Test
  void namesAndEnginesCanBeChanged() {
    Schema schema =
        builder()
            .tablePrefix("shop_")
            .tableName("otel_logs", "app_logs")
            .tableEngine("ReplacingMergeTree")
            .schema();
    assertThat(schema.tableName(TelemetryTable.TRACES)).isEqualTo("shop_traces");
    assertThat(schema.tableName(TelemetryTable.TRACE_ID_TS)).isEqualTo("shop_traces_trace_id_ts");
    assertThat(schema.tableName(TelemetryTable.LOGS)).isEqualTo("app_logs");
    assertThat(schema.tableName(TelemetryTable.METRICS_EXPONENTIAL_HISTOGRAM))
        .isEqualTo("shop_metrics_exponential_histogram");
    assertThat(schema.createTable(TelemetryTable.TRACES, false))
        .contains("ENGINE = ReplacingMergeTree\n");
    assertThat(schema.createTable(TelemetryTable.TRACE_ID_TS, false))
        .contains("ENGINE = AggregatingMergeTree\n");
    assertThatThrownBy(() -> builder().tableName("otel_spans", "x"))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> builder().tableName("otel_logs", "bad name"))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> builder().tablePrefix("a.b")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> builder().tableEngine("MergeTree; DROP"))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void theEngineRunsACustomEngineAndCustomNames() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    ClickHouseSink sink =
        (ClickHouseSink)
            ClickHouseExporters.builder()
                .endpoint(front.endpoint())
                .password(ClickHouseFront.PASSWORD)
                .database("custom_names")
                .tablePrefix("shop_")
                .tableName("otel_logs", "app_logs")
                .tableEngine("ReplacingMergeTree")
                .buildSink();
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(sink)
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      telemetry.openTelemetry().getTracer("c").spanBuilder("custom").startSpan().end();
      telemetry
          .openTelemetry()
          .getLogsBridge()
          .get("c")
          .logRecordBuilder()
          .setBody("custom log")
          .emit();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(front.query("SHOW CREATE TABLE custom_names.shop_traces").get(0).getString(1))
        .contains("ReplacingMergeTree");
    assertThat(
            front.count("SELECT count() FROM custom_names.shop_traces WHERE SpanName = 'custom'"))
        .isEqualTo(1);
    assertThat(front.count("SELECT count() FROM custom_names.shop_traces_trace_id_ts"))
        .isEqualTo(1);
    assertThat(front.count("SELECT count() FROM custom_names.app_logs")).isEqualTo(1);
  }
}
