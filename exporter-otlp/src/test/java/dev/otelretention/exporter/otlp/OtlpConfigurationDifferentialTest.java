package dev.otelretention.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SDK's own OTLP exporter ({@code otlp}) and this sink ({@code otlp-spooled}) are built from
 * the same configuration and send the same telemetry to one receiver; what arrives must be the
 * same: per signal the path, the headers the configuration sets, the compression, and for metrics
 * the temporality and the histogram kind, besides the decoded names and bodies.
 */
class OtlpConfigurationDifferentialTest {
  private OtlpHttpReceiver receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = new OtlpHttpReceiver();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  static List<Arguments> configurations() {
    return List.of(
        Arguments.of("defaults", Map.of()),
        Arguments.of(
            "headers for all", Map.of("otel.exporter.otlp.headers", "x-tenant=a,x-key=k%201")),
        Arguments.of(
            "headers per signal replace those for all",
            Map.of(
                "otel.exporter.otlp.headers", "x-tenant=a",
                "otel.exporter.otlp.traces.headers", "x-traces=t",
                "otel.exporter.otlp.logs.headers", "x-logs=l")),
        Arguments.of("gzip for all", Map.of("otel.exporter.otlp.compression", "gzip")),
        Arguments.of(
            "gzip for metrics only", Map.of("otel.exporter.otlp.metrics.compression", "gzip")),
        Arguments.of(
            "no compression for traces over gzip for all",
            Map.of(
                "otel.exporter.otlp.compression", "gzip",
                "otel.exporter.otlp.traces.compression", "none")),
        Arguments.of(
            "delta temporality",
            Map.of("otel.exporter.otlp.metrics.temporality.preference", "delta")),
        Arguments.of(
            "low-memory temporality",
            Map.of("otel.exporter.otlp.metrics.temporality.preference", "lowmemory")),
        Arguments.of(
            "exponential histograms",
            Map.of(
                "otel.exporter.otlp.metrics.default.histogram.aggregation",
                "base2_exponential_bucket_histogram")),
        Arguments.of(
            "timeouts per signal",
            Map.of(
                "otel.exporter.otlp.timeout",
                "4000",
                "otel.exporter.otlp.metrics.timeout",
                "6000")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void theSdksExporterAndTheSinkSendTheSame(String name, Map<String, String> configuration)
      throws Exception {
    Map<String, List<String>> sdk = send("otlp", configuration);
    receiver.clear();
    Map<String, List<String>> ours = send("otlp-spooled", configuration);
    assertThat(ours).as(name).isEqualTo(sdk);
    assertThat(ours)
        .as("every signal arrived")
        .containsKeys("/v1/traces", "/v1/metrics", "/v1/logs");
  }

  /**
   * Sends one span, a counter, an up-down counter, a histogram and a log record through the named
   * exporter, and returns what arrived, per path: each request's configured headers and encoding,
   * then the names of what it held (metrics with their temporality and kind).
   */
  private Map<String, List<String>> send(String exporter, Map<String, String> configuration)
      throws Exception {
    Map<String, String> properties = new HashMap<>(configuration);
    properties.put("otel.traces.exporter", exporter);
    properties.put("otel.metrics.exporter", exporter);
    properties.put("otel.logs.exporter", exporter);
    properties.put("otel.exporter.otlp.endpoint", receiver.endpoint());
    properties.put("otel.exporter.otlp.protocol", "http/protobuf");
    properties.put("otel.service.name", "differential");
    properties.put("otel.metric.export.interval", "60000");
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> properties)
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    sdk.getTracer("differential").spanBuilder("GET /cart").startSpan().end();
    sdk.getMeter("differential").counterBuilder("orders").build().add(3);
    sdk.getMeter("differential").upDownCounterBuilder("queue").build().add(2);
    sdk.getMeter("differential").histogramBuilder("latency").build().record(12.5);
    sdk.getLogsBridge().get("differential").logRecordBuilder().setBody("cart served").emit();
    assertThat(sdk.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    Map<String, List<String>> arrived = new TreeMap<>();
    for (OtlpHttpReceiver.Request request : receiver.requestLog()) {
      List<String> seen = arrived.computeIfAbsent(request.path(), p -> new ArrayList<>());
      Map<String, String> headers = new TreeMap<>();
      request
          .headers()
          .forEach(
              (header, value) -> {
                if (header.startsWith("x-") || header.equals("content-encoding")) {
                  headers.put(header, value);
                }
              });
      seen.add("headers " + headers);
      switch (request.path()) {
        case "/v1/traces" ->
            io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(
                    request.body())
                .getResourceSpansList()
                .forEach(
                    r ->
                        r.getScopeSpansList()
                            .forEach(
                                s -> s.getSpansList().forEach(span -> seen.add(span.getName()))));
        case "/v1/logs" ->
            io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.parseFrom(
                    request.body())
                .getResourceLogsList()
                .forEach(
                    r ->
                        r.getScopeLogsList()
                            .forEach(
                                s ->
                                    s.getLogRecordsList()
                                        .forEach(l -> seen.add(l.getBody().getStringValue()))));
        default -> {
          ExportMetricsServiceRequest metrics =
              ExportMetricsServiceRequest.parseFrom(request.body());
          metrics
              .getResourceMetricsList()
              .forEach(
                  r ->
                      r.getScopeMetricsList().stream()
                          .filter(s -> s.getScope().getName().equals("differential"))
                          .forEach(s -> s.getMetricsList().forEach(m -> seen.add(describe(m)))));
        }
      }
    }
    return arrived;
  }

  private static String describe(Metric metric) {
    return metric.getName()
        + " "
        + switch (metric.getDataCase()) {
          case SUM -> "sum " + metric.getSum().getAggregationTemporality();
          case HISTOGRAM -> "histogram " + metric.getHistogram().getAggregationTemporality();
          case EXPONENTIAL_HISTOGRAM ->
              "exponential histogram "
                  + metric.getExponentialHistogram().getAggregationTemporality();
          default -> metric.getDataCase().toString();
        };
  }
}
