package dev.otelretention.exporter.datadog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import dev.otelretention.testing.datadog.FakeDatadog;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * All three signals against a local server that decodes and checks every payload as Datadog
 * documents it.
 */
class DatadogExportTest {
  private FakeDatadog datadog;
  private final List<String> logLines = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          synchronized (logLines) {
            logLines.add(record.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void start() throws Exception {
    datadog = new FakeDatadog();
    Logger.getLogger("").addHandler(capture);
  }

  @AfterEach
  void stop() {
    Logger.getLogger("").removeHandler(capture);
    datadog.close();
  }

  private DatadogExporters.Builder exporters() {
    return DatadogExporters.builder()
        .apiKey(FakeDatadog.API_KEY)
        .agentUrl(datadog.url())
        .metricsUrl(datadog.url())
        .logsUrl(datadog.url())
        .env("test")
        .version("1.2.3")
        .hostname("host-1");
  }

  private static TelemetryRetention telemetry(DatadogExporters.Builder exporters) {
    return TelemetryRetention.builder()
        .config(EnvironmentConfig.of(Map.of()))
        .serviceName("checkout")
        .addSink(exporters.buildSink())
        .batchTimeout(Duration.ofMillis(20))
        .retryPolicy(
            RetryPolicy.builder()
                .initialInterval(Duration.ofMillis(20))
                .maxInterval(Duration.ofMillis(50))
                .maxElapsedTime(Duration.ofSeconds(5))
                .build())
        .closeOnJvmShutdown(false)
        .build();
  }

  private static SinkHealth health(TelemetryRetention telemetry, Signal signal) {
    return telemetry.health().sinks().stream()
        .filter(s -> s.signal() == signal)
        .findFirst()
        .orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> meta(Map<String, Object> span) {
    return (Map<String, String>) span.get("meta");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Double> metrics(Map<String, Object> span) {
    return (Map<String, Double>) span.get("metrics");
  }

  private Map<String, Object> span(String resource) {
    return datadog.spans.stream()
        .filter(s -> s.get("resource").equals(resource))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + resource + " in " + datadog.spans));
  }

  @Test
  void spansReachTheAgentWithIdsErrorsAndRemaps() {
    SpanContext server;
    SpanContext client;
    try (TelemetryRetention telemetry = telemetry(exporters())) {
      Tracer tracer = telemetry.openTelemetry().getTracer("shop.http", "2.0");
      Span root =
          tracer
              .spanBuilder("GET /orders/{id}")
              .setSpanKind(SpanKind.SERVER)
              .setAttribute("http.method", "GET")
              .setAttribute("http.status_code", 500L)
              .setAttribute("retry", true)
              .startSpan();
      server = root.getSpanContext();
      try (Scope ignored = root.makeCurrent()) {
        Span db =
            tracer
                .spanBuilder("SELECT orders")
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("db.system.name", "postgresql")
                .startSpan();
        db.recordException(new IllegalStateException("deadlock detected"));
        db.setStatus(StatusCode.ERROR);
        client = db.getSpanContext();
        db.end();
      }
      root.setStatus(StatusCode.ERROR, "internal error");
      root.end();
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(datadog.violations).isEmpty();
    assertThat(datadog.spans).hasSize(2);
    Map<String, Object> root = span("GET /orders/{id}");
    Map<String, Object> db = span("SELECT orders");
    BigInteger lower = new BigInteger(server.getTraceId().substring(16), 16);
    assertThat(root.get("trace_id")).isEqualTo(lower);
    assertThat(db.get("trace_id")).isEqualTo(lower);
    assertThat(meta(root)).containsEntry("_dd.p.tid", server.getTraceId().substring(0, 16));
    assertThat(root.get("span_id")).isEqualTo(new BigInteger(server.getSpanId(), 16));
    assertThat(db.get("parent_id")).isEqualTo(new BigInteger(server.getSpanId(), 16));
    assertThat(root.get("parent_id")).isEqualTo(BigInteger.ZERO);
    assertThat(db.get("span_id")).isEqualTo(new BigInteger(client.getSpanId(), 16));
    assertThat(root.get("service")).isEqualTo("checkout");
    assertThat(root.get("name")).isEqualTo("shop.http.server");
    assertThat(root.get("type")).isEqualTo("web");
    assertThat(db.get("type")).isEqualTo("db");
    assertThat((BigInteger) root.get("duration")).isPositive();
    assertThat(root.get("error")).isEqualTo(BigInteger.ONE);
    assertThat(meta(root))
        .containsEntry("http.request.method", "GET")
        .doesNotContainKey("http.method")
        .containsEntry("error.message", "internal error")
        .containsEntry("retry", "true")
        .containsEntry("env", "test")
        .containsEntry("version", "1.2.3")
        .containsEntry("span.kind", "server");
    assertThat(metrics(root))
        .containsEntry("http.response.status_code", 500.0)
        .containsEntry("_sampling_priority_v1", 1.0);
    assertThat(metrics(db)).doesNotContainKey("_sampling_priority_v1");
    assertThat(meta(db))
        .containsEntry("error.type", "java.lang.IllegalStateException")
        .containsEntry("error.message", "deadlock detected");
    assertThat(meta(db).get("error.stack")).contains("IllegalStateException");
  }

  @Test
  void largeBatchesAreSplitUnderTheAgentLimit() {
    try (TelemetryRetention telemetry = telemetry(exporters().maxTracePayloadBytes(64 * 1024))) {
      Tracer tracer = telemetry.openTelemetry().getTracer("bulk");
      for (int i = 0; i < 1500; i++) {
        tracer.spanBuilder("span-" + i).setAttribute("payload", "x".repeat(100)).startSpan().end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(datadog.violations).isEmpty();
    assertThat(datadog.spans).hasSize(1500);
    assertThat(datadog.spans.stream().map(s -> s.get("span_id")).distinct()).hasSize(1500);
    assertThat(datadog.traceRequestSizes)
        .hasSizeGreaterThan(2)
        .allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(64 * 1024));
  }

  @Test
  void metricsBecomeSeriesWithTagsTypesAndSplitting() {
    try (TelemetryRetention telemetry =
        telemetry(exporters().maxSeriesPayloadBytes(4096).sendAggregationMetrics(true))) {
      var meter = telemetry.openTelemetry().getMeter("m");
      meter
          .counterBuilder("orders.placed")
          .build()
          .add(5, Attributes.of(AttributeKey.stringKey("Route Name"), "/A B"));
      meter.upDownCounterBuilder("orders.open").build().add(3);
      meter.gaugeBuilder("queue.latency").setUnit("ms").build().set(12.5);
      var latency = meter.histogramBuilder("request.duration").setUnit("s").build();
      latency.record(0.5);
      latency.record(1.5);
      for (int i = 0; i < 100; i++) {
        meter
            .counterBuilder("many.counter")
            .build()
            .add(1, Attributes.of(AttributeKey.longKey("shard"), (long) i));
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(datadog.violations).isEmpty();
    assertThat(datadog.seriesRequestSizes)
        .hasSizeGreaterThan(1)
        .allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(4096));
    JsonNode placed = series("orders.placed");
    assertThat(placed.path("type").asInt()).isEqualTo(1);
    assertThat(placed.path("points").get(0).path("value").asDouble()).isEqualTo(5.0);
    assertThat(placed.path("interval").asLong()).isPositive();
    assertThat(tags(placed))
        .contains("route_name:/a_b", "service:checkout", "env:test", "version:1.2.3");
    assertThat(placed.path("resources").get(0).path("name").asText()).isEqualTo("host-1");
    assertThat(series("orders.open").path("type").asInt()).isEqualTo(3);
    JsonNode gauge = series("queue.latency");
    assertThat(gauge.path("type").asInt()).isEqualTo(3);
    assertThat(gauge.path("unit").asText()).isEqualTo("millisecond");
    assertThat(series("request.duration.count").path("points").get(0).path("value").asDouble())
        .isEqualTo(2.0);
    assertThat(series("request.duration.count").path("type").asInt()).isEqualTo(1);
    assertThat(series("request.duration.sum").path("points").get(0).path("value").asDouble())
        .isEqualTo(2.0);
    assertThat(series("request.duration.min").path("points").get(0).path("value").asDouble())
        .isEqualTo(0.5);
    assertThat(series("request.duration.max").path("points").get(0).path("value").asDouble())
        .isEqualTo(1.5);
    assertThat(datadog.series).noneMatch(s -> s.path("metric").asText().endsWith(".avg"));
    FakeDatadog.Sketch distribution =
        datadog.sketches.stream()
            .filter(sketch -> sketch.metric().equals("request.duration"))
            .findFirst()
            .orElseThrow();
    assertThat(distribution.count()).isEqualTo(2);
    assertThat(distribution.min()).isEqualTo(0.5);
    assertThat(distribution.max()).isEqualTo(1.5);
    assertThat(distribution.tags()).contains("service:checkout", "env:test");
    assertThat(
            datadog.series.stream().filter(s -> s.path("metric").asText().equals("many.counter")))
        .hasSize(100);
  }

  private JsonNode series(String metric) {
    return datadog.series.stream()
        .filter(s -> s.path("metric").asText().equals(metric))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no series " + metric));
  }

  private static List<String> tags(JsonNode series) {
    List<String> tags = new ArrayList<>();
    series.path("tags").forEach(tag -> tags.add(tag.asText()));
    return tags;
  }

  @Test
  void logsCarryStatusCorrelationAndAreSplitAndTruncated() {
    SpanContext context;
    try (TelemetryRetention telemetry = telemetry(exporters())) {
      var logger = telemetry.openTelemetry().getLogsBridge().get("app");
      Span span = telemetry.openTelemetry().getTracer("t").spanBuilder("work").startSpan();
      context = span.getSpanContext();
      try (Scope ignored = span.makeCurrent()) {
        logger
            .logRecordBuilder()
            .setSeverity(Severity.WARN)
            .setBody("disk almost full")
            .setAttribute("disk", "/var")
            .setAttribute("http.method", "PUT")
            .setAttribute("free.bytes", 1024L)
            .emit();
      }
      span.end();
      logger.logRecordBuilder().setSeverity(Severity.ERROR).setBody("y".repeat(2_000_000)).emit();
      for (int i = 0; i < 1500; i++) {
        logger.logRecordBuilder().setSeverity(Severity.DEBUG).setBody("line " + i).emit();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(datadog.violations).isEmpty();
    assertThat(datadog.logs).hasSize(1502);
    assertThat(datadog.logRequestEntries).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1000));
    JsonNode warn =
        datadog.logs.stream()
            .filter(l -> l.path("message").asText().equals("disk almost full"))
            .findFirst()
            .orElseThrow();
    assertThat(warn.path("status").asText()).isEqualTo("warning");
    assertThat(warn.path("service").asText()).isEqualTo("checkout");
    assertThat(warn.path("hostname").asText()).isEqualTo("host-1");
    assertThat(warn.path("ddsource").asText()).isEqualTo("otel");
    assertThat(warn.path("ddtags").asText()).contains("env:test").contains("version:1.2.3");
    assertThat(warn.path("dd.trace_id").asText())
        .isEqualTo(
            Long.toUnsignedString(Long.parseUnsignedLong(context.getTraceId().substring(16), 16)));
    assertThat(warn.path("dd.span_id").asText())
        .isEqualTo(Long.toUnsignedString(Long.parseUnsignedLong(context.getSpanId(), 16)));
    assertThat(warn.path("disk").asText()).isEqualTo("/var");
    assertThat(warn.path("http.request.method").asText()).isEqualTo("PUT");
    assertThat(warn.path("free.bytes").asLong()).isEqualTo(1024);
    JsonNode big =
        datadog.logs.stream()
            .filter(l -> l.path("status").asText().equals("error"))
            .findFirst()
            .orElseThrow();
    assertThat(big.path("message").asText()).endsWith(LogEncoder.TRUNCATED).startsWith("yyyy");
    assertThat(datadog.logs.stream().filter(l -> l.path("status").asText().equals("debug")))
        .hasSize(1500);
  }

  @Test
  void rateLimitsAndServerErrorsAreRetriedAndDeliveredOnce() {
    datadog.script(
        "/api/v2/logs",
        new FakeDatadog.Scripted(429, Map.of("Retry-After", "0"), "slow down"),
        new FakeDatadog.Scripted(503, Map.of(), "unavailable"));
    datadog.script("/v0.4/traces", new FakeDatadog.Scripted(500, Map.of(), "agent busy"));
    SinkHealth logs;
    SinkHealth traces;
    try (TelemetryRetention telemetry = telemetry(exporters())) {
      telemetry.openTelemetry().getLogsBridge().get("a").logRecordBuilder().setBody("once").emit();
      telemetry.openTelemetry().getTracer("a").spanBuilder("once").startSpan().end();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      logs = health(telemetry, Signal.LOGS);
      traces = health(telemetry, Signal.TRACES);
    }
    assertThat(datadog.logs).hasSize(1);
    assertThat(datadog.spans).hasSize(1);
    assertThat(logs.retried()).isEqualTo(2);
    assertThat(traces.retried()).isEqualTo(1);
    assertThat(logs.dropped()).isZero();
    assertThat(datadog.requests.get("/api/v2/logs")).isEqualTo(3);
  }

  @Test
  void badRequestsAndARejectedKeyAreCountedNotRetried() {
    datadog.script(
        "/api/v2/logs", new FakeDatadog.Scripted(400, Map.of(), "{\"errors\":[\"bad log\"]}"));
    datadog.script(
        "/api/v2/series",
        new FakeDatadog.Scripted(403, Map.of(), "{\"errors\":[\"Forbidden\"]}"),
        new FakeDatadog.Scripted(403, Map.of(), "{\"errors\":[\"Forbidden\"]}"));
    SinkHealth logs;
    SinkHealth metrics;
    try (TelemetryRetention telemetry = telemetry(exporters())) {
      telemetry
          .openTelemetry()
          .getLogsBridge()
          .get("a")
          .logRecordBuilder()
          .setBody("refused")
          .emit();
      telemetry.openTelemetry().getMeter("m").counterBuilder("c").build().add(1);
      telemetry.flush(Duration.ofSeconds(20));
      telemetry.flush(Duration.ofSeconds(20));
      logs = health(telemetry, Signal.LOGS);
      metrics = health(telemetry, Signal.METRICS);
    }
    assertThat(logs.droppedByReason()).containsEntry("non_retryable", 1L);
    assertThat(logs.retried()).isZero();
    assertThat(logs.lastError())
        .startsWith("dropped 1 item (non_retryable): http_400")
        .contains("bad log");
    assertThat(metrics.droppedByReason().get("non_retryable")).isPositive();
    assertThat(metrics.lastError()).contains("(non_retryable): http_403");
    List<String> keyMessages =
        logLines.stream()
            .filter(l -> l != null && l.contains("rejected the API key"))
            .collect(Collectors.toList());
    assertThat(keyMessages).hasSize(1);
    assertThat(String.join("\n", logLines)).doesNotContain(FakeDatadog.API_KEY);
  }

  @Test
  void configurationIsCheckedAndTheKeyStaysSecret() {
    assertThatThrownBy(() -> DatadogExporters.builder().site("datadoghq.xyz"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("datadoghq.eu");
    assertThatThrownBy(() -> DatadogExporters.builder().buildSink())
        .hasMessageContaining("API key is required");
    assertThatThrownBy(() -> DatadogExporters.builder().agentUrl("ftp://agent"))
        .hasMessageContaining("http://");
    assertThatThrownBy(() -> DatadogExporters.builder().maxSeriesPayloadBytes(600_000))
        .hasMessageContaining("512000");
    DatadogExporters.Builder builder = DatadogExporters.builder().apiKey("secret-key-value");
    assertThat(builder.toString()).doesNotContain("secret-key-value");
    assertThat(builder.buildSink().toString()).doesNotContain("secret-key-value");

    DatadogSettings eu =
        DatadogExporters.builder()
            .configure(
                EnvironmentConfig.of(
                    Map.of(
                        "DD_SITE",
                        "datadoghq.eu",
                        "DD_API_KEY",
                        "k",
                        "DD_AGENT_HOST",
                        "agent.internal",
                        "DD_TRACE_AGENT_PORT",
                        "9126",
                        "DD_SERVICE",
                        "svc",
                        "DD_ENV",
                        "prod")))
            .settings();
    assertThat(eu.metricsUrl().toString()).isEqualTo("https://api.datadoghq.eu");
    assertThat(eu.logsUrl().toString()).isEqualTo("https://http-intake.logs.datadoghq.eu");
    assertThat(eu.agentUrl().toString()).isEqualTo("http://agent.internal:9126");
    assertThat(eu.service()).isEqualTo("svc");
    assertThat(eu.env()).isEqualTo("prod");
    assertThat(
            DatadogExporters.builder()
                .site("ddog-gov.com")
                .apiKey("k")
                .settings()
                .metricsUrl()
                .toString())
        .isEqualTo("https://api.ddog-gov.com");
    assertThatThrownBy(
            () ->
                DatadogExporters.builder()
                    .configure(
                        EnvironmentConfig.of(
                            Map.of("DD_API_KEY", "k", "DD_TRACE_AGENT_PORT", "99999"))))
        .hasMessageContaining("port outside 1 to 65535");
    assertThatThrownBy(
            () -> DatadogExporters.builder().logsUrl("https://user:secret-in-url@intake.example"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must not contain credentials")
        .hasMessageNotContaining("secret-in-url");
  }

  @Test
  void anUnreachableAgentIsReportedWithItsAddressAndTheCause() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    SinkHealth traces;
    try (TelemetryRetention telemetry =
        telemetry(exporters().agentUrl("http://127.0.0.1:" + closedPort))) {
      telemetry.openTelemetry().getTracer("t").spanBuilder("lost").startSpan().end();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (health(telemetry, Signal.TRACES).lastError() == null && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      traces = health(telemetry, Signal.TRACES);
    }
    assertThat(traces.lastError())
        .startsWith("java.net.ConnectException: cannot reach 127.0.0.1:" + closedPort + ": ")
        .doesNotContain("null");
  }

  @Test
  void tagsFollowDatadogRules() {
    assertThat(Tags.tag("Env", "Prod")).isEqualTo("env:prod");
    assertThat(Tags.tag("weird key!", "v@l")).isEqualTo("weird_key_:v_l");
    assertThat(Tags.tag("1abc", "x")).isEqualTo("abc:x");
    assertThat(Tags.tag("k", "v".repeat(500))).hasSize(200);
    assertThat(LogEncoder.status(0)).isEqualTo("info");
    assertThat(LogEncoder.status(5)).isEqualTo("debug");
    assertThat(LogEncoder.status(21)).isEqualTo("critical");
  }
}
