package dev.otelretention.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sink is selectable as {@code otlp-spooled} through OpenTelemetry's autoconfigure. */
class OtlpAutoConfigureTest {
  @Test
  void theStandardHeadersReachEveryRequestThroughAutoconfigure() throws Exception {
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
      Map<String, String> properties = new HashMap<>();
      properties.put("otel.traces.exporter", "otlp-spooled");
      properties.put("otel.metrics.exporter", "otlp-spooled");
      properties.put("otel.logs.exporter", "otlp-spooled");
      properties.put("otel.exporter.otlp.endpoint", receiver.endpoint());
      // the default is grpc, as for the SDK's own otlp exporter
      properties.put("otel.exporter.otlp.protocol", "http/protobuf");
      properties.put("otel.exporter.otlp.headers", "X-Api-Key=auto");
      properties.put("otel.service.name", "auto");
      OpenTelemetrySdk sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(() -> properties)
              .disableShutdownHook()
              .build()
              .getOpenTelemetrySdk();
      sdk.getTracer("auto").spanBuilder("via-autoconfigure").startSpan().end();
      sdk.getMeter("auto").counterBuilder("auto.counter").build().add(3);
      sdk.getLogsBridge().get("auto").logRecordBuilder().setBody("auto log").emit();
      sdk.shutdown().join(30, TimeUnit.SECONDS);

      assertThat(receiver.decodedRequests())
          .as("traces, metrics and logs")
          .isGreaterThanOrEqualTo(3);
      assertThat(receiver.headers())
          .as("every request carries the header")
          .hasSize(receiver.decodedRequests())
          .allMatch("auto"::equals);
    }
  }
}
