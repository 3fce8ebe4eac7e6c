package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters.SpanValueStyle;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Everything against the real ClickHouse engine, through the HTTP front and the official client.
 */
class ClickHouseExportTest {
  private static ClickHouseFront front;

  @BeforeAll
  static void startFront() throws Exception {
    front = ClickHouseFront.get();
  }

  private static String newDatabase() {
    return "otel_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private static TelemetryRetention telemetry(ClickHouseExporters.Builder exporters) {
    return TelemetryRetention.builder()
        .config(EnvironmentConfig.of(Map.of()))
        .serviceName("checkout")
        .addSink(exporters.buildSink())
        .batchTimeout(Duration.ofMillis(50))
        .retryPolicy(
            RetryPolicy.builder()
                .initialInterval(Duration.ofMillis(100))
                .maxInterval(Duration.ofMillis(500))
                .maxElapsedTime(Duration.ofSeconds(20))
                .build())
        .closeOnJvmShutdown(false)
        .build();
  }

  private static ClickHouseExporters.Builder exporters(String database) {
    return ClickHouseExporters.builder()
        .endpoint(front.endpoint())
        .password(ClickHouseFront.PASSWORD)
        .database(database);
  }

  @Test
  void legacySpanValuesKeepTheCollectorsEarlierStrings() throws Exception {
    String db = newDatabase();
    try (TelemetryRetention telemetry =
        telemetry(exporters(db).spanValues(SpanValueStyle.LEGACY))) {
      Tracer tracer = telemetry.openTelemetry().getTracerProvider().tracerBuilder("shop").build();
      Span span = tracer.spanBuilder("GET /orders").setSpanKind(SpanKind.SERVER).startSpan();
      span.setStatus(StatusCode.ERROR);
      span.end();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    GenericRecord row =
        front
            .query(
                "SELECT SpanKind, StatusCode, SpanAttributes['otel.scope.name'] AS scope FROM "
                    + db
                    + ".otel_traces")
            .get(0);
    assertThat(row.getString("SpanKind")).isEqualTo("SPAN_KIND_SERVER");
    assertThat(row.getString("StatusCode")).isEqualTo("STATUS_CODE_ERROR");
    assertThat(row.getString("scope")).isEqualTo("shop");
    assertThat(
            ClickHouseExporters.builder()
                .configure(EnvironmentConfig.of(Map.of("p.span-values", "legacy")), "p.")
                .endpoint("http://127.0.0.1:1")
                .buildSettings()
                .spanValues())
        .isEqualTo(SpanValueStyle.LEGACY);
  }

  @Test
  void spansRoundTripWithTheCollectorEncoding() throws Exception {
    String db = newDatabase();
    String traceId;
    String parentId;
    try (TelemetryRetention telemetry = telemetry(exporters(db))) {
      Tracer tracer =
          telemetry
              .openTelemetry()
              .getTracerProvider()
              .tracerBuilder("shop")
              .setInstrumentationVersion("1.2")
              .build();
      Span parent =
          tracer
              .spanBuilder("GET /orders")
              .setSpanKind(SpanKind.SERVER)
              .setAttribute("http.response.status_code", 200L)
              .setAttribute("z.last", "z")
              .setAttribute("a.first", true)
              .setAttribute("ratio", 0.25)
              .setAttribute(AttributeKey.stringArrayKey("tags"), List.of("x", "y"))
              .startSpan();
      traceId = parent.getSpanContext().getTraceId();
      parentId = parent.getSpanContext().getSpanId();
      try (Scope ignored = parent.makeCurrent()) {
        Span child = tracer.spanBuilder("charge").setSpanKind(SpanKind.CLIENT).startSpan();
        child.addEvent("retry", Attributes.of(AttributeKey.longKey("attempt"), 2L));
        child.setStatus(StatusCode.ERROR, "declined");
        child.end();
      }
      parent.end();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    List<GenericRecord> rows =
        front.query(
            "SELECT SpanName, SpanKind, ServiceName, ParentSpanId, StatusCode, StatusMessage, ScopeName, ScopeVersion, "
                + "toString(SpanAttributes) AS attrs, length(Events.Name) AS events, Events.Name[1] AS event, "
                + "toString(Events.Attributes[1]) AS eventAttrs, Duration, TraceId FROM "
                + db
                + ".otel_traces ORDER BY SpanName");
    assertThat(rows).hasSize(2);
    GenericRecord get = rows.get(0);
    GenericRecord charge = rows.get(1);
    assertThat(charge.getString("SpanName")).isEqualTo("charge");
    assertThat(charge.getString("SpanKind")).isEqualTo("Client");
    assertThat(charge.getString("StatusCode")).isEqualTo("Error");
    assertThat(charge.getString("StatusMessage")).isEqualTo("declined");
    assertThat(charge.getString("ParentSpanId")).isEqualTo(parentId);
    assertThat(charge.getString("TraceId")).isEqualTo(traceId);
    assertThat(charge.getString("event")).isEqualTo("retry");
    assertThat(charge.getString("eventAttrs")).isEqualTo("{'attempt':'2'}");
    assertThat(get.getString("SpanKind")).isEqualTo("Server");
    assertThat(get.getString("StatusCode")).isEqualTo("Unset");
    assertThat(get.getString("ServiceName")).isEqualTo("checkout");
    assertThat(get.getString("ScopeName")).isEqualTo("shop");
    assertThat(get.getString("ScopeVersion")).isEqualTo("1.2");
    assertThat(get.getString("attrs"))
        .isEqualTo(
            "{'a.first':'true','http.response.status_code':'200',"
                + "'ratio':'0.25','tags':'[\"x\",\"y\"]','z.last':'z'}");
    assertThat(get.getLong("Duration")).isPositive();
    assertThat(
            front.count(
                "SELECT count() FROM "
                    + db
                    + ".otel_traces_trace_id_ts WHERE TraceId = '"
                    + traceId
                    + "'"))
        .isEqualTo(1);
  }

  @Test
  void logsAndEveryMetricTypeRoundTrip() throws Exception {
    String db = newDatabase();
    try (TelemetryRetention telemetry = telemetry(exporters(db))) {
      var otel = telemetry.openTelemetry();
      otel.getLogsBridge()
          .get("app")
          .logRecordBuilder()
          .setSeverity(Severity.WARN)
          .setSeverityText("WARN")
          .setBody("disk almost full")
          .setAttribute("disk", "/var")
          .setEventName("disk.warning")
          .emit();
      Meter meter = otel.getMeter("m");
      meter
          .counterBuilder("requests")
          .build()
          .add(5, Attributes.of(AttributeKey.stringKey("route"), "/a"));
      meter.upDownCounterBuilder("active").ofDoubles().build().add(-1.5);
      meter.gaugeBuilder("temperature").build().set(21.5);
      meter.histogramBuilder("latency").build().record(0.3);
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    GenericRecord log =
        front
            .query(
                "SELECT Body, SeverityText, SeverityNumber, ServiceName, toString(LogAttributes) AS attrs, "
                    + "EventName FROM "
                    + db
                    + ".otel_logs")
            .get(0);
    assertThat(log.getString("Body")).isEqualTo("disk almost full");
    assertThat(log.getString("SeverityText")).isEqualTo("WARN");
    assertThat(log.getLong("SeverityNumber")).isEqualTo(13);
    assertThat(log.getString("attrs")).isEqualTo("{'disk':'/var'}");
    assertThat(log.getString("EventName")).isEqualTo("disk.warning");
    assertThat(
            front
                .query(
                    "SELECT Value, IsMonotonic, AggregationTemporality, toString(Attributes) AS a FROM "
                        + db
                        + ".otel_metrics_sum WHERE MetricName = 'requests' ORDER BY TimeUnix DESC LIMIT 1")
                .get(0)
                .getString("a"))
        .isEqualTo("{'route':'/a'}");
    GenericRecord requests =
        front
            .query(
                "SELECT Value, IsMonotonic, AggregationTemporality FROM "
                    + db
                    + ".otel_metrics_sum WHERE MetricName = 'requests' ORDER BY TimeUnix DESC LIMIT 1")
            .get(0);
    assertThat(requests.getDouble("Value")).isEqualTo(5.0);
    assertThat(requests.getBoolean("IsMonotonic")).isTrue();
    assertThat(requests.getLong("AggregationTemporality")).isEqualTo(2);
    assertThat(
            front
                .query(
                    "SELECT Value FROM "
                        + db
                        + ".otel_metrics_sum WHERE MetricName = 'active' ORDER BY TimeUnix DESC LIMIT 1")
                .get(0)
                .getDouble("Value"))
        .isEqualTo(-1.5);
    assertThat(
            front
                .query(
                    "SELECT Value FROM "
                        + db
                        + ".otel_metrics_gauge WHERE MetricName = 'temperature' LIMIT 1")
                .get(0)
                .getDouble("Value"))
        .isEqualTo(21.5);
    GenericRecord latency =
        front
            .query(
                "SELECT Count, Sum, length(BucketCounts) AS buckets, Min, Max FROM "
                    + db
                    + ".otel_metrics_histogram WHERE MetricName = 'latency' ORDER BY TimeUnix DESC LIMIT 1")
            .get(0);
    assertThat(latency.getLong("Count")).isEqualTo(1);
    assertThat(latency.getDouble("Sum")).isEqualTo(0.3);
    assertThat(latency.getLong("buckets")).isEqualTo(16);
    assertThat(
            front.count(
                "SELECT count() FROM "
                    + db
                    + ".otel_metrics_sum WHERE MetricName = 'otel.sdk.exporter.span.exported'"))
        .isPositive();
  }

  @Test
  void rowsOlderThanTheTtlDisappearAfterOptimize() throws Exception {
    String db = newDatabase();
    try (TelemetryRetention telemetry = telemetry(exporters(db).tracesTtl(Duration.ofDays(7)))) {
      Tracer tracer = telemetry.openTelemetry().getTracer("ttl");
      Instant now = Instant.now();
      tracer
          .spanBuilder("old")
          .setStartTimestamp(now.minus(Duration.ofDays(10)))
          .startSpan()
          .end(now.minus(Duration.ofDays(10)));
      tracer
          .spanBuilder("recent")
          .setStartTimestamp(now.minus(Duration.ofDays(1)))
          .startSpan()
          .end(now.minus(Duration.ofDays(1)));
      tracer.spanBuilder("new").startSpan().end();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    front.execute("OPTIMIZE TABLE " + db + ".otel_traces FINAL");
    assertThat(front.query("SELECT SpanName FROM " + db + ".otel_traces ORDER BY SpanName"))
        .extracting(r -> r.getString("SpanName"))
        .containsExactly("new", "recent");
    assertThat(front.query("SHOW CREATE TABLE " + db + ".otel_traces").get(0).getString(1))
        .contains("TTL toDateTime(Timestamp) + toIntervalDay(7)")
        .contains("ttl_only_drop_parts = 1");
  }

  @Test
  void aChangedTtlIsMigratedOnStart() throws Exception {
    String db = newDatabase();
    try (TelemetryRetention telemetry =
        telemetry(exporters(db).tracesTtl(Duration.ofDays(7)).logsTtl(Duration.ofHours(36)))) {
      telemetry.openTelemetry().getTracer("m").spanBuilder("first").startSpan().end();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(front.query("SHOW CREATE TABLE " + db + ".otel_logs").get(0).getString(1))
        .contains("TTL toDateTime(Timestamp) + toIntervalHour(36)");
    ClickHouseSink sink =
        (ClickHouseSink)
            exporters(db).tracesTtl(Duration.ofDays(30)).logsTtl(Duration.ZERO).buildSink();
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(sink)
            .batchTimeout(Duration.ofMillis(50))
            .closeOnJvmShutdown(false)
            .build()) {
      telemetry.openTelemetry().getTracer("m").spanBuilder("second").startSpan().end();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      assertThat(sink.migrationSummary())
          .contains(
              "TTL toDateTime(Timestamp) + toIntervalDay(7) -> toDateTime(Timestamp) + toIntervalDay(30)")
          .contains("removed TTL");
    }
    String traces = front.query("SHOW CREATE TABLE " + db + ".otel_traces").get(0).getString(1);
    assertThat(traces).contains("toIntervalDay(30)").doesNotContain("toIntervalDay(7)");
    assertThat(front.query("SHOW CREATE TABLE " + db + ".otel_logs").get(0).getString(1))
        .doesNotContain("TTL");
    assertThat(front.count("SELECT count() FROM " + db + ".otel_traces")).isEqualTo(2);
  }

  @Test
  void anUnreachableServerIsReportedWithTheCause() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (TelemetryRetention telemetry =
        telemetry(
            ClickHouseExporters.builder()
                .endpoint("http://127.0.0.1:" + closedPort)
                .password(ClickHouseFront.PASSWORD)
                .database(newDatabase()))) {
      telemetry.openTelemetry().getTracer("a").spanBuilder("unsent").startSpan().end();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      String lastError = null;
      while (lastError == null && System.nanoTime() < deadline) {
        Thread.sleep(20);
        lastError =
            telemetry.health().sinks().stream()
                .filter(s -> s.signal() == Signal.TRACES)
                .findFirst()
                .orElseThrow()
                .lastError();
      }
      assertThat(lastError)
          .contains("(cause: HttpHostConnectException: ")
          .endsWith("Connection refused)");
    }
  }

  @Test
  void aWrongPasswordIsANonRetryableCountedFailure() {
    String db = newDatabase();
    try (TelemetryRetention telemetry =
        telemetry(
            ClickHouseExporters.builder()
                .endpoint(front.endpoint())
                .password("wrong-password")
                .database(db))) {
      telemetry.openTelemetry().getTracer("a").spanBuilder("denied").startSpan().end();
      telemetry.flush(Duration.ofSeconds(20));
      var traces =
          telemetry.health().sinks().stream()
              .filter(s -> s.signal() == Signal.TRACES)
              .findFirst()
              .orElseThrow();
      assertThat(traces.droppedByReason()).containsEntry("non_retryable", 1L);
      assertThat(traces.retried()).isZero();
      assertThat(traces.lastError())
          .startsWith("dropped 1 item (non_retryable): clickhouse_516")
          .doesNotContain("wrong-password");
      assertThat(traces.healthy()).isFalse();
    }
  }

  @Test
  void invalidIdentifiersAndSettingsAreRejectedAtBuildTime() {
    assertThatThrownBy(() -> ClickHouseExporters.builder().database("otel; DROP TABLE x"))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> ClickHouseExporters.builder().cluster("a-b"))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> ClickHouseExporters.builder().endpoint("ftp://x"))
        .hasMessageContaining("http://");
    assertThatThrownBy(() -> ClickHouseExporters.builder().tracesTtl(Duration.ofDays(-1)))
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> ClickHouseExporters.builder().buildSink())
        .hasMessageContaining("endpoint is required");
    assertThat(ClickHouseExporters.builder().password("s3cret").toString())
        .doesNotContain("s3cret");
  }

  @Test
  void theEnvironmentSelectsClickHouse() throws Exception {
    String db = newDatabase();
    Map<String, String> env =
        Map.of(
            "CLICKHOUSE_ENDPOINT",
            front.endpoint(),
            "CLICKHOUSE_PASSWORD",
            ClickHouseFront.PASSWORD,
            "CLICKHOUSE_DATABASE",
            db);
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(env))
            .batchTimeout(Duration.ofMillis(50))
            .closeOnJvmShutdown(false)
            .build()) {
      assertThat(telemetry.sinkDescriptions())
          .singleElement()
          .asString()
          .startsWith("ClickHouse at " + front.endpoint());
      telemetry.openTelemetry().getTracer("env").spanBuilder("from-env").startSpan().end();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(
            front.count("SELECT count() FROM " + db + ".otel_traces WHERE SpanName = 'from-env'"))
        .isEqualTo(1);
  }

  static void sleep(long millis) throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(millis);
  }
}
