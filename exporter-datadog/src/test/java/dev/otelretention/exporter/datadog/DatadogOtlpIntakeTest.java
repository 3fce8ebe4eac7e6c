package dev.otelretention.exporter.datadog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.testing.datadog.FakeDatadog;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Without an Agent, every signal goes to Datadog's OTLP intake: decoded here with the official OTLP
 * classes, with the headers Datadog documents and delta temporality for every metric.
 */
class DatadogOtlpIntakeTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private FakeDatadog datadog;

  @BeforeEach
  void start() throws Exception {
    datadog = new FakeDatadog();
  }

  @AfterEach
  void stop() {
    datadog.close();
  }

  private void sendAll(DatadogExporters.Builder exporters) {
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .serviceName("checkout")
            .addSink(exporters.buildSink())
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      OpenTelemetry otel = telemetry.openTelemetry();
      otel.getTracer("shop").spanBuilder("GET /cart").startSpan().end();
      var meter = otel.getMeter("shop");
      meter.counterBuilder("orders").build().add(3);
      meter.upDownCounterBuilder("carts.open").build().add(2);
      meter.histogramBuilder("latency").build().record(12.5);
      meter.gaugeBuilder("queue.depth").build().set(7);
      otel.getLogsBridge().get("shop").logRecordBuilder().setBody("cart saved").emit();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(datadog.violations).isEmpty();
  }

  private List<FakeDatadog.OtlpRequest> requests(String path) {
    return datadog.otlpRequests.stream().filter(request -> request.path().equals(path)).toList();
  }

  private static Map<String, String> attributes(Resource resource) {
    return resource.getAttributesList().stream()
        .collect(
            java.util.stream.Collectors.toMap(
                KeyValue::getKey, kv -> kv.getValue().getStringValue(), (a, b) -> b));
  }

  @Test
  void withOnlyAKeyAndASiteEverySignalGoesToTheSitesOtlpIntake() {
    DatadogSettings settings =
        DatadogExporters.builder()
            .configure(EnvironmentConfig.of(Map.of("DD_API_KEY", "k", "DD_SITE", "datadoghq.eu")))
            .settings();

    assertThat(settings.intake()).isEqualTo("otlp");
    assertThat(settings.otlpTracesUrl()).hasToString("https://trace.agent.datadoghq.eu/v1/traces");
    assertThat(settings.otlpMetricsUrl()).hasToString("https://otlp.datadoghq.eu/v1/metrics");
    assertThat(settings.otlpLogsUrl()).hasToString("https://otlp.datadoghq.eu/v1/logs");
    assertThat(
            DatadogExporters.builder()
                .configure(
                    EnvironmentConfig.of(Map.of("DD_API_KEY", "k", "DD_AGENT_HOST", "agent")))
                .settings()
                .intake())
        .isEqualTo("agent");
    assertThat(
            DatadogExporters.builder()
                .configure(
                    EnvironmentConfig.of(
                        Map.of("DD_API_KEY", "k", "DD_TRACE_AGENT_URL", "http://agent:8126")))
                .settings()
                .intake())
        .isEqualTo("agent");
  }

  @Test
  void tracesMetricsAndLogsArriveWithTheDocumentedHeadersAndDeltaMetrics() throws Exception {
    sendAll(
        DatadogExporters.builder()
            .apiKey(FakeDatadog.API_KEY)
            .otlpIntakeUrl(datadog.url())
            .env("prod")
            .version("2.0.1"));

    assertThat(datadog.spans).as("nothing went the Agent's way").isEmpty();
    assertThat(datadog.series).isEmpty();

    FakeDatadog.OtlpRequest traces = requests("/v1/traces").get(0);
    assertThat(traces.headers())
        .containsEntry("dd-api-key", FakeDatadog.API_KEY)
        .containsEntry("compute_stats", "true")
        .containsEntry("content-encoding", "gzip");
    ExportTraceServiceRequest spans = (ExportTraceServiceRequest) traces.body();
    assertThat(spans.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName())
        .isEqualTo("GET /cart");
    assertThat(attributes(spans.getResourceSpans(0).getResource()))
        .containsEntry("service.name", "checkout")
        .containsEntry("deployment.environment.name", "prod")
        .containsEntry("service.version", "2.0.1");

    List<Metric> metrics =
        requests("/v1/metrics").stream()
            .peek(
                request ->
                    assertThat(request.headers()).containsEntry("dd-api-key", FakeDatadog.API_KEY))
            .flatMap(
                request ->
                    ((ExportMetricsServiceRequest) request.body())
                        .getResourceMetricsList().stream())
            .peek(
                resource ->
                    assertThat(attributes(resource.getResource()))
                        .containsEntry("deployment.environment.name", "prod"))
            .flatMap(resource -> resource.getScopeMetricsList().stream())
            .flatMap(scope -> scope.getMetricsList().stream())
            .filter(metric -> !metric.getName().startsWith("otel."))
            .toList();
    assertThat(metrics)
        .extracting(Metric::getName)
        .contains("orders", "carts.open", "latency", "queue.depth");
    for (Metric metric : metrics) {
      AggregationTemporality temporality =
          switch (metric.getDataCase()) {
            case SUM -> metric.getSum().getAggregationTemporality();
            case HISTOGRAM -> metric.getHistogram().getAggregationTemporality();
            case EXPONENTIAL_HISTOGRAM ->
                metric.getExponentialHistogram().getAggregationTemporality();
            default -> AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
          };
      assertThat(temporality)
          .as(metric.getName())
          .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    }
    JsonNode metricConfig =
        JSON.readTree(requests("/v1/metrics").get(0).headers().get("dd-otel-metric-config"));
    assertThat(metricConfig.path("histograms").path("mode").asText()).isEqualTo("distributions");
    assertThat(metricConfig.path("histograms").path("send_aggregation_metrics").asBoolean())
        .isFalse();

    ExportLogsServiceRequest logs = (ExportLogsServiceRequest) requests("/v1/logs").get(0).body();
    assertThat(
            logs.getResourceLogsList().stream()
                .flatMap(resource -> resource.getScopeLogsList().stream())
                .flatMap(scope -> scope.getLogRecordsList().stream())
                .map(log -> log.getBody().getStringValue()))
        .contains("cart saved");
    assertThat(requests("/v1/logs").get(0).headers())
        .containsEntry("dd-api-key", FakeDatadog.API_KEY);
  }

  @Test
  void spanOptionsTravelInTheSpanMappingHeaderAndTraceMetricsCanBeLeftOff() throws Exception {
    sendAll(
        DatadogExporters.builder()
            .apiKey(FakeDatadog.API_KEY)
            .otlpIntakeUrl(datadog.url())
            .computeTraceMetrics(false)
            .ignoreResource("^GET /health")
            .spanNameRemapping("shop.server", "web.request"));

    Map<String, String> headers = requests("/v1/traces").get(0).headers();
    assertThat(headers).doesNotContainKey("compute_stats");
    JsonNode mapping = JSON.readTree(headers.get("dd-otel-span-mapping"));
    assertThat(mapping.path("ignore_resources").get(0).asText()).isEqualTo("^GET /health");
    assertThat(mapping.path("span_name_remappings").path("shop.server").asText())
        .isEqualTo("web.request");
  }

  @Test
  void anAgentConfiguredKeepsTodaysPath() {
    sendAll(
        DatadogExporters.builder()
            .apiKey(FakeDatadog.API_KEY)
            .agentUrl(datadog.url())
            .metricsUrl(datadog.url())
            .logsUrl(datadog.url()));

    assertThat(datadog.otlpRequests).isEmpty();
    assertThat(datadog.spans).isNotEmpty();
    assertThat(datadog.logs).isNotEmpty();
  }

  @Test
  void aSiteWithoutAnOtlpIntakeNeedsAnAgentAndTheKeyStaysHidden() {
    assertThatThrownBy(
            () -> DatadogExporters.builder().site("ddog-gov.com").apiKey("k").buildSink())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no OTLP intake")
        .hasMessageContaining("DD_AGENT_HOST");
    assertThatThrownBy(
            () ->
                DatadogExporters.builder()
                    .configure(
                        EnvironmentConfig.of(Map.of("DD_API_KEY", "k", "DD_SITE", "ddog-gov.com")))
                    .buildSink())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("DD_SITE=ddog-gov.com: ");
    assertThatThrownBy(() -> DatadogExporters.builder().apiKey(System.getenv("NO_SUCH_VARIABLE")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("API key is required")
        .hasMessageContaining("DD_API_KEY");
    assertThatThrownBy(
            () ->
                DatadogExporters.builder()
                    .configure(
                        EnvironmentConfig.of(
                            Map.of("DD_API_KEY", "k", "DD_TRACE_AGENT_PORT", "x"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("DD_TRACE_AGENT_PORT=x give ")
        .hasMessageNotContaining("DD_AGENT_HOST");
    var sink = DatadogExporters.builder().apiKey("secret-api-key-1234").buildSink();
    assertThat(Stream.of(sink.toString(), sink.description()))
        .allSatisfy(text -> assertThat(text).doesNotContain("secret-api-key-1234"))
        .anySatisfy(text -> assertThat(text).contains("OTLP intake"));
  }
}
