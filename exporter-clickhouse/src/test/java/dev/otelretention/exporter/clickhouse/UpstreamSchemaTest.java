package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.exporter.clickhouse.internal.schema.Identifiers;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the ClickHouse tables against the OpenTelemetry Collector's own DDL text (test resources
 * under {@code upstream/clickhouseexporter}, byte for byte as upstream has them): tables created
 * from that text take this exporter's rows, the tables this exporter creates are the same as the
 * ones that text creates, and tables of older Collector layouts keep taking rows.
 */
class UpstreamSchemaTest {
  private static final Pattern TEMPLATE_BRANCH =
      Pattern.compile(
          "\\{\\{- if \\.HasFullTextSearch}}(.*?)\\{\\{- else}}(.*?)\\{\\{- end}}", Pattern.DOTALL);

  private static ClickHouseFront front;

  @BeforeAll
  static void startFront() throws Exception {
    front = ClickHouseFront.get();
  }

  /** An upstream template rendered the way the Collector renders it: MergeTree, no cluster. */
  static String render(String file, String database, String table, boolean textIndexes)
      throws IOException {
    String text = upstream(file);
    Matcher branch = TEMPLATE_BRANCH.matcher(text);
    if (branch.find()) {
      text =
          branch.replaceFirst(
              Matcher.quoteReplacement(textIndexes ? branch.group(1) : branch.group(2)));
    }
    String engine = file.startsWith("traces_id_ts") ? "AggregatingMergeTree()" : "MergeTree()";
    if (text.contains("{{")) {
      return text.replace(
              "{{ident .Database}}.{{ident .TableName}}", Identifiers.qualified(database, table))
          .replace("{{.ClusterString}}", "")
          .replace("{{.Engine}}", engine)
          .replace("{{.TTL}}", "");
    }
    if (file.startsWith("traces_id_ts_lookup_mv")) {
      return text.formatted(database, table, "", database, table, database, table);
    }
    if (file.startsWith("traces_table_before_scope")) {
      return text.replaceFirst(";\\s*$", "").formatted(Identifiers.qualified(database, table), "");
    }
    String quotedName = "\"" + database + "\".\"" + table + "\"";
    return text.replace("\"%s\".\"%s\"", quotedName).formatted("", engine, "");
  }

