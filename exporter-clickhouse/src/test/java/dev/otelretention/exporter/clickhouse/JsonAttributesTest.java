package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.ExportException;
import dev.otelretention.export.SpoolableDestination;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseDestinations;
import dev.otelretention.exporter.clickhouse.internal.SchemaManager;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.RetentionReport;
import dev.otelretention.traces.Trace;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JSON attribute layout end to end on the real engine: spans and log records go into the
 * Collector's JSON tables with typed values, the trace-id view fills, the report reads the tables,
 * and spooled records of either layout go into them.
 */
class JsonAttributesTest {
  private static ClickHouseExporters.Builder builder(String database) throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    return ClickHouseExporters.builder()
        .endpoint(front.endpoint())
        .password(ClickHouseFront.PASSWORD)
        .database(database)
        .configure(EnvironmentConfig.of(Map.of("OTEL_RETENTION_CLICKHOUSE_JSON", "true")));
  }

  private static String one(String sql) throws Exception {
    GenericRecord row = ClickHouseFront.get().query(sql).get(0);
    return row.getString(1);
  }

  @Test
  void spansAndLogsKeepTheirAttributeTypes() throws Exception {
    String database = "json_layout";
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .serviceName("shop")
            .addSink(builder(database).buildSink())
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      Tracer tracer = telemetry.openTelemetry().getTracer("shop");
      Span parent = tracer.spanBuilder("GET /orders/{id}").startSpan();
      parent.setAttribute("http.route", "/orders/{id}");
      parent.setAttribute("http.response.status_code", 200L);
      parent.setAttribute(AttributeKey.stringArrayKey("tags"), List.of("new", "paid"));
      parent.addEvent("cache.miss", Attributes.of(AttributeKey.longKey("cache.size"), 12L));
      parent.end();
      telemetry
          .openTelemetry()
          .getLogsBridge()
          .get("shop")
          .logRecordBuilder()
          .setBody("payment failed")
          .setAttribute(AttributeKey.longKey("order.id"), 42L)
          .setAttribute(AttributeKey.booleanKey("retried"), true)
          .emit();
      assertThat(telemetry.flush(Duration.ofSeconds(30))).isTrue();
    }
    String traces = database + ".otel_traces";
    assertThat(
            one(
                "SELECT type FROM system.columns WHERE database = '"
                    + database
                    + "' AND table = 'otel_traces' AND name = 'SpanAttributes'"))
        .isEqualTo("JSON");
    assertThat(one("SELECT dynamicType(SpanAttributes.http.response.status_code) FROM " + traces))
        .isEqualTo("Int64");
    assertThat(
            ClickHouseFront.get()
                .count(
                    "SELECT count() FROM "
                        + traces
                        + " WHERE SpanAttributes.http.response.status_code = 200"
                        + " AND SpanAttributes.http.route = '/orders/{id}'"
                        + " AND ResourceAttributes.service.name = 'shop'"))
        .isEqualTo(1);
    assertThat(one("SELECT toString(SpanAttributes.tags) FROM " + traces))
        .isEqualTo("['new','paid']");
    assertThat(one("SELECT dynamicType(`Events.Attributes`[1].cache.size) FROM " + traces))
        .isEqualTo("Int64");
    assertThat(
            ClickHouseFront.get()
                .count("SELECT count() FROM " + database + ".otel_traces_trace_id_ts"))
        .as("the trace-id view reads the JSON table")
        .isEqualTo(1);
    String logs = database + ".otel_logs";
    assertThat(one("SELECT dynamicType(LogAttributes.order.id) FROM " + logs)).isEqualTo("Int64");
    assertThat(one("SELECT dynamicType(LogAttributes.retried) FROM " + logs)).isEqualTo("Bool");
    assertThat(one("SELECT Body FROM " + logs)).isEqualTo("payment failed");

    RetentionReport report;
    try (ClickHouseOperations operations =
        ClickHouseOperations.connect(builder(database).buildSettings())) {
      report = operations.inspection().report(7);
    }
    assertThat(report.tables())
        .filteredOn(
            table -> table.table().equals("otel_traces") || table.table().equals("otel_logs"))
        .extracting(RetentionReport.TableReport::rows)
        .containsExactly(1L, 1L);

    // the trace view and the ingest by source read the JSON columns
    String traceId = one("SELECT TraceId FROM " + traces);
    try (ClickHouseOperations operations =
        ClickHouseOperations.connectReadOnly(builder(database).buildSettings())) {
      Trace trace = operations.inspection().trace(traceId).orElseThrow();
      assertThat(trace.spans().get(0).attributes())
          .containsEntry("http.route", "/orders/{id}")
          .containsEntry("http.response.status_code", "200")
          .containsEntry("tags", "[\"new\",\"paid\"]");
      assertThat(operations.inspection().ingestBySource(7, 10))
          .anySatisfy(
              source -> {
                assertThat(source.table()).isEqualTo("otel_traces");
                assertThat(source.service()).isEqualTo("shop");
                assertThat(source.rows()).isEqualTo(1);
              });
    }
  }

  @Test
  void spooledRecordsOfEitherLayoutGoIntoTheJsonTables() throws Exception {
    String database = "json_spooled";
    ClickHouseSettings json = builder(database).buildSettings();
    ClickHouseSettings map =
        builder(database)
            .configure(EnvironmentConfig.of(Map.of("OTEL_RETENTION_CLICKHOUSE_JSON", "false")))
            .createSchema(false)
            .buildSettings();
    List<SpanData> spans =
        List.of(
            TestSpans.span("spooled-1"), TestSpans.span("spooled-2"), TestSpans.span("spooled-3"));
    try (ClickHouseConnection connection =
        new ClickHouseConnection(json.connection(), Duration.ofSeconds(20))) {
      SpoolableDestination<SpanData> jsonDestination =
          new ClickHouseDestinations(
                  connection,
                  new SchemaManager(connection, json.schema(), true),
                  false,
                  false,
                  false)
              .spans(null);
      SpoolableDestination<SpanData> mapDestination =
          new ClickHouseDestinations(
                  connection,
                  new SchemaManager(connection, map.schema(), false),
                  false,
                  false,
                  false)
              .spans(null);
      // a record written before the switch (Map layout) and one written after (JSON layout)
      jsonDestination.sendEncoded(mapDestination.encode(spans), "spool-json:1");
      jsonDestination.sendEncoded(jsonDestination.encode(spans), "spool-json:2");
      // and a JSON record read by an instance still on the Map layout
      mapDestination.sendEncoded(jsonDestination.encode(spans), "spool-json:3");
      assertThat(new SchemaManager(connection, map.schema(), false).ensure().unreconciled())
          .as("a Map writer is told what its string values do to a JSON table")
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("otel_traces")
                      .contains("keeps its attributes in JSON columns")
                      .contains("OTEL_RETENTION_CLICKHOUSE_JSON=true"));
    }
    assertThat(ClickHouseFront.get().count("SELECT count() FROM " + database + ".otel_traces"))
        .isEqualTo(9);
  }

  @Test
  void aRecordWithJsonAttributesCannotGoIntoATableWithMapAttributes() throws Exception {
    String database = "json_into_map";
    ClickHouseSettings map =
        builder(database)
            .configure(EnvironmentConfig.of(Map.of("OTEL_RETENTION_CLICKHOUSE_JSON", "false")))
            .buildSettings();
    ClickHouseSettings json = builder(database).createSchema(false).buildSettings();
    List<SpanData> spans = List.of(TestSpans.span("json-record"));
    try (ClickHouseConnection connection =
        new ClickHouseConnection(map.connection(), Duration.ofSeconds(20))) {
      SpoolableDestination<SpanData> mapDestination =
          new ClickHouseDestinations(
                  connection,
                  new SchemaManager(connection, map.schema(), true),
                  false,
                  false,
                  false)
              .spans(null);
      mapDestination.sendEncoded(mapDestination.encode(spans), "map-table:1");
      byte[] jsonRecord =
          new ClickHouseDestinations(
                  connection,
                  new SchemaManager(connection, json.schema(), false),
                  false,
                  false,
                  false)
              .spans(null)
              .encode(spans);
      assertThatThrownBy(() -> mapDestination.sendEncoded(jsonRecord, "map-table:2"))
          .isInstanceOfSatisfying(
              ExportException.class, error -> assertThat(error.isRetryable()).isFalse())
          .hasMessageContaining("keeps its attributes in Map columns")
          .hasMessageContaining("OTEL_RETENTION_CLICKHOUSE_JSON=false");
    }
    assertThat(ClickHouseFront.get().count("SELECT count() FROM " + database + ".otel_traces"))
        .isEqualTo(1);
  }
}
