package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.config.Profile;
import dev.otelretention.export.SpoolableDestination;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters.SpanValueStyle;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseDestinations;
import dev.otelretention.exporter.clickhouse.internal.SchemaManager;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inserts carry deduplication tokens: a record sent again, also by another process, is stored once.
 */
class DeduplicationTest {

  private static List<SpanData> spans(int count) {
    List<SpanData> spans = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      spans.add(TestSpans.span("dedup-" + i));
    }
    return spans;
  }

  private static ClickHouseDestinations destinations(ClickHouseExporters.Builder settings) {
    ClickHouseSettings built = settings.buildSettings();
    ClickHouseConnection connection =
        new ClickHouseConnection(built.connection(), Duration.ofSeconds(10));
    return new ClickHouseDestinations(
        connection,
        new SchemaManager(connection, built.schema(), true),
        built.spanValues() == SpanValueStyle.LEGACY,
        built.asyncInsert(Profile.DEVELOPMENT),
        false);
  }

  @Test
  void aRecordSentTwiceIsStoredOnceAlsoInTheViewsTables() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    ClickHouseExporters.Builder settings =
        ClickHouseExporters.builder()
            .endpoint(front.endpoint())
            .password(ClickHouseFront.PASSWORD)
            .database("dedup")
            .metricRollups(true);
    byte[] record = destinations(settings).spans(null).encode(spans(25));
    SpoolableDestination<SpanData> first = destinations(settings).spans(null);
    first.sendEncoded(record, "spool-a:1");
    first.sendEncoded(record, "spool-a:1");
    // a new process reading the same spool record after a crash
    destinations(settings).spans(null).sendEncoded(record, "spool-a:1");
    assertThat(front.count("SELECT count() FROM dedup.otel_traces")).isEqualTo(25);
    // another record with the same rows is another insert
    destinations(settings).spans(null).sendEncoded(record, "spool-a:2");
    assertThat(front.count("SELECT count() FROM dedup.otel_traces")).isEqualTo(50);
    assertThat(front.query("SHOW CREATE TABLE dedup.otel_traces_trace_id_ts").get(0).getString(1))
        .contains("non_replicated_deduplication_window = 1000");
    assertThat(front.query("SHOW CREATE TABLE dedup.otel_metrics_sum_1m").get(0).getString(1))
        .contains("non_replicated_deduplication_window = 1000");
  }

  private static List<MetricData> metrics(String prefix) {
    var reader = InMemoryMetricReader.create();
    var provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    var meter = provider.get("dedup");
    meter.counterBuilder(prefix + ".count").build().add(3);
    meter.histogramBuilder(prefix + ".latency").build().record(1.5);
    meter.gaugeBuilder(prefix + ".level").build().set(7);
    List<MetricData> collected = List.copyOf(reader.collectAllMetrics());
    provider.close();
    return collected;
  }

  @Test
  void recordsSentAsOneDeliveryMakeOneInsertPerTableAndAreStoredOnce() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    ClickHouseExporters.Builder settings =
        ClickHouseExporters.builder()
            .endpoint(front.endpoint())
            .password(ClickHouseFront.PASSWORD)
            .database("dedup_combined");
    SpoolableDestination<MetricData> destination = destinations(settings).metrics(null);
    assertThat(destination.combinesRecords()).isTrue();
    List<byte[]> records =
        List.of(
            destination.encode(metrics("a")),
            destination.encode(metrics("b")),
            destination.encode(metrics("c")));
    destination.sendEncoded(records, "spool-c:7");
    // the same delivery again after a crash, from a new process
    destinations(settings).metrics(null).sendEncoded(records, "spool-c:7");
    for (String table :
        List.of("otel_metrics_sum", "otel_metrics_histogram", "otel_metrics_gauge")) {
      assertThat(front.count("SELECT count() FROM dedup_combined." + table)).as(table).isEqualTo(3);
      assertThat(
              front.count(
                  "SELECT count() FROM system.parts WHERE database = 'dedup_combined' AND table = '"
                      + table
                      + "'"))
          .as("one insert into " + table)
          .isEqualTo(1);
    }
  }

  @Test
  void aRetriedBatchOfTheInMemoryPathIsStoredOnce() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    ClickHouseExporters.Builder settings =
        ClickHouseExporters.builder()
            .endpoint(front.endpoint())
            .password(ClickHouseFront.PASSWORD)
            .database("dedup_memory");
    SpoolableDestination<SpanData> destination = destinations(settings).spans(null);
    List<SpanData> batch = spans(10);
    destination.send(batch);
    // the stage retries a batch whose answer was lost (a timeout after the server stored it)
    destination.send(batch);
    destination.finished(batch);
    assertThat(front.count("SELECT count() FROM dedup_memory.otel_traces")).isEqualTo(10);
  }

  @Test
  void existingTablesGetTheDeduplicationWindow() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    front.execute("CREATE DATABASE IF NOT EXISTS dedup_migrated");
    front.execute(
        "CREATE TABLE dedup_migrated.otel_logs (Timestamp DateTime64(9), TimestampTime DateTime DEFAULT"
            + " toDateTime(Timestamp), TraceId String, SpanId String, TraceFlags UInt8, SeverityText LowCardinality(String),"
            + " SeverityNumber UInt8, ServiceName LowCardinality(String), Body String, ResourceSchemaUrl LowCardinality(String),"
            + " ResourceAttributes Map(LowCardinality(String), String), ScopeSchemaUrl LowCardinality(String), ScopeName String,"
            + " ScopeVersion LowCardinality(String), ScopeAttributes Map(LowCardinality(String), String),"
            + " LogAttributes Map(LowCardinality(String), String), EventName String) ENGINE = MergeTree"
            + " PARTITION BY toDate(TimestampTime) ORDER BY (ServiceName, TimestampTime, Timestamp)"
            + " SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1");
    ClickHouseExporters.Builder settings =
        ClickHouseExporters.builder()
            .endpoint(front.endpoint())
            .password(ClickHouseFront.PASSWORD)
            .database("dedup_migrated");
    ClickHouseSettings built = settings.buildSettings();
    ClickHouseConnection connection =
        new ClickHouseConnection(built.connection(), Duration.ofSeconds(10));
    SchemaManager.MigrationReport report =
        new SchemaManager(connection, built.schema(), true).ensure();
    assertThat(report.applied())
        .contains("`dedup_migrated`.`otel_logs`: deduplication window 1000 inserts");
    assertThat(front.query("SHOW CREATE TABLE dedup_migrated.otel_logs").get(0).getString(1))
        .contains("non_replicated_deduplication_window = 1000");
    connection.close();
  }
}
