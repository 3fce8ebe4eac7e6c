package dev.otelretention.testing.datadog;

import com.sun.net.httpserver.HttpExchange;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Datadog's OTLP intake ({@code /v1/traces}, {@code /v1/metrics}, {@code /v1/logs}), as Datadog
 * documents it: OTLP http/protobuf, the API key in {@code dd-api-key}, and for metrics delta
 * temporality only (a cumulative sum or histogram is refused). Bodies are decoded with the official
 * OTLP classes, and the requests' headers are recorded with them.
 */
final class OtlpIntake {
  /** Datadog's limit of an uncompressed OTLP metrics payload, in bytes. */
  static final int METRICS_LIMIT = 500_000;

  private final FakeDatadog fake;

  OtlpIntake(FakeDatadog fake) {
    this.fake = fake;
  }

  private static byte[] body(HttpExchange exchange, byte[] body) throws IOException {
    if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        return in.readAllBytes();
      }
    }
    return body;
  }

  private static String common(HttpExchange exchange) {
    if (!exchange.getRequestMethod().equals("POST")) {
      return "OTLP needs POST";
    }
    if (!FakeDatadog.API_KEY.equals(exchange.getRequestHeaders().getFirst("dd-api-key"))) {
      return FakeDatadog.KEY_PROBLEM + "dd-api-key";
    }
    if (!"application/x-protobuf".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
      return "the OTLP intake takes http/protobuf";
    }
    return null;
  }

  private static Map<String, String> headers(HttpExchange exchange) {
    Map<String, String> headers = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
    return headers;
  }

  /** Keeps an accepted request with its headers; no problem to answer. */
  private String record(HttpExchange exchange, String path, Object request) {
    fake.otlpRequests.add(new FakeDatadog.OtlpRequest(path, headers(exchange), request));
    return null;
  }

  String traces(HttpExchange exchange, byte[] body) throws IOException {
    String problem = common(exchange);
    if (problem != null) {
      return problem;
    }
    return record(
        exchange, "/v1/traces", ExportTraceServiceRequest.parseFrom(body(exchange, body)));
  }

  String metrics(HttpExchange exchange, byte[] body) throws IOException {
    String problem = common(exchange);
    if (problem != null) {
      return problem;
    }
    byte[] plain = body(exchange, body);
    if (plain.length > METRICS_LIMIT) {
      return "an OTLP metrics payload of " + plain.length + " bytes";
    }
    ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(plain);
    for (ResourceMetrics resource : request.getResourceMetricsList()) {
      for (ScopeMetrics scope : resource.getScopeMetricsList()) {
        for (Metric metric : scope.getMetricsList()) {
          AggregationTemporality temporality =
              switch (metric.getDataCase()) {
                case SUM -> metric.getSum().getAggregationTemporality();
                case HISTOGRAM -> metric.getHistogram().getAggregationTemporality();
                case EXPONENTIAL_HISTOGRAM ->
                    metric.getExponentialHistogram().getAggregationTemporality();
                default -> AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
              };
          if (temporality != AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA) {
            return "metric " + metric.getName() + " is " + temporality + "; the intake takes delta";
          }
        }
      }
    }
    return record(exchange, "/v1/metrics", request);
  }

  String logs(HttpExchange exchange, byte[] body) throws IOException {
    String problem = common(exchange);
    if (problem != null) {
      return problem;
    }
    return record(exchange, "/v1/logs", ExportLogsServiceRequest.parseFrom(body(exchange, body)));
  }
}
