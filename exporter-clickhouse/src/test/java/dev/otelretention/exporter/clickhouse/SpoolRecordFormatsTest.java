package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.export.SpoolableDestination;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseDestinations;
import dev.otelretention.exporter.clickhouse.internal.SchemaManager;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Spool records of the ClickHouse sink written by earlier versions still load: {@code
 * spool-formats/clickhouse-spans-v1.bin} (Map attributes) and {@code clickhouse-spans-v2.bin} (JSON
 * attributes) in the test resources are the records a spool held for two spans, each written once
 * (by {@link #main}) and never rewritten. Their parts name their tables by code, so a reordered
 * table list still reads them.
 */
class SpoolRecordFormatsTest {
  private static final String DATABASE = "spool_formats";
  private static final Instant STARTED = Instant.parse("2026-12-05T10:00:00Z");

  private static ClickHouseSettings settings() throws Exception {
    return ClickHouseExporters.builder()
        .endpoint(ClickHouseFront.get().endpoint())
        .password(ClickHouseFront.PASSWORD)
        .database(DATABASE)
        .tracesTtl(Duration.ZERO)
        .buildSettings();
  }

  static List<SpanData> spans() {
    Resource resource =
        Resource.getDefault().merge(Resource.builder().put("service.name", "spooled").build());
    long start = STARTED.getEpochSecond() * 1_000_000_000L;
    return List.of(
        TestSpanData.builder()
            .setSpanContext(
                SpanContext.create(
                    "0af7651916cd43dd8448eb211c80319c",
                    "b7ad6b7169203331",
                    TraceFlags.getSampled(),
                    TraceState.getDefault()))
            .setName("GET /cart")
            .setKind(SpanKind.SERVER)
            .setResource(resource)
            .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("shop"))
            .setAttributes(Attributes.of(AttributeKey.longKey("http.response.status_code"), 200L))
            .setStartEpochNanos(start)
            .setEndEpochNanos(start + 2_500_000)
            .setHasEnded(true)
            .setStatus(StatusData.ok())
            .build(),
        TestSpanData.builder()
            .setSpanContext(
                SpanContext.create(
                    "0af7651916cd43dd8448eb211c80319c",
                    "00f067aa0ba902b7",
                    TraceFlags.getSampled(),
                    TraceState.getDefault()))
            .setParentSpanContext(
                SpanContext.create(
                    "0af7651916cd43dd8448eb211c80319c",
                    "b7ad6b7169203331",
                    TraceFlags.getSampled(),
                    TraceState.getDefault()))
            .setName("SELECT cart")
            .setKind(SpanKind.CLIENT)
            .setResource(resource)
            .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("jdbc"))
            .setStartEpochNanos(start + 500_000)
            .setEndEpochNanos(start + 1_500_000)
            .setHasEnded(true)
            .setStatus(StatusData.unset())
            .build());
  }

  @Test
  void aSpanRecordOfTheFirstFormatLoadsAsTheSpansItHeld() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    front.execute("DROP DATABASE IF EXISTS " + DATABASE + " SYNC");
    byte[] record =
        Files.readAllBytes(Path.of("src/test/resources/spool-formats/clickhouse-spans-v1.bin"));
    ClickHouseSettings settings = settings();
    try (ClickHouseConnection connection =
        new ClickHouseConnection(settings.connection(), Duration.ofSeconds(60))) {
      SchemaManager schema = new SchemaManager(connection, settings.schema(), true);
      SpoolableDestination<SpanData> spans =
          new ClickHouseDestinations(connection, schema, false, false, false).spans(null);
      spans.sendEncoded(record, "fixture-token");
    }
    List<GenericRecord> rows =
        front.query(
            "SELECT SpanName, SpanKind, ServiceName, SpanId, ParentSpanId, Duration, StatusCode,"
                + " SpanAttributes['http.response.status_code'] AS status FROM "
                + DATABASE
                + ".otel_traces ORDER BY SpanName");
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).getString("SpanName")).isEqualTo("GET /cart");
    assertThat(rows.get(0).getString("SpanKind")).isEqualTo("Server");
    assertThat(rows.get(0).getString("ServiceName")).isEqualTo("spooled");
    assertThat(rows.get(0).getLong("Duration")).isEqualTo(2_500_000);
    assertThat(rows.get(0).getString("StatusCode")).isEqualTo("Ok");
    assertThat(rows.get(0).getString("status")).isEqualTo("200");
    assertThat(rows.get(1).getString("SpanName")).isEqualTo("SELECT cart");
    assertThat(rows.get(1).getString("ParentSpanId")).isEqualTo("b7ad6b7169203331");
    assertThat(
            front.count(
                "SELECT count() FROM "
                    + DATABASE
                    + ".otel_traces_trace_id_ts WHERE TraceId = '0af7651916cd43dd8448eb211c80319c'"))
        .as("the trace-id lookup filled by the traces table's view")
        .isEqualTo(1);
  }

  @Test
  void aSpanRecordWithJsonAttributesLoadsWithTypedValues() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    String database = DATABASE + "_json";
    front.execute("DROP DATABASE IF EXISTS " + database + " SYNC");
    byte[] record =
        Files.readAllBytes(Path.of("src/test/resources/spool-formats/clickhouse-spans-v2.bin"));
    ClickHouseSettings settings =
        ClickHouseExporters.builder()
            .endpoint(front.endpoint())
            .password(ClickHouseFront.PASSWORD)
            .database(database)
            .jsonAttributes(true)
            .buildSettings();
    try (ClickHouseConnection connection =
        new ClickHouseConnection(settings.connection(), Duration.ofSeconds(60))) {
      SchemaManager schema = new SchemaManager(connection, settings.schema(), true);
      new ClickHouseDestinations(connection, schema, false, false, false)
          .spans(null)
          .sendEncoded(record, "fixture-token-json");
    }
    List<GenericRecord> rows =
        front.query(
            "SELECT SpanName, ServiceName, toString(SpanAttributes.http.response.status_code) AS"
                + " status, dynamicType(SpanAttributes.http.response.status_code) AS type FROM "
                + database
                + ".otel_traces ORDER BY SpanName");
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).getString("SpanName")).isEqualTo("GET /cart");
    assertThat(rows.get(0).getString("ServiceName")).isEqualTo("spooled");
    assertThat(rows.get(0).getString("status")).isEqualTo("200");
    assertThat(rows.get(0).getString("type")).isEqualTo("Int64");
  }

  /**
   * Writes the fixtures of the current record formats into {@code args[0]}: format 1 (Map
   * attributes) and format 2 (JSON attributes); each was written once and is never rewritten.
   */
  public static void main(String[] args) throws Exception {
    for (boolean json : new boolean[] {false, true}) {
      ClickHouseSettings settings =
          ClickHouseExporters.builder()
              .endpoint("http://127.0.0.1:1")
              .jsonAttributes(json)
              .buildSettings();
      try (ClickHouseConnection connection =
          new ClickHouseConnection(settings.connection(), Duration.ofSeconds(1))) {
        SpoolableDestination<SpanData> spans =
            new ClickHouseDestinations(
                    connection,
                    new SchemaManager(connection, settings.schema(), false),
                    false,
                    false,
                    false)
                .spans(null);
        Files.write(
            Path.of(args[0], json ? "clickhouse-spans-v2.bin" : "clickhouse-spans-v1.bin"),
            spans.encode(spans()));
      }
    }
  }
}
