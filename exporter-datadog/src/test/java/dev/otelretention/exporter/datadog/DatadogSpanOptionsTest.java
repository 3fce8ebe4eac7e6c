package dev.otelretention.exporter.datadog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.Signal;
import dev.otelretention.testing.datadog.FakeDatadog;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Datadog exporter's span options: {@code span_name_remappings} and {@code ignore_resources}.
 */
class DatadogSpanOptionsTest {
  private FakeDatadog datadog;

  @BeforeEach
  void start() throws Exception {
    datadog = new FakeDatadog();
  }

  @AfterEach
  void stop() {
    datadog.close();
  }

  private TelemetryRetention telemetry(DatadogExporters.Builder exporters) {
    return TelemetryRetention.builder()
        .config(EnvironmentConfig.of(Map.of()))
        .serviceName("checkout")
        .addSink(
            exporters
                .apiKey(FakeDatadog.API_KEY)
                .agentUrl(datadog.url())
                .metricsUrl(datadog.url())
                .logsUrl(datadog.url())
                .buildSink())
        .batchTimeout(Duration.ofMillis(20))
        .closeOnJvmShutdown(false)
        .build();
  }

  /** A server span named {@code root} with a client span inside it. */
  private static void trace(Tracer tracer, String root) {
    Span server = tracer.spanBuilder(root).setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope ignored = server.makeCurrent()) {
      tracer.spanBuilder("SELECT orders").setSpanKind(SpanKind.CLIENT).startSpan().end();
    } finally {
      server.end();
    }
  }

  @Test
  void spanNameRemappingsRenameTheDerivedOperationNameOnly() {
    try (TelemetryRetention telemetry =
        telemetry(
            DatadogExporters.builder().spanNameRemapping("shop.http.server", "web.request"))) {
      trace(telemetry.openTelemetry().getTracer("shop.http"), "GET /orders");
    }

    assertThat(datadog.spans)
        .extracting(span -> span.get("name"))
        .containsExactlyInAnyOrder("web.request", "shop.http.client");
    assertThat(datadog.violations).isEmpty();
  }

  @Test
  void ignoreResourcesLeavesOutWholeTracesWhoseRootMatches() {
    SinkHealth health;
    try (TelemetryRetention telemetry =
        telemetry(DatadogExporters.builder().ignoreResource("^GET /health"))) {
      Tracer tracer = telemetry.openTelemetry().getTracer("shop.http");
      trace(tracer, "GET /health/live");
      trace(tracer, "GET /orders");
      // a child whose resource matches does not take its trace with it: only roots are judged
      Span checkout = tracer.spanBuilder("POST /checkout").setSpanKind(SpanKind.SERVER).startSpan();
      try (Scope ignored = checkout.makeCurrent()) {
        tracer.spanBuilder("GET /health").setSpanKind(SpanKind.CLIENT).startSpan().end();
      } finally {
        checkout.end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(10))).isTrue();
      health =
          telemetry.health().sinks().stream()
              .filter(sink -> sink.signal() == Signal.TRACES)
              .findFirst()
              .orElseThrow();
    }

    assertThat(datadog.spans)
        .extracting(span -> span.get("resource"))
        .containsExactlyInAnyOrder("GET /orders", "SELECT orders", "POST /checkout", "GET /health");
    assertThat(health.droppedByReason()).containsEntry("ignored_resource", 2L);
    assertThat(health.exported()).as("only what was sent counts as exported").isEqualTo(4);
    assertThat(health.lastError()).isNull();
  }

  @Test
  void optionsAreReadFromTheEnvironmentWithQuotedRegexes() {
    DatadogSettings settings =
        DatadogExporters.builder()
            .apiKey("k")
            .configure(
                EnvironmentConfig.of(
                    Map.of(
                        "OTEL_RETENTION_DATADOG_IGNORE_RESOURCES",
                        "\"^GET /a{1,3}$\", ^HEAD ",
                        "OTEL_RETENTION_DATADOG_SPAN_NAME_REMAPPINGS",
                        "a.server=web.request,b.client=http.request")))
            .settings();

    assertThat(settings.ignoreResources())
        .extracting(Pattern::pattern)
        .containsExactly("^GET /a{1,3}$", "^HEAD");
    assertThat(settings.spanNameRemappings())
        .containsOnly(Map.entry("a.server", "web.request"), Map.entry("b.client", "http.request"));
  }

  @Test
  void badOptionsAreRefusedNamingTheVariable() {
    assertThatThrownBy(
            () ->
                DatadogExporters.builder()
                    .configure(
                        EnvironmentConfig.of(
                            Map.of("OTEL_RETENTION_DATADOG_IGNORE_RESOURCES", "^GET /(health"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("OTEL_RETENTION_DATADOG_IGNORE_RESOURCES")
        .hasMessageContaining("not a regular expression");
    assertThatThrownBy(
            () ->
                DatadogExporters.builder()
                    .configure(
                        EnvironmentConfig.of(
                            Map.of("OTEL_RETENTION_DATADOG_SPAN_NAME_REMAPPINGS", "a.server"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("OTEL_RETENTION_DATADOG_SPAN_NAME_REMAPPINGS")
        .hasMessageContaining("from=to");
  }
}
