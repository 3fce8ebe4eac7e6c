package dev.otelretention.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.TelemetryRetentionBuilder;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.file.OtlpJsonFiles;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.exporter.otlp.OtlpExporters.OtlpProtocol;
import dev.otelretention.otlpjson.OtlpJsonDecoder;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OTLP sink against a real OTLP/HTTP receiver that decodes every request with the official
 * protobuf classes: what arrives is what the application made, refusals and outages are retried or
 * spooled, and nothing is lost.
 */
class OtlpSinkTest {
  private static final HexFormat HEX = HexFormat.of();
  @TempDir Path spool;
  private OtlpHttpReceiver receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = new OtlpHttpReceiver();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private TelemetryRetentionBuilder builder(Duration retryWindow) {
    return TelemetryRetention.builder()
        .config(EnvironmentConfig.of(Map.of()))
        .serviceName("otlp-test")
        .addSink(
            OtlpExporters.builder()
                .endpoint(receiver.endpoint())
                .header("X-Api-Key", "secret-key")
                .buildSink())
        .batchTimeout(Duration.ofMillis(20))
        .maxBatchSize(10)
        .requestTimeout(Duration.ofSeconds(2))
        .retryPolicy(
            RetryPolicy.builder()
                .initialInterval(Duration.ofMillis(100))
                .maxInterval(Duration.ofMillis(300))
                .maxElapsedTime(retryWindow)
                .build())
        .shutdownTimeout(Duration.ofSeconds(20))
        .closeOnJvmShutdown(false);
  }

  private static SinkHealth health(TelemetryRetention telemetry, Signal signal) {
    return telemetry.health().sinks().stream()
        .filter(s -> s.signal() == signal)
        .findFirst()
        .orElseThrow();
  }

  private static Map<String, String> attributes(List<KeyValue> attributes) {
    Map<String, String> values = new HashMap<>();
    for (KeyValue attribute : attributes) {
      values.put(attribute.getKey(), attribute.getValue().toString().trim());
    }
    return values;
  }

