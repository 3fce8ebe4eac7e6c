package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseDestinations;
import dev.otelretention.exporter.clickhouse.internal.SchemaManager;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.RetentionReport;
import dev.otelretention.exporter.clickhouse.operations.RetentionReport.SourceIngest;
import dev.otelretention.sink.SinkContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;
import io.opentelemetry.sdk.testing.metrics.TestMetricData;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment {@code cluster("telemetry")} makes, run on the engine as the one live host of a
 * one-shard cluster whose second replica is down: the test front runs the {@code ON CLUSTER}
 * statements on the engine alone (it has no Keeper, so {@code Replicated*} engines run as their
 * plain kind) and answers them per host as a server does; the {@code Distributed} tables, the views
 * on the local tables and every read and insert run for real.
 */
class ClusterDeploymentTest {
  private static final String DATABASE = "cluster_run";
  private static final int TRACES = 40;
  private static final int SPANS_PER_TRACE = 3;
  private static final int LOGS = 50;
  private static final int POINTS = 30;
  private static ClickHouseFront front;

  @BeforeAll
  static void exportThroughTheCluster() throws Exception {
    front = ClickHouseFront.get();
    ClickHouseSink sink = (ClickHouseSink) exporters().buildSink();
    Resource resource =
        Resource.create(
            Attributes.of(
                AttributeKey.stringKey("service.name"), "checkout",
                AttributeKey.stringKey("service.instance.id"), "pod-7"));
    long now = System.currentTimeMillis() * 1_000_000L;
    List<SpanData> spans = new ArrayList<>();
    for (int trace = 0; trace < TRACES; trace++) {
      String traceId = String.format(Locale.ROOT, "%032x", 0x5eed0000L + trace);
      for (int span = 0; span < SPANS_PER_TRACE; span++) {
        long start = now - 60_000_000_000L + trace * 1_000_000L + span * 1_000L;
        spans.add(
            TestSpanData.builder()
                .setSpanContext(
                    SpanContext.create(
                        traceId,
                        String.format(Locale.ROOT, "%016x", 1 + trace * 10L + span),
                        TraceFlags.getSampled(),
                        TraceState.getDefault()))
                .setName("step " + span)
                .setKind(SpanKind.INTERNAL)
                .setResource(resource)
                .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("cluster"))
                .setStartEpochNanos(start)
                .setEndEpochNanos(start + 500_000L)
                .setHasEnded(true)
                .setStatus(StatusData.unset())
                .build());
      }
    }
    List<LogRecordData> logs = new ArrayList<>();
    for (int i = 0; i < LOGS; i++) {
      logs.add(
          TestLogRecordData.builder()
              .setResource(resource)
              .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("cluster"))
              .setTimestamp(now - i * 1_000_000L, TimeUnit.NANOSECONDS)
              .setSeverity(Severity.INFO)
              .setBody("line " + i)
              .build());
    }
    List<LongPointData> points = new ArrayList<>();
    for (int i = 0; i < POINTS; i++) {
      long at = now - (POINTS - i) * 10_000_000_000L;
      points.add(LongPointData.create(at - 10_000_000_000L, at, Attributes.empty(), i));
    }
    MetricData gauge =
        TestMetricData.builder()
            .setResource(resource)
            .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("cluster"))
            .setName("queue.depth")
            .setDescription("items waiting")
            .setUnit("1")
            .setLongGaugeData(GaugeData.createLongGaugeData(points))
            .build();

    SpanExporter spanExporter = sink.createSpanExporter(SinkContext.standalone("clickhouse"));
    LogRecordExporter logExporter =
        sink.createLogRecordExporter(SinkContext.standalone("clickhouse"));
    MetricExporter metricExporter = sink.createMetricExporter(SinkContext.standalone("clickhouse"));
    try {
      assertThat(spanExporter.export(spans).join(60, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(logExporter.export(logs).join(60, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(metricExporter.export(List.of(gauge)).join(60, TimeUnit.SECONDS).isSuccess())
          .isTrue();
    } finally {
      spanExporter.shutdown().join(30, TimeUnit.SECONDS);
      logExporter.shutdown().join(30, TimeUnit.SECONDS);
      metricExporter.shutdown().join(30, TimeUnit.SECONDS);
    }
  }

  private static ClickHouseExporters.Builder exporters() {
    return ClickHouseExporters.builder()
        .endpoint(front.endpoint())
        .password(ClickHouseFront.PASSWORD)
        .database(DATABASE)
        .cluster(ClickHouseFront.CLUSTER)
        .metricRollups(true);
  }

  private static long count(String table) {
    return front.count("SELECT count() FROM " + DATABASE + "." + table);
  }

  @Test
  void rowsGoThroughTheDistributedTablesIntoTheLocalOnes() throws Exception {
    assertThat(front.query("SHOW CREATE TABLE " + DATABASE + ".otel_traces").get(0).getString(1))
        .contains(
            "ENGINE = Distributed('telemetry', 'cluster_run', 'otel_traces_local',"
                + " cityHash64(TraceId))");
    assertThat(count("otel_traces_local")).isEqualTo((long) TRACES * SPANS_PER_TRACE);
    assertThat(count("otel_traces")).isEqualTo((long) TRACES * SPANS_PER_TRACE);
    assertThat(count("otel_logs_local")).isEqualTo(LOGS);
    assertThat(count("otel_metrics_gauge_local")).isEqualTo(POINTS);

    List<JsonNode> inserts = new ArrayList<>();
    for (String line : Files.readAllLines(front.requestLog())) {
      JsonNode request = new ObjectMapper().readTree(line);
      if (request.get("insert").asBoolean()
          && request.get("statement").asText().contains("`" + DATABASE + "`")) {
        inserts.add(request);
      }
    }
    assertThat(inserts)
        .hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(
            insert -> {
              assertThat(insert.get("statement").asText()).doesNotContain("_local");
              assertThat(insert.path("settings").path("distributed_foreground_insert").asText())
                  .isEqualTo("1");
            });
  }

  @Test
  void theViewsOnTheLocalTablesFillTheTraceLookupAndTheRollups() {
    assertThat(
            front.count("SELECT uniqExact(TraceId) FROM " + DATABASE + ".otel_traces_trace_id_ts"))
        .as("the lookup, read through its Distributed table")
        .isEqualTo(TRACES);
    String traceId = String.format(Locale.ROOT, "%032x", 0x5eed0000L + 7);
    assertThat(
            front.count(
                "SELECT count() FROM "
                    + DATABASE
                    + ".otel_traces WHERE TraceId = '"
                    + traceId
                    + "' AND Timestamp >= (SELECT min(Start) FROM "
                    + DATABASE
                    + ".otel_traces_trace_id_ts WHERE TraceId = '"
                    + traceId
                    + "')"))
        .as("a trace's spans, found through the lookup")
        .isEqualTo(SPANS_PER_TRACE);
    assertThat(front.count("SELECT sum(Points) FROM " + DATABASE + ".otel_metrics_gauge_1m"))
        .as("every point in the minute rollup, read through its Distributed table")
        .isEqualTo(POINTS);
    assertThat(front.count("SELECT sum(Points) FROM " + DATABASE + ".otel_metrics_gauge_1h"))
        .isEqualTo(POINTS);
  }

  @Test
  void theRetentionReportAndTheSourceReportCountTheWholeCluster() throws Exception {
    try (ClickHouseOperations operations = ClickHouseOperations.connect(exporters())) {
      RetentionReport report = operations.inspection().report(7);
      RetentionReport.TableReport traces =
          report.tables().stream()
              .filter(table -> table.table().equals("otel_traces"))
              .findFirst()
              .orElseThrow();
      assertThat(traces.rows()).isEqualTo((long) TRACES * SPANS_PER_TRACE);
      assertThat(traces.partitions()).isPositive();
      assertThat(operations.inspection().ingestBySource(7, 10))
          .filteredOn(source -> source.table().equals("otel_logs"))
          .extracting(SourceIngest::service, SourceIngest::instance, SourceIngest::rows)
          .containsExactly(tuple("checkout", "pod-7", (long) LOGS));
    }
  }

  @Test
  void aRetriedInsertThroughTheDistributedTableIsStoredOnce() throws Exception {
    ClickHouseExporters.Builder settings = exporters().database("cluster_dedup");
    ClickHouseSettings built = settings.buildSettings();
    List<SpanData> spans = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      spans.add(TestSpans.span("retried-" + i));
    }
    try (ClickHouseConnection connection =
        new ClickHouseConnection(built.connection(), Duration.ofSeconds(10))) {
      ClickHouseDestinations destinations =
          new ClickHouseDestinations(
              connection, new SchemaManager(connection, built.schema(), true), false, false, false);
      byte[] record = destinations.spans(null).encode(spans);
      destinations.spans(null).sendEncoded(record, "spool-c:1");
      destinations.spans(null).sendEncoded(record, "spool-c:1");
    }
    assertThat(front.count("SELECT count() FROM cluster_dedup.otel_traces_local"))
        .as("the token travels with the rows to the shard's table")
        .isEqualTo(25);
    assertThat(front.count("SELECT count() FROM cluster_dedup.otel_traces_trace_id_ts_local"))
        .isEqualTo(1);
  }
}
