package dev.otelretention.agent;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver on a given port that decodes every request with the official OTLP
 * protobuf classes and keeps each span as its service name and span id; metric requests are counted
 * and acknowledged.
 */
final class OtlpReceiver implements AutoCloseable {
  /** A received span: the service of its resource and its id in hex. */
  record Received(String service, String spanId) {}

  private final List<Received> spans = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final java.util.concurrent.atomic.AtomicInteger metricRequests =
      new java.util.concurrent.atomic.AtomicInteger();

  OtlpReceiver(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext(
        "/v1/traces",
        exchange -> {
          try (exchange;
              InputStream body = exchange.getRequestBody()) {
            InputStream decoded =
                "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(body)
                    : body;
            keep(ExportTraceServiceRequest.parseFrom(decoded.readAllBytes()));
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
          }
        });
    server.createContext(
        "/v1/metrics",
        exchange -> {
          try (exchange;
              InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            metricRequests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
          }
        });
    server.start();
  }

  private void keep(ExportTraceServiceRequest request) {
    for (ResourceSpans resource : request.getResourceSpansList()) {
      String service = "";
      for (KeyValue attribute : resource.getResource().getAttributesList()) {
        if (attribute.getKey().equals("service.name")) {
          service = attribute.getValue().getStringValue();
        }
      }
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        for (Span span : scope.getSpansList()) {
          spans.add(
              new Received(service, HexFormat.of().formatHex(span.getSpanId().toByteArray())));
        }
      }
    }
  }

  /** How many metric requests arrived (answered 200, not decoded). */
  int metricRequests() {
    return metricRequests.get();
  }

  List<Received> spans() {
    return List.copyOf(spans);
  }

  /** Spans per service: how many arrived and how many distinct ids. */
  Map<String, long[]> countsByService() {
    Map<String, long[]> counts = new java.util.TreeMap<>();
    spans.stream()
        .collect(java.util.stream.Collectors.groupingBy(Received::service))
        .forEach(
            (service, list) ->
                counts.put(
                    service,
                    new long[] {
                      list.size(), list.stream().map(Received::spanId).distinct().count()
                    }));
    return counts;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
