package dev.otelretention.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.HealthReport;
import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.config.Profile;
import dev.otelretention.export.Signal;
import dev.otelretention.otlpjson.OtlpJsonEncoderTest;
import dev.otelretention.otlpjson.testing.OtlpProto;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default end to end: environment → file sink → SDK → files, plus health and
 * self-monitoring.
 */
class TelemetryRetentionFileTest {
  @TempDir Path dir;
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
  private final Logger coreLogger = Logger.getLogger(TelemetryRetention.class.getName());

  @BeforeEach
  void captureLogs() {
    coreLogger.addHandler(capture);
  }

  @AfterEach
  void releaseLogs() {
    coreLogger.removeHandler(capture);
  }

  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_RETENTION_FILE_DIRECTORY", dir.toString());
    env.put("OTEL_SERVICE_NAME", "orders");
    env.put("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=test,team=a%2Cb");
    return env;
  }

  private static List<OtlpJsonRecord> read(Path file) throws IOException {
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(file)) {
      return reader.readAll();
    }
  }

  @Test
  void zeroConfigurationExportsAllSignalsToRotatingFilesAndSaysWhy() throws Exception {
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(environment()))
            .closeOnJvmShutdown(false)
            .build()) {
      assertThat(telemetry.profile()).isEqualTo(Profile.DEVELOPMENT);
      Tracer tracer = telemetry.openTelemetry().getTracer("test");
      for (int i = 0; i < 25; i++) {
        Span span = tracer.spanBuilder("work-" + i).startSpan();
        span.end();
      }
      telemetry.openTelemetry().getMeter("test").counterBuilder("jobs").build().add(7);
      telemetry
          .openTelemetry()
          .getLogsBridge()
          .get("test")
          .logRecordBuilder()
          .setSeverity(Severity.INFO)
          .setBody("hello")
          .emit();
    }
    assertThat(logLines)
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains("exporting to rotating OTLP/JSON files in " + dir.toAbsolutePath())
                    .contains("kept 7d")
                    .contains("CLICKHOUSE_ENDPOINT and CLICKHOUSE_PASSWORD are not both set")
                    .contains("profile development (the default)"));

    List<String> names = TestData.spanNames(read(dir.resolve("traces.jsonl")));
    assertThat(names).hasSize(25).contains("work-0", "work-24");
    var resource =
        OtlpProto.traces(read(dir.resolve("traces.jsonl")).get(0).json())
            .getResourceSpans(0)
            .getResource();
    Map<String, Object> attributes = OtlpProto.toMap(resource.getAttributesList());
    assertThat(attributes)
        .containsEntry("service.name", "orders")
        .containsEntry("deployment.environment", "test")
        .containsEntry("team", "a,b");

    List<OtlpJsonRecord> logs = read(dir.resolve("logs.jsonl"));
    assertThat(
            OtlpProto.logs(logs.get(0).json())
                .getResourceLogs(0)
                .getScopeLogs(0)
                .getLogRecords(0)
                .getBody()
                .getStringValue())
        .isEqualTo("hello");

    List<OtlpJsonRecord> metricLines = read(dir.resolve("metrics.jsonl"));
    ExportMetricsServiceRequest last =
        OtlpProto.metrics(metricLines.get(metricLines.size() - 1).json());
    assertThat(OtlpJsonEncoderTest.find(last, "jobs").getSum().getDataPoints(0).getAsInt())
        .isEqualTo(7);
    Metric exported = OtlpJsonEncoderTest.find(last, "otel.sdk.exporter.span.exported");
    NumberDataPoint spansExported =
        exported.getSum().getDataPointsList().stream()
            .filter(
                p ->
                    OtlpProto.toMap(p.getAttributesList())
                        .get("otel.component.name")
                        .equals("file/traces"))
            .filter(p -> !OtlpProto.toMap(p.getAttributesList()).containsKey("error.type"))
            .findFirst()
            .orElseThrow();
    assertThat(spansExported.getAsInt()).isEqualTo(25);
    assertThat(OtlpProto.toMap(spansExported.getAttributesList()))
        .containsEntry("otel.component.type", "otlp_file_span_exporter");
    OtlpJsonEncoderTest.find(last, "otel.sdk.exporter.operation.duration");
    OtlpJsonEncoderTest.find(last, "otel.sdk.processor.span.queue.capacity");
  }

  @Test
  void clickhouseVariablesWithoutTheClickhouseModuleFallBackToFiles() {
    Map<String, String> env = environment();
    env.put("CLICKHOUSE_ENDPOINT", "http://localhost:8123");
    env.put("CLICKHOUSE_PASSWORD", "secret-password");
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(env))
            .closeOnJvmShutdown(false)
            .build()) {
      assertThat(telemetry.sinkDescriptions())
          .singleElement()
          .asString()
          .startsWith("rotating OTLP/JSON files");
    }
    assertThat(logLines)
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains("otel-retention-exporter-clickhouse is not on the classpath"));
    assertThat(String.join("\n", logLines)).doesNotContain("secret-password");
  }

  @Test
  void anUnknownForcedSinkIsAClearError() {
    Map<String, String> env = environment();
    env.put("OTEL_RETENTION_SINK", "clickhouse");
    assertThatThrownBy(
            () ->
                TelemetryRetention.builder()
                    .config(EnvironmentConfig.of(env))
                    .closeOnJvmShutdown(false)
                    .build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("clickhouse")
        .hasMessageContaining("available: file");
  }

  @Test
  void invalidFileSettingsFromTheEnvironmentFailAtBuild() {
    Map<String, String> env = environment();
    env.put("OTEL_RETENTION_FILE_MAX_SIZE", "-5MB");
    assertThatThrownBy(
            () ->
                TelemetryRetention.builder()
                    .config(EnvironmentConfig.of(env))
                    .closeOnJvmShutdown(false)
                    .build())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("OTEL_RETENTION_FILE_MAX_SIZE=-5MB: ");
  }

  @Test
  void theMemoryBoundRefusesAndCountsInsteadOfGrowing() throws Exception {
    int produced = 2000;
    long exported;
    HealthReport health;
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(environment()))
            .profile(Profile.PRODUCTION)
            .memoryLimit(64 * 1024, 16 * 1024)
            .batchTimeout(Duration.ofMinutes(5))
            .maxBatchSize(8192)
            .closeOnJvmShutdown(false)
            .build()) {
      Tracer tracer = telemetry.openTelemetry().getTracer("load");
      for (int i = 0; i < produced; i++) {
        tracer.spanBuilder("s" + i).startSpan().end();
      }
      health = telemetry.health();
      assertThat(health.memoryUsedBytes()).isLessThanOrEqualTo(48 * 1024);
      assertThat(health.memoryLimitBytes()).isEqualTo(48 * 1024);
    }
    exported = TestData.spanNames(read(dir.resolve("traces.jsonl"))).size();
    long refused = health.refusedByMemoryLimit().get(Signal.TRACES);
    assertThat(refused).isPositive();
    assertThat(exported + refused).isEqualTo(produced);
  }

  @Test
  void healthReportsEveryExporter() {
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(environment()))
            .closeOnJvmShutdown(false)
            .build()) {
      telemetry.openTelemetry().getTracer("h").spanBuilder("one").startSpan().end();
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
      HealthReport report = telemetry.health();
      assertThat(report.sinks())
          .extracting(SinkHealth::component)
          .containsExactlyInAnyOrder("file/traces", "file/metrics", "file/logs");
      SinkHealth traces =
          report.sinks().stream()
              .filter(s -> s.signal() == Signal.TRACES)
              .findFirst()
              .orElseThrow();
      assertThat(traces.exported()).isEqualTo(1);
      assertThat(traces.lastSuccess()).isNotNull();
      assertThat(traces.lastError()).isNull();
      assertThat(report.healthy()).isTrue();
    }
  }

  @Test
  void explicitSinksAreUsedAsGiven() throws Exception {
    Path other = dir.resolve("explicit");
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .serviceName("explicit-service")
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(RotatingFileExporters.builder().directory(other).buildSink())
            .closeOnJvmShutdown(false)
            .build()) {
      telemetry.openTelemetry().getTracer("e").spanBuilder("explicit").startSpan().end();
    }
    assertThat(TestData.spanNames(read(other.resolve("traces.jsonl")))).containsExactly("explicit");
  }
}