  @Test
  void spansLogsAndMetricsArriveWithTheirIdsAndAttributes() throws Exception {
    Map<String, String> made = new HashMap<>();
    try (TelemetryRetention telemetry = builder(Duration.ofSeconds(30)).build()) {
      Tracer tracer = telemetry.openTelemetry().getTracer("shop");
      for (int i = 0; i < 25; i++) {
        Span span =
            tracer
                .spanBuilder("GET /item")
                .setAttribute(AttributeKey.longKey("item"), i)
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
          telemetry
              .openTelemetry()
              .getLogsBridge()
              .get("shop")
              .logRecordBuilder()
              .setSeverity(Severity.INFO)
              .setBody("served " + i)
              .emit();
        }
        span.end();
        made.put(span.getSpanContext().getSpanId(), span.getSpanContext().getTraceId());
      }
      telemetry.openTelemetry().getMeter("shop").counterBuilder("served").build().add(25);
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      assertThat(health(telemetry, Signal.TRACES).dropped()).isZero();
    }
    List<io.opentelemetry.proto.trace.v1.Span> spans = receiver.spans();
    assertThat(spans).hasSize(25);
    for (io.opentelemetry.proto.trace.v1.Span span : spans) {
      String spanId = HEX.formatHex(span.getSpanId().toByteArray());
      assertThat(made).containsEntry(spanId, HEX.formatHex(span.getTraceId().toByteArray()));
      assertThat(span.getName()).isEqualTo("GET /item");
      assertThat(attributes(span.getAttributesList())).containsKey("item");
    }
    assertThat(
            spans.stream()
                .map(s -> attributes(s.getAttributesList()).get("item"))
                .collect(Collectors.toSet()))
        .hasSize(25);
    assertThat(receiver.logRecords())
        .hasSize(25)
        .allSatisfy(
            log ->
                assertThat(made)
                    .containsEntry(
                        HEX.formatHex(log.getSpanId().toByteArray()),
                        HEX.formatHex(log.getTraceId().toByteArray())));
    assertThat(
            receiver.metricRequests().stream()
                .flatMap(request -> request.getResourceMetricsList().stream())
                .flatMap(resource -> resource.getScopeMetricsList().stream())
                .flatMap(scope -> scope.getMetricsList().stream())
                .filter(metric -> metric.getName().equals("served"))
                .map(metric -> metric.getSum().getDataPoints(0).getAsInt()))
        .as("the counter's point, with its value")
        .contains(25L);
    assertThat(receiver.headers())
        .as("every request carries the header")
        .hasSize(receiver.decodedRequests())
        .allMatch(header -> header.equals("secret-key"));
  }

  @Test
  void refusalsAreRetriedAndStoredOnce() throws Exception {
    SinkHealth traces;
    try (TelemetryRetention telemetry = builder(Duration.ofSeconds(30)).build()) {
      receiver.refuse(3, 503, null);
      Tracer tracer = telemetry.openTelemetry().getTracer("shop");
      for (int i = 0; i < 20; i++) {
        tracer.spanBuilder("s" + i).startSpan().end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      receiver.refuse(2, 429, "1");
      for (int i = 20; i < 40; i++) {
        tracer.spanBuilder("s" + i).startSpan().end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      traces = health(telemetry, Signal.TRACES);
    }
    assertThat(traces.retried()).isPositive();
    assertThat(traces.dropped()).isZero();
    Set<String> names =
        receiver.spans().stream()
            .map(io.opentelemetry.proto.trace.v1.Span::getName)
            .collect(Collectors.toSet());
    assertThat(receiver.spans()).hasSize(40);
    assertThat(names).hasSize(40);
  }

  @Test
  void badStandardVariablesAreNamedAsSetAndSecretsNotShown() {
    assertThatThrownBy(
            () ->
                OtlpExporters.builder()
                    .configure(
                        EnvironmentConfig.of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://x:1"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("OTEL_EXPORTER_OTLP_ENDPOINT=ftp://x:1: ");
    assertThatThrownBy(
            () ->
                OtlpExporters.builder()
                    .configure(
                        EnvironmentConfig.of(
                            Map.of("OTEL_EXPORTER_OTLP_HEADERS", "api-key-without-name"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("OTEL_EXPORTER_OTLP_HEADERS must be name=value pairs separated by commas");
    assertThatThrownBy(
            () ->
                OtlpExporters.builder()
                    .configure(EnvironmentConfig.of(Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "-5"))))
        .hasMessageStartingWith("OTEL_EXPORTER_OTLP_TIMEOUT=-5: ");
  }

  @Test
  void theStandardVariablesChooseAndConfigureTheSink() {
    Map<String, String> environment =
        Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
            "OTEL_EXPORTER_OTLP_HEADERS", "X-Api-Key=from%20env,tenant=a",
            "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "https://logs.example:4318/custom/logs",
            "OTEL_EXPORTER_OTLP_COMPRESSION", "none",
            "OTEL_EXPORTER_OTLP_TIMEOUT", "3000");
    OtlpSettings settings =
        OtlpExporters.builder().configure(EnvironmentConfig.of(environment)).buildSettings();
    assertThat(settings.endpoint(Signal.TRACES)).isEqualTo(receiver.endpoint() + "/v1/traces");
    assertThat(settings.endpoint(Signal.LOGS)).isEqualTo("https://logs.example:4318/custom/logs");
    assertThat(settings.signal(Signal.TRACES).headers()).containsEntry("X-Api-Key", "from env");
    assertThat(settings.signal(Signal.METRICS).compression()).isEqualTo("none");
    assertThat(settings.signal(Signal.LOGS).timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(settings.toString()).contains("X-Api-Key").doesNotContain("from env");

    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(environment))
            .closeOnJvmShutdown(false)
            .build()) {
      assertThat(telemetry.sinkDescriptions())
          .singleElement()
          .asString()
          .isEqualTo(
              "OTLP http/protobuf: traces to "
                  + receiver.endpoint()
                  + "/v1/traces, metrics to "
                  + receiver.endpoint()
                  + "/v1/metrics, logs to https://logs.example:4318/custom/logs");
    }
    assertThat(
            OtlpExporters.builder()
                .protocol(OtlpProtocol.GRPC)
                .endpoint("http://collector:4317")
                .buildSettings()
                .endpoint(Signal.METRICS))
        .isEqualTo("http://collector:4317");
  }

  @Test
  void aVariableForOneSignalWinsOverTheOneForAll() {
    Map<String, String> environment =
        Map.ofEntries(
            Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
            Map.entry("OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=a"),
            Map.entry("OTEL_EXPORTER_OTLP_METRICS_HEADERS", "x-metrics=m"),
            Map.entry("OTEL_EXPORTER_OTLP_TIMEOUT", "4000"),
            Map.entry("OTEL_EXPORTER_OTLP_LOGS_TIMEOUT", "9000"),
            Map.entry("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"),
            Map.entry("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "none"),
            Map.entry("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc"),
            Map.entry("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "delta"),
            Map.entry(
                "OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION",
                "base2_exponential_bucket_histogram"));
    OtlpSettings settings =
        OtlpExporters.builder().configure(EnvironmentConfig.of(environment)).buildSettings();
    OtlpSettings.SignalSettings traces = settings.signal(Signal.TRACES);
    OtlpSettings.SignalSettings metrics = settings.signal(Signal.METRICS);
    OtlpSettings.SignalSettings logs = settings.signal(Signal.LOGS);
    assertThat(traces.protocol()).isEqualTo(OtlpProtocol.GRPC);
    assertThat(traces.endpoint())
        .as("grpc takes the base endpoint")
        .isEqualTo("http://collector:4318");
    assertThat(metrics.protocol()).isEqualTo(OtlpProtocol.HTTP_PROTOBUF);
    assertThat(metrics.endpoint()).isEqualTo("http://collector:4318/v1/metrics");
    assertThat(traces.headers()).containsExactly(Map.entry("x-tenant", "a"));
    assertThat(metrics.headers()).containsExactly(Map.entry("x-metrics", "m"));
    assertThat(traces.compression()).isEqualTo("none");
    assertThat(logs.compression()).isEqualTo("gzip");
    assertThat(metrics.timeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(logs.timeout()).isEqualTo(Duration.ofSeconds(9));
    assertThat(settings.temporalityPreference()).isEqualTo("delta");
    assertThat(settings.histogramAggregation()).isEqualTo("base2_exponential_bucket_histogram");
    assertThat(OtlpExporters.builder().buildSettings().signal(Signal.LOGS).compression())
        .as("the specification's default")
        .isEqualTo("none");
    assertThatThrownBy(
            () ->
                OtlpExporters.builder()
                    .configure(
                        EnvironmentConfig.of(
                            Map.of(
                                "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "sometimes"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=sometimes");
  }

  @Test
  void suppliedHeadersAreAskedForBeforeEveryRequestAndNeverShown() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    TelemetrySink sink =
        OtlpExporters.builder()
            .endpoint(receiver.endpoint())
            .header("X-Api-Key", "fixed")
            .headers(() -> Map.of("X-Api-Key", "token-" + asked.incrementAndGet()))
            .buildSink();
    assertThat(sink.toString()).contains("headers supplied per request").doesNotContain("token-");
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(sink)
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      Tracer tracer = telemetry.openTelemetry().getTracer("rotating");
      for (int i = 0; i < 3; i++) {
        tracer.spanBuilder("span" + i).startSpan().end();
        assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      }
    }
    List<String> tokens =
        receiver.requestLog().stream()
            .filter(request -> request.path().equals("/v1/traces"))
            .map(request -> request.headers().get("x-api-key"))
            .toList();
    assertThat(tokens)
        .hasSize(3)
        .allMatch(token -> token.startsWith("token-"))
        .doesNotHaveDuplicates();
  }

  @Test
  void badSettingsAreRefusedByName() {
    assertThatThrownBy(
            () ->
                OtlpExporters.builder()
                    .configure(
                        EnvironmentConfig.of(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL");
    assertThatThrownBy(
            () ->
                OtlpExporters.builder()
                    .configure(
                        EnvironmentConfig.of(
                            Map.of("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", "/tmp/cert.pem"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("OTEL_EXPORTER_OTLP_CLIENT_KEY");
    assertThatThrownBy(() -> OtlpExporters.builder().endpoint("collector:4318"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OtlpExporters.builder().compression("zstd"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void filesAndOtlpTogetherEachGetEverySpan() throws Exception {
    try (TelemetryRetention telemetry =
        builder(Duration.ofSeconds(30))
            .addSink(RotatingFileExporters.builder().directory(spool.resolve("files")).buildSink())
            .build()) {
      assertThat(telemetry.sinkDescriptions()).hasSize(2);
      Tracer tracer = telemetry.openTelemetry().getTracer("shop");
      for (int i = 0; i < 15; i++) {
        tracer.spanBuilder("both " + i).startSpan().end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(receiver.spans()).hasSize(15);
    long inFiles = 0;
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(spool.resolve("files/traces.jsonl"))) {
      while (reader.hasNext()) {
        inFiles += OtlpJsonDecoder.decode(reader.next().json()).spans().size();
      }
    }
    assertThat(inFiles).isEqualTo(15);
  }

  @Test
  void aSlowReceiverWithinTheConfiguredTimeoutGetsEachBatchOnce() throws Exception {
    receiver.delay(2500);
    SinkHealth traces;
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .serviceName("slow")
            .addSink(
                OtlpExporters.builder()
                    .endpoint(receiver.endpoint())
                    .timeout(Duration.ofSeconds(6))
                    .buildSink())
            .batchTimeout(Duration.ofMillis(20))
            // shorter than the receiver takes: the sink's own timeout must govern
            .requestTimeout(Duration.ofSeconds(1))
            .closeOnJvmShutdown(false)
            .build()) {
      for (int i = 0; i < 5; i++) {
        telemetry.openTelemetry().getTracer("slow").spanBuilder("slow " + i).startSpan().end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(30))).isTrue();
      traces = health(telemetry, Signal.TRACES);
    }
    assertThat(traces.retried()).as("no request was given up on while it was answered").isZero();
    assertThat(receiver.spans()).hasSize(5);
  }
}
