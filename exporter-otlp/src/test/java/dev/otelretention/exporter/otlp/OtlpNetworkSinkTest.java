package dev.otelretention.exporter.otlp;

import dev.otelretention.sink.TelemetrySink;
import dev.otelretention.testing.NetworkSinkKit;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The network sink kit against an OTLP/HTTP receiver that decodes with the official OTLP classes. A
 * receiver stores a batch sent twice twice.
 */
class OtlpNetworkSinkTest extends NetworkSinkKit {
  @Override
  protected Destination startDestination() throws Exception {
    OtlpHttpReceiver receiver = new OtlpHttpReceiver();
    return new Destination() {
      @Override
      public void stop() {
        receiver.stop();
      }

      @Override
      public void start() throws Exception {
        receiver.start();
      }

      @Override
      public List<String> spanNames() {
        return receiver.spans().stream().map(Span::getName).toList();
      }

      @Override
      public List<String> logBodies() {
        return receiver.logRecords().stream()
            .map(LogRecord::getBody)
            .map(body -> body.getStringValue())
            .toList();
      }

      @Override
      public List<String> metricNames() {
        List<String> names = new ArrayList<>();
        for (ExportMetricsServiceRequest request : receiver.metricRequests()) {
          request
              .getResourceMetricsList()
              .forEach(
                  resource ->
                      resource
                          .getScopeMetricsList()
                          .forEach(
                              scope ->
                                  scope.getMetricsList().stream()
                                      .map(Metric::getName)
                                      .forEach(names::add)));
        }
        return names;
      }

      @Override
      public List<String> sinkArguments() {
        return List.of(receiver.endpoint());
      }

      @Override
      public void close() {
        receiver.close();
      }
    };
  }

  @Override
  protected TelemetrySink sink(List<String> arguments) {
    return OtlpExporters.builder().endpoint(arguments.get(0)).buildSink();
  }

  @Override
  protected String autoconfigureName() {
    return "otlp-spooled";
  }

  @Override
  protected Map<String, String> autoconfigureProperties(Destination destination) {
    // the default protocol is grpc, as for the SDK's own otlp exporter
    return Map.of(
        "otel.exporter.otlp.endpoint",
        destination.sinkArguments().get(0),
        "otel.exporter.otlp.protocol",
        "http/protobuf");
  }

  @Override
  protected boolean deduplicates() {
    return false;
  }
}
