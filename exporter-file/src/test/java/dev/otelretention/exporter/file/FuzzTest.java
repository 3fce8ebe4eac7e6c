package dev.otelretention.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.otlpjson.OtlpJsonDecoder;
import dev.otelretention.otlpjson.testing.OtlpProto;
import dev.otelretention.testing.RandomTelemetry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random hostile telemetry through the file exporter: every line parses, nothing is lost. */
class FuzzTest {
  @TempDir Path dir;

  @Test
  void everyLineOfRandomTelemetryIsValidOtlpJson() throws Exception {
    RandomTelemetry random = new RandomTelemetry(20261124L);
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .addSink(RotatingFileExporters.builder().directory(dir).buildSink())
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      random.spans(telemetry.openTelemetry().getTracer("fuzz"), 400);
      random.logs(telemetry.openTelemetry().getLogsBridge().get("fuzz"), 400);
      random.metrics(telemetry.openTelemetry().getMeter("fuzz"), 200);
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      assertThat(telemetry.health().sinks())
          .as("seed " + random.seed())
          .allMatch(s -> s.dropped() == 0);
    }
    long spans = 0;
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(dir.resolve("traces.jsonl"))) {
      for (OtlpJsonRecord record : reader.readAll()) {
        ExportTraceServiceRequest request = OtlpProto.traces(record.json());
        spans +=
            request.getResourceSpansList().stream()
                .flatMap(r -> r.getScopeSpansList().stream())
                .mapToLong(s -> s.getSpansCount())
                .sum();
        assertThat(OtlpJsonDecoder.decode(record.json()).spans())
            .hasSize(
                (int)
                    request.getResourceSpansList().stream()
                        .flatMap(r -> r.getScopeSpansList().stream())
                        .mapToLong(s -> s.getSpansCount())
                        .sum());
      }
      assertThat(reader.skipped()).isEmpty();
    }
    long logs = 0;
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(dir.resolve("logs.jsonl"))) {
      for (OtlpJsonRecord record : reader.readAll()) {
        ExportLogsServiceRequest request = OtlpProto.logs(record.json());
        logs +=
            request.getResourceLogsList().stream()
                .flatMap(r -> r.getScopeLogsList().stream())
                .mapToLong(s -> s.getLogRecordsCount())
                .sum();
        OtlpJsonDecoder.decode(record.json());
      }
      assertThat(reader.skipped()).isEmpty();
    }
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(dir.resolve("metrics.jsonl"))) {
      for (OtlpJsonRecord record : reader.readAll()) {
        OtlpProto.metrics(record.json());
        OtlpJsonDecoder.decode(record.json());
      }
    }
    assertThat(spans).as("seed " + random.seed()).isEqualTo(400);
    assertThat(logs).isEqualTo(400);
  }
}