  private static String upstream(String file) throws IOException {
    try (InputStream in =
        UpstreamSchemaTest.class.getResourceAsStream("/upstream/clickhouseexporter/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void createNewestUpstreamTables(String database, boolean textIndexes)
      throws Exception {
    front.execute("CREATE DATABASE IF NOT EXISTS " + database);
    front.execute(render("traces_table.sql", database, "otel_traces", textIndexes));
    front.execute(
        render("traces_id_ts_lookup_table.sql", database, "otel_traces_trace_id_ts", textIndexes));
    front.execute(render("logs_table.sql", database, "otel_logs", textIndexes));
    createMetricTables(database);
    front.execute(render("traces_id_ts_lookup_mv.sql", database, "otel_traces", textIndexes));
  }

  private static void createMetricTables(String database) throws Exception {
    front.execute(render("metrics_gauge_table.sql", database, "otel_metrics_gauge", false));
    front.execute(render("metrics_sum_table.sql", database, "otel_metrics_sum", false));
    front.execute(render("metrics_histogram_table.sql", database, "otel_metrics_histogram", false));
    front.execute(
        render(
            "metrics_exp_histogram_table.sql",
            database,
            "otel_metrics_exponential_histogram",
            false));
    front.execute(render("metrics_summary_table.sql", database, "otel_metrics_summary", false));
  }

  private static TelemetryRetention telemetry(ClickHouseSink sink) {
    return TelemetryRetention.builder()
        .config(EnvironmentConfig.of(Map.of()))
        .serviceName("upstream-schema")
        .resourceAttribute("k8s.pod.name", "pod-7")
        .addSink(sink)
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

  private static ClickHouseSink sink(String database, boolean createSchema) {
    return (ClickHouseSink)
        ClickHouseExporters.builder()
            .endpoint(front.endpoint())
            .password(ClickHouseFront.PASSWORD)
            .database(database)
            .createSchema(createSchema)
            .buildSink();
  }

  /** Sends one server span, one log and one point of a gauge and of a counter; all must arrive. */
  private static void send(TelemetryRetention telemetry) {
    Span span =
        telemetry
            .openTelemetry()
            .getTracer("upstream")
            .spanBuilder("GET /orders")
            .setSpanKind(SpanKind.SERVER)
            .setAttribute("http.route", "/orders")
            .startSpan();
    span.end();
    telemetry
        .openTelemetry()
        .getLogsBridge()
        .get("upstream")
        .logRecordBuilder()
        .setBody("Order Accepted")
        .setAttribute(AttributeKey.stringKey("order.id"), "o-1")
        .emit();
    var meter = telemetry.openTelemetry().getMeter("upstream");
    meter.counterBuilder("orders.accepted").build().add(3, Attributes.empty());
    meter.histogramBuilder("order.size").build().record(2.0, Attributes.empty());
    meter
        .gaugeBuilder("queue.depth")
        .buildWithCallback(measurement -> measurement.record(5.0, Attributes.empty()));
    assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    for (SinkHealth health : telemetry.health().sinks()) {
      assertThat(health.dropped()).as(health.signal() + " dropped").isZero();
    }
  }

  @Test
  void tablesCreatedFromTheCollectorsNewestDdlTakeOurRows() throws Exception {
    for (boolean textIndexes : new boolean[] {true, false}) {
      String database = textIndexes ? "upstream_text" : "upstream_bloom";
      createNewestUpstreamTables(database, textIndexes);
      ClickHouseSink sink = sink(database, false);
      try (TelemetryRetention telemetry = telemetry(sink)) {
        send(telemetry);
        assertThat(sink.migrationSummary())
            .doesNotContain("older layout")
            .contains("serverVersion=26.7");
      }
      GenericRecord span =
          front
              .query(
                  "SELECT SpanKind, StatusCode, ScopeName, has(SpanAttributeItems, 'http.route=/orders') AS found"
                      + " FROM "
                      + database
                      + ".otel_traces")
              .get(0);
      assertThat(span.getString("SpanKind")).isEqualTo("Server");
      assertThat(span.getString("StatusCode")).isEqualTo("Unset");
      assertThat(span.getString("ScopeName")).isEqualTo("upstream");
      assertThat(span.getBoolean("found")).isTrue();
      GenericRecord log =
          front
              .query(
                  "SELECT Body, `__otel_materialized_k8s.pod.name` AS pod, LogAttributes['order.id'] AS id"
                      + " FROM "
                      + database
                      + ".otel_logs WHERE hasToken(lower(Body), 'accepted')")
              .get(0);
      assertThat(log.getString("pod")).isEqualTo("pod-7");
      assertThat(log.getString("id")).isEqualTo("o-1");
      assertThat(
              front.count(
                  "SELECT count() FROM "
                      + database
                      + ".otel_metrics_sum WHERE MetricName = 'orders.accepted' AND Value = 3"))
          .isPositive();
      assertThat(
              front.count(
                  "SELECT count() FROM "
                      + database
                      + ".otel_metrics_gauge WHERE MetricName = 'queue.depth' AND Value = 5"))
          .isPositive();
      assertThat(
              front.count(
                  "SELECT count() FROM "
                      + database
                      + ".otel_metrics_histogram WHERE MetricName = 'order.size' AND Sum = 2"))
          .isPositive();
      assertThat(
              front.count(
                  "SELECT count() FROM "
                      + database
                      + ".otel_traces_trace_id_ts FINAL WHERE TraceId = (SELECT any(TraceId) FROM "
                      + database
                      + ".otel_traces)"))
          .as("the Collector's view fills the trace-id lookup")
          .isEqualTo(1);
    }
  }

  @Test
  void theTablesWeCreateAreTheOnesTheCollectorsNewestDdlCreates() throws Exception {
    for (boolean textIndexes : new boolean[] {true, false}) {
      String theirs = textIndexes ? "layout_theirs_text" : "layout_theirs_bloom";
      String ours = textIndexes ? "layout_ours_text" : "layout_ours_bloom";
      createNewestUpstreamTables(theirs, textIndexes);
      Schema schema =
          ClickHouseExporters.builder()
              .database(ours)
              .tracesTtl(Duration.ZERO)
              .logsTtl(Duration.ZERO)
              .metricsTtl(Duration.ZERO)
              .schema();
      front.execute(schema.createDatabase());
      for (String statement : schema.createStatements(textIndexes)) {
        front.execute(statement);
      }
      for (String table :
          List.of(
              "otel_traces",
              "otel_traces_trace_id_ts",
              "otel_logs",
              "otel_metrics_gauge",
              "otel_metrics_sum",
              "otel_metrics_histogram",
              "otel_metrics_exponential_histogram",
              "otel_metrics_summary")) {
        List<String> expected = new ArrayList<>(describe(theirs, table));
        if (table.equals("otel_logs")) {
          // the one deliberate difference: a computed TimestampTime for Grafana's OTel 1.2.9 mode
          expected.add(1, "column TimestampTime DateTime ALIAS toDateTime(Timestamp) ");
        }
        assertThat(describe(ours, table)).as(table).isEqualTo(expected);
      }
      assertThat(viewQuery(ours)).isEqualTo(viewQuery(theirs));
    }
  }

  @Test
  void theJsonTablesWeCreateAreTheOnesTheCollectorsJsonDdlCreates() throws Exception {
    front.execute("CREATE DATABASE IF NOT EXISTS json_theirs");
    front.execute(render("traces_json_table.sql", "json_theirs", "otel_traces", false));
    front.execute(render("logs_json_table.sql", "json_theirs", "otel_logs", false));
    Schema schema =
        ClickHouseExporters.builder()
            .database("json_ours")
            .jsonAttributes(true)
            .tracesTtl(Duration.ZERO)
            .logsTtl(Duration.ZERO)
            .metricsTtl(Duration.ZERO)
            .schema();
    front.execute(schema.createDatabase());
    for (String statement : schema.createStatements(true)) {
      front.execute(statement);
    }
    assertThat(describe("json_ours", "otel_traces"))
        .isEqualTo(describe("json_theirs", "otel_traces"));
    List<String> logs = new ArrayList<>(describe("json_theirs", "otel_logs"));
    // as in the Map layout: a computed TimestampTime for Grafana's OTel 1.2.9 mode
    logs.add(1, "column TimestampTime DateTime ALIAS toDateTime(Timestamp) ");
    assertThat(describe("json_ours", "otel_logs")).isEqualTo(logs);
    // the metric tables keep the Map layout, as the Collector's JSON layout has none of its own
    assertThat(
            front
                .query(
                    "SELECT type FROM system.columns WHERE database = 'json_ours'"
                        + " AND table = 'otel_metrics_sum' AND name = 'Attributes'")
                .get(0)
                .getString("type"))
        .isEqualTo("Map(LowCardinality(String), String)");
  }

  /**
   * What makes two tables the same to a writer and a reader: columns with their types, defaults and
   * codecs, skip indexes, partition, primary and sorting keys.
   */
  private static List<String> describe(String database, String table) {
    List<String> lines = new ArrayList<>();
    String where = " WHERE database = '" + database + "' AND table = '" + table + "'";
    for (GenericRecord column :
        front.query(
            "SELECT name, type, default_kind, default_expression, compression_codec"
                + " FROM system.columns"
                + where
                + " ORDER BY position")) {
      lines.add(
          "column "
              + column.getString("name")
              + " "
              + column.getString("type")
              + " "
              + column.getString("default_kind")
              + " "
              + column.getString("default_expression")
              + " "
              + column.getString("compression_codec"));
    }
    for (GenericRecord index :
        front.query(
            "SELECT name, type_full, expr, granularity FROM system.data_skipping_indices"
                + where
                + " ORDER BY name")) {
      lines.add(
          "index "
              + index.getString("name")
              + " "
              + index.getString("type_full")
              + " "
              + index.getString("expr")
              + " "
              + index.getString("granularity"));
    }
    GenericRecord keys =
        front
            .query(
                "SELECT partition_key, sorting_key, primary_key FROM system.tables WHERE database = '"
                    + database
                    + "' AND name = '"
                    + table
                    + "'")
            .get(0);
    lines.add("partition " + keys.getString("partition_key"));
    lines.add("sorting " + keys.getString("sorting_key"));
    lines.add("primary " + keys.getString("primary_key"));
    return lines;
  }

  /** The trace-id view's query, with the database name taken out. */
  private static String viewQuery(String database) {
    return front
        .query(
            "SELECT as_select FROM system.tables WHERE database = '"
                + database
                + "' AND name = 'otel_traces_trace_id_ts_mv'")
        .get(0)
        .getString("as_select")
        .replace(database, "<database>");
  }

  @Test
  void olderCollectorLayoutsKeepTakingOurRows() throws Exception {
    String database = "upstream_older";
    front.execute("CREATE DATABASE IF NOT EXISTS " + database);
    front.execute(render("traces_table_before_scope.sql", database, "otel_traces", false));
    front.execute(render("logs_table_before_event_name.sql", database, "otel_logs", false));
    createMetricTables(database);
    ClickHouseSink sink = sink(database, false);
    try (TelemetryRetention telemetry = telemetry(sink)) {
      Span span =
          telemetry
              .openTelemetry()
              .getTracer("upstream")
              .spanBuilder("old-layout")
              .setSpanKind(SpanKind.CLIENT)
              .setStartTimestamp(1_000, java.util.concurrent.TimeUnit.MILLISECONDS)
              .startSpan();
      span.end(1_250, java.util.concurrent.TimeUnit.MILLISECONDS);
      telemetry
          .openTelemetry()
          .getLogsBridge()
          .get("upstream")
          .logRecordBuilder()
          .setBody("into the old logs table")
          .emit();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      for (SinkHealth health : telemetry.health().sinks()) {
        assertThat(health.dropped()).as(health.signal() + " dropped").isZero();
      }
      assertThat(sink.migrationSummary())
          .contains(
              "`upstream_older`.`otel_traces` is an older layout without ScopeName, ScopeVersion")
          .contains("`upstream_older`.`otel_logs` is an older layout without EventName");
    }
    GenericRecord span =
        front.query("SELECT SpanKind, Duration FROM upstream_older.otel_traces").get(0);
    assertThat(span.getString("SpanKind")).isEqualTo("Client");
    assertThat(span.getLong("Duration")).isEqualTo(250_000_000L);
    assertThat(
            front
                .query(
                    "SELECT Body, TimestampTime = toDateTime(Timestamp) AS derived FROM upstream_older.otel_logs")
                .get(0)
                .getBoolean("derived"))
        .isTrue();
  }

  @Test
  void anOlderLogsTableKeepsItsEquivalentTtl() throws Exception {
    String database = "upstream_older_ttl";
    front.execute("CREATE DATABASE IF NOT EXISTS " + database);
    String ddl =
        render("logs_table_before_event_name.sql", database, "otel_logs", false)
            .replace(
                "\n    \n    SETTINGS",
                "\n    TTL TimestampTime + toIntervalDay(30)\n    SETTINGS");
    assertThat(ddl).contains("TTL TimestampTime + toIntervalDay(30)");
    front.execute(ddl);
    ClickHouseSink sink = sink(database, true);
    try (TelemetryRetention telemetry = telemetry(sink)) {
      telemetry
          .openTelemetry()
          .getLogsBridge()
          .get("upstream")
          .logRecordBuilder()
          .setBody("kept for 30 days either way")
          .emit();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      assertThat(sink.migrationSummary())
          .contains("added column EventName")
          .doesNotContain("otel_logs`: TTL");
    }
    assertThat(front.query("SHOW CREATE TABLE upstream_older_ttl.otel_logs").get(0).getString(1))
        .contains("TTL TimestampTime + toIntervalDay(30)");
    assertThat(front.count("SELECT count() FROM upstream_older_ttl.otel_logs WHERE EventName = ''"))
        .isEqualTo(1);
  }
}
