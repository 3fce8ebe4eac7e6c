package dev.otelretention.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.testing.datadog.FakeDatadog;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * The Datadog exporter under the Spring Boot starter: the starter's server and client spans and its
 * HTTP client metrics reach the fake Datadog Agent and intake, and none of the exporter's own
 * requests to them becomes a span, a metric point or a log entry.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class DatadogUnderStarterTest {
  /**
   * Left running until the JVM ends: the context (and with it the exporters) closes after this
   * class, and they flush to it as they shut down.
   */
  private static final FakeDatadog DATADOG = start();

  @Autowired RestClient.Builder restClients;
  @Autowired OpenTelemetry openTelemetry;
  @LocalServerPort int port;

  @DynamicPropertySource
  static void datadog(DynamicPropertyRegistry properties) {
    properties.add("otel.traces.exporter", () -> "datadog");
    properties.add("otel.metrics.exporter", () -> "datadog");
    properties.add("otel.logs.exporter", () -> "datadog");
    properties.add("otel.exporter.datadog.api-key", () -> FakeDatadog.API_KEY);
    properties.add("otel.exporter.datadog.agent-url", DATADOG::url);
    properties.add("otel.exporter.datadog.metrics-url", DATADOG::url);
    properties.add("otel.exporter.datadog.logs-url", DATADOG::url);
  }

  @Test
  void theStartersTelemetryArrivesAndTheExportersOwnRequestsAreNotTraced() throws Exception {
    // an instrumented client (the starter instruments RestClient builders) calls the shop: a client
    // and a server span
    RestClient client = restClients.baseUrl("http://localhost:" + port).build();
    for (int call = 0; call < 3; call++) {
      assertThat(client.get().uri("/stock/kettle").retrieve().body(String.class))
          .isEqualTo("kettle: 42");
      flush(); // each flush is a round of requests from the exporter to the fake Agent and intake
    }
    flush();

    assertThat(DATADOG.violations).isEmpty();
    assertThat(DATADOG.traceRequests())
        .as("requests of the exporter to the Agent")
        .isGreaterThan(1);
    assertThat(DATADOG.spans)
        .as("the starter's server spans")
        .anyMatch(span -> "GET /stock/{item}".equals(String.valueOf(span.get("resource"))));
    assertThat(DATADOG.spans)
        .as("the starter's client spans, to the shop")
        .anyMatch(
            span ->
                ("http://localhost:" + port + "/stock/kettle").equals(meta(span).get("url.full")));
    String fakePort = DATADOG.url().substring(DATADOG.url().lastIndexOf(':') + 1);
    assertThat(DATADOG.spans)
        .as("spans of the exporter's own requests")
        .noneMatch(
            span ->
                String.valueOf(meta(span).get("url.full")).startsWith(DATADOG.url())
                    || String.valueOf(numbers(span).get("server.port")).equals(fakePort + ".0"));
    assertThat(DATADOG.sketches)
        .as("the starter measures HTTP clients, with the server's port, as distributions")
        .anyMatch(
            sketch ->
                sketch.metric().equals("http.client.request.duration")
                    && sketch.tags().contains("server.port:" + port));
    assertThat(DATADOG.series)
        .as("metric points of the exporter's own requests")
        .noneMatch(series -> series.path("tags").toString().contains("server.port:" + fakePort));
    assertThat(DATADOG.sketches)
        .as("distributions of the exporter's own requests")
        .noneMatch(sketch -> sketch.tags().contains("server.port:" + fakePort));
    assertThat(DATADOG.series)
        .as("the library's self-monitoring, through the starter's meter provider")
        .anyMatch(
            series ->
                series.path("metric").asText().startsWith("otel.sdk.exporter.span.exported")
                    && series
                        .path("tags")
                        .toString()
                        .contains("otel.component.name:datadog/traces"));
    assertThat(DATADOG.logs)
        .as("log entries about the exporter's own requests (its start line names the Agent too)")
        .noneMatch(
            entry ->
                entry.toString().contains(DATADOG.url())
                    && !entry.path("message").asText().startsWith("otel-retention: "));
    assertThat(DATADOG.logs)
        .as("the exporter's start line, logged by the application and so sent too")
        .anyMatch(
            entry ->
                entry
                    .path("message")
                    .asText()
                    .startsWith("otel-retention: the datadog exporter for traces"));
  }

  private void flush() {
    OpenTelemetrySdk sdk = (OpenTelemetrySdk) openTelemetry;
    assertThat(sdk.getSdkTracerProvider().forceFlush().join(20, TimeUnit.SECONDS).isSuccess())
        .isTrue();
    assertThat(sdk.getSdkMeterProvider().forceFlush().join(20, TimeUnit.SECONDS).isSuccess())
        .isTrue();
    assertThat(sdk.getSdkLoggerProvider().forceFlush().join(20, TimeUnit.SECONDS).isSuccess())
        .isTrue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> numbers(Map<String, Object> span) {
    return (Map<String, Object>) span.get("metrics");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> meta(Map<String, Object> span) {
    return (Map<String, Object>) span.get("meta");
  }

  private static FakeDatadog start() {
    try {
      return new FakeDatadog();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
