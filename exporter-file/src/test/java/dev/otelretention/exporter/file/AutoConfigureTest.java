package dev.otelretention.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exporters are selectable by name through OpenTelemetry's autoconfigure, as the Java agent uses it. */
class AutoConfigureTest {
  @TempDir Path dir;

  @Test
  void selectableAsOtlpFileRotatingForEverySignal() throws Exception {
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.traces.exporter", "otlp-file-rotating");
    properties.put("otel.metrics.exporter", "otlp-file-rotating");
    properties.put("otel.logs.exporter", "otlp-file-rotating");
    properties.put("otel.exporter.otlp-file-rotating.directory", dir.toString());
    properties.put("otel.exporter.otlp-file-rotating.max-size", "1MiB");
    properties.put("otel.exporter.otlp-file-rotating.flush-interval", "0");
    properties.put("otel.service.name", "autoconfigured");
    properties.put("otel.bsp.schedule.delay", "10");
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> properties)
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    sdk.getTracer("auto").spanBuilder("via-autoconfigure").startSpan().end();
    sdk.getMeter("auto").counterBuilder("auto.counter").build().add(3);
    sdk.getLogsBridge().get("auto").logRecordBuilder().setBody("auto log").emit();
    sdk.shutdown().join(10, TimeUnit.SECONDS);

    List<OtlpJsonRecord> traces;
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(dir.resolve("traces.jsonl"))) {
      traces = reader.readAll();
    }
    assertThat(TestData.spanNames(traces)).containsExactly("via-autoconfigure");
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(dir.resolve("metrics.jsonl"))) {
      List<OtlpJsonRecord> metrics = reader.readAll();
      assertThat(metrics).isNotEmpty();
      assertThat(OtlpJsonEncoderTest.find(OtlpJson.metrics(metrics.get(metrics.size() - 1).json()), "auto.counter")
              .getSum().getDataPoints(0).getAsInt())
          .isEqualTo(3);
    }
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(dir.resolve("logs.jsonl"))) {
      assertThat(reader.readAll()).hasSize(1);
    }
  }
}
