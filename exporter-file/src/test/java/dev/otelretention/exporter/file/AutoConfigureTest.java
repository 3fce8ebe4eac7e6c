package dev.otelretention.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.otlpjson.OtlpJsonEncoderTest;
import dev.otelretention.otlpjson.testing.OtlpProto;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporters are selectable by name through OpenTelemetry's autoconfigure, as the Java agent
 * uses it.
 */
class AutoConfigureTest {
  @TempDir Path dir;

  @Test
  void selectableAsOtlpFileRotatingForEverySignal() throws Exception {
    Map<String, String> properties = fileProperties();
    properties.put("otel.logs.exporter", "otlp-file-rotating");
    properties.put("otel.exporter.otlp-file-rotating.max-size", "1MiB");
    OpenTelemetrySdk sdk = autoconfigure(properties);
    sdk.getTracer("auto").spanBuilder("via-autoconfigure").startSpan().end();
    sdk.getMeter("auto").counterBuilder("auto.counter").build().add(3);
    sdk.getLogsBridge().get("auto").logRecordBuilder().setBody("auto log").emit();
    sdk.shutdown().join(10, TimeUnit.SECONDS);

    List<OtlpJsonRecord> traces;
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(dir.resolve("traces.jsonl"))) {
      traces = reader.readAll();
    }
    assertThat(TestData.spanNames(traces)).containsExactly("via-autoconfigure");
    assertThat(
            OtlpJsonEncoderTest.find(lastMetrics(), "auto.counter")
                .getSum()
                .getDataPoints(0)
                .getAsInt())
        .isEqualTo(3);
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(dir.resolve("logs.jsonl"))) {
      assertThat(reader.readAll()).hasSize(1);
    }
  }

  @Test
  void selfMonitoringAndCapacityMetricsJoinTheApplicationsMetrics() throws Exception {
    Map<String, String> properties = fileProperties();
    properties.put("otel.retention.capacity.min-free-ratio", "0.0001");
    OpenTelemetrySdk sdk = autoconfigure(properties);
    for (int i = 0; i < 5; i++) {
      sdk.getTracer("auto").spanBuilder("span-" + i).startSpan().end();
    }
    assertThat(sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS).isSuccess())
        .isTrue();
    assertThat(sdk.getSdkMeterProvider().forceFlush().join(10, TimeUnit.SECONDS).isSuccess())
        .isTrue();
    sdk.shutdown().join(10, TimeUnit.SECONDS);

    ExportMetricsServiceRequest last = lastMetrics();
    Metric exported = OtlpJsonEncoderTest.find(last, "otel.sdk.exporter.span.exported");
    assertThat(exported.getSum().getDataPointsList())
        .anySatisfy(
            point -> {
              assertThat(OtlpProto.toMap(point.getAttributesList()))
                  .containsEntry("otel.component.name", "otlp-file-rotating/traces")
                  .doesNotContainKey("error.type");
              assertThat(point.getAsInt()).isEqualTo(5);
            });
    assertThat(OtlpProto.toMap(last.getResourceMetrics(0).getResource().getAttributesList()))
        .as("the application's resource")
        .containsEntry("service.name", "autoconfigured");
    Metric used = OtlpJsonEncoderTest.find(last, "otel_retention.capacity.used");
    assertThat(used.getGauge().getDataPointsList())
        .anySatisfy(
            point ->
                assertThat(OtlpProto.toMap(point.getAttributesList()))
                    .containsEntry("otel_retention.sink", "otlp-file-rotating"));
  }

  @Test
  void theLastMetricsCountEverySpanAndLogAndNothingOfOursRunsAfterShutdown() throws Exception {
    Map<String, String> properties = fileProperties();
    properties.put("otel.logs.exporter", "otlp-file-rotating");
    properties.put("otel.retention.capacity.min-free-ratio", "0.0001");
    // nothing is exported before shutdown: every span and log record goes in its final export
    properties.put("otel.bsp.schedule.delay", "600000");
    properties.put("otel.blrp.schedule.delay", "600000");
    properties.put("otel.metric.export.interval", "600000");
    OpenTelemetrySdk sdk = autoconfigure(properties);
    for (int i = 0; i < 300; i++) {
      sdk.getTracer("auto").spanBuilder("span-" + i).startSpan().end();
    }
    for (int i = 0; i < 40; i++) {
      sdk.getLogsBridge().get("auto").logRecordBuilder().setBody("log " + i).emit();
    }
    assertThat(sdk.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    ExportMetricsServiceRequest last = lastMetrics();
    assertThat(exported(last, "span", "otlp-file-rotating/traces")).isEqualTo(300);
    assertThat(exported(last, "log", "otlp-file-rotating/logs")).isEqualTo(40);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    List<String> ours = threadsOfOurs();
    while (!ours.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
      ours = threadsOfOurs();
    }
    assertThat(ours).as("threads of the library after the SDK's shutdown").isEmpty();
  }

  private static long exported(ExportMetricsServiceRequest metrics, String item, String component) {
    Metric exported = OtlpJsonEncoderTest.find(metrics, "otel.sdk.exporter." + item + ".exported");
    return exported.getSum().getDataPointsList().stream()
        .filter(
            point -> {
              Map<String, Object> attributes = OtlpProto.toMap(point.getAttributesList());
              return component.equals(attributes.get("otel.component.name"))
                  && !attributes.containsKey("error.type");
            })
        .mapToLong(point -> point.getAsInt())
        .sum();
  }

  private static List<String> threadsOfOurs() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("otel-retention-"))
        .toList();
  }

  @Test
  void selfMonitoringCanBeTurnedOff() throws Exception {
    Map<String, String> properties = fileProperties();
    properties.put("otel.retention.self-monitoring.enabled", "false");
    OpenTelemetrySdk sdk = autoconfigure(properties);
    sdk.getTracer("auto").spanBuilder("span").startSpan().end();
    sdk.getMeter("auto").counterBuilder("auto.counter").build().add(1);
    assertThat(sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS).isSuccess())
        .isTrue();
    sdk.shutdown().join(10, TimeUnit.SECONDS);

    ExportMetricsServiceRequest last = lastMetrics();
    OtlpJsonEncoderTest.find(last, "auto.counter");
    assertThat(last.getResourceMetricsList())
        .allSatisfy(
            resource ->
                assertThat(resource.getScopeMetricsList())
                    .allSatisfy(
                        scope ->
                            assertThat(scope.getMetricsList())
                                .noneMatch(
                                    metric ->
                                        metric.getName().startsWith("otel.sdk.")
                                            || metric.getName().startsWith("otel_retention."))));
  }

  private Map<String, String> fileProperties() {
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.traces.exporter", "otlp-file-rotating");
    properties.put("otel.metrics.exporter", "otlp-file-rotating");
    properties.put("otel.logs.exporter", "none");
    properties.put("otel.exporter.otlp-file-rotating.directory", dir.toString());
    properties.put("otel.exporter.otlp-file-rotating.flush-interval", "0");
    properties.put("otel.service.name", "autoconfigured");
    properties.put("otel.bsp.schedule.delay", "10");
    return properties;
  }

  private static OpenTelemetrySdk autoconfigure(Map<String, String> properties) {
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> properties)
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
  }

  private ExportMetricsServiceRequest lastMetrics() throws Exception {
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(dir.resolve("metrics.jsonl"))) {
      List<OtlpJsonRecord> metrics = reader.readAll();
      assertThat(metrics).isNotEmpty();
      return OtlpProto.metrics(metrics.get(metrics.size() - 1).json());
    }
  }
}
