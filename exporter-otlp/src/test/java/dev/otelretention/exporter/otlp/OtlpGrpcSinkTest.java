package dev.otelretention.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The OTLP sink over gRPC against a real gRPC server that decodes with the OTLP protobuf classes.
 */
class OtlpGrpcSinkTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void spansLogsAndMetricsArriveOverGrpcAndRefusalsAreRetried() throws Exception {
    try (OtlpGrpcReceiver receiver = new OtlpGrpcReceiver()) {
      Map<String, String> made = new HashMap<>();
      SinkHealth traces;
      try (TelemetryRetention telemetry =
          TelemetryRetention.builder()
              .config(
                  EnvironmentConfig.of(
                      Map.of(
                          "OTEL_EXPORTER_OTLP_PROTOCOL",
                          "grpc",
                          "OTEL_EXPORTER_OTLP_ENDPOINT",
                          receiver.endpoint())))
              .serviceName("otlp-grpc")
              .batchTimeout(Duration.ofMillis(20))
              .maxBatchSize(10)
              .requestTimeout(Duration.ofSeconds(5))
              .retryPolicy(
                  RetryPolicy.builder()
                      .initialInterval(Duration.ofMillis(100))
                      .maxInterval(Duration.ofMillis(300))
                      .maxElapsedTime(Duration.ofSeconds(30))
                      .build())
              .closeOnJvmShutdown(false)
              .build()) {
        assertThat(telemetry.sinkDescriptions())
            .singleElement()
            .asString()
            .startsWith("OTLP grpc to " + receiver.endpoint());
        receiver.refuse(3);
        Tracer tracer = telemetry.openTelemetry().getTracer("shop");
        for (int i = 0; i < 30; i++) {
          Span span = tracer.spanBuilder("op " + i).startSpan();
          try (Scope ignored = span.makeCurrent()) {
            telemetry
                .openTelemetry()
                .getLogsBridge()
                .get("shop")
                .logRecordBuilder()
                .setBody("in op " + i)
                .emit();
          }
          span.end();
          made.put(span.getSpanContext().getSpanId(), span.getSpanContext().getTraceId());
        }
        telemetry.openTelemetry().getMeter("shop").counterBuilder("ops").build().add(30);
        assertThat(telemetry.flush(Duration.ofSeconds(30))).isTrue();
        traces =
            telemetry.health().sinks().stream()
                .filter(s -> s.signal() == Signal.TRACES)
                .findFirst()
                .orElseThrow();
      }
      assertThat(traces.dropped()).isZero();
      assertThat(
              receiver.spans().stream()
                  .collect(
                      Collectors.toMap(
                          s -> HEX.formatHex(s.getSpanId().toByteArray()),
                          s -> HEX.formatHex(s.getTraceId().toByteArray()))))
          .as("every span once, with its ids")
          .isEqualTo(made);
      assertThat(receiver.logRecords()).hasSize(30);
      assertThat(receiver.metricRequests()).isNotEmpty();
    }
  }
}
