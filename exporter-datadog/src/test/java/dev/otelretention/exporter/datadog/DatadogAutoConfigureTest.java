package dev.otelretention.exporter.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.testing.datadog.FakeDatadog;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The exporters are selectable as {@code datadog} through OpenTelemetry's autoconfigure, configured
 * by DD_* keys.
 */
class DatadogAutoConfigureTest {
  @Test
  void theDatadogServiceSettingNamesTheServiceAndEveryPayloadIsValid() throws Exception {
    try (FakeDatadog datadog = new FakeDatadog()) {
      Map<String, String> properties = new HashMap<>();
      properties.put("otel.traces.exporter", "datadog");
      properties.put("otel.metrics.exporter", "datadog");
      properties.put("otel.logs.exporter", "datadog");
      properties.put("dd.api.key", FakeDatadog.API_KEY);
      properties.put("dd.trace.agent.url", datadog.url());
      properties.put("otel.retention.datadog.metrics-url", datadog.url());
      properties.put("otel.retention.datadog.logs-url", datadog.url());
      properties.put("dd.service", "auto-service");
      OpenTelemetrySdk sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(() -> properties)
              .disableShutdownHook()
              .build()
              .getOpenTelemetrySdk();
      sdk.getTracer("auto").spanBuilder("via-autoconfigure").startSpan().end();
      sdk.getMeter("auto").counterBuilder("auto.counter").build().add(3);
      sdk.getLogsBridge().get("auto").logRecordBuilder().setBody("auto log").emit();
      sdk.shutdown().join(20, TimeUnit.SECONDS);
      assertThat(datadog.violations).isEmpty();
      assertThat(datadog.spans)
          .singleElement()
          .satisfies(
              span -> {
                assertThat(span.get("resource")).isEqualTo("via-autoconfigure");
                assertThat(span.get("service")).isEqualTo("auto-service");
              });
      assertThat(datadog.logs)
          .singleElement()
          .satisfies(l -> assertThat(l.path("service").asText()).isEqualTo("auto-service"));
    }
  }

  @Test
  void configurableThroughOtelExporterDatadogPropertiesLikeTheOtherExporters() throws Exception {
    try (FakeDatadog datadog = new FakeDatadog()) {
      Map<String, String> properties = new HashMap<>();
      properties.put("otel.traces.exporter", "datadog");
      properties.put("otel.metrics.exporter", "datadog");
      properties.put("otel.logs.exporter", "datadog");
      properties.put("otel.exporter.datadog.api-key", FakeDatadog.API_KEY);
      properties.put("otel.exporter.datadog.agent-url", datadog.url());
      properties.put("otel.exporter.datadog.metrics-url", datadog.url());
      properties.put("otel.exporter.datadog.logs-url", datadog.url());
      properties.put("otel.exporter.datadog.service", "otel-named");
      // the otel.exporter.datadog.* keys win over DD_* ones
      properties.put("dd.service", "dd-named");
      OpenTelemetrySdk sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(() -> properties)
              .disableShutdownHook()
              .build()
              .getOpenTelemetrySdk();
      sdk.getTracer("auto").spanBuilder("otel-keys").startSpan().end();
      sdk.getMeter("auto").counterBuilder("otel.keys.counter").build().add(1);
      sdk.getLogsBridge().get("auto").logRecordBuilder().setBody("otel keys log").emit();
      sdk.shutdown().join(20, TimeUnit.SECONDS);
      assertThat(datadog.violations).isEmpty();
      assertThat(datadog.spans)
          .singleElement()
          .satisfies(span -> assertThat(span.get("service")).isEqualTo("otel-named"));
      assertThat(datadog.series)
          .anySatisfy(s -> assertThat(s.path("metric").asText()).isEqualTo("otel.keys.counter"));
      assertThat(datadog.logs)
          .singleElement()
          .satisfies(l -> assertThat(l.path("message").asText()).isEqualTo("otel keys log"));
    }
  }
}
