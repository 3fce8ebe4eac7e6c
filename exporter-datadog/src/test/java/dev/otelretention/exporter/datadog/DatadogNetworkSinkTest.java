package dev.otelretention.exporter.datadog;

import dev.otelretention.sink.TelemetrySink;
import dev.otelretention.testing.NetworkSinkKit;
import dev.otelretention.testing.datadog.FakeDatadog;
import java.util.List;
import java.util.Map;

/**
 * The network sink kit against the fake Datadog Agent and intake, built from Datadog's documented
 * schema (no real Datadog is reachable from the tests). Datadog stores a batch sent twice twice.
 */
class DatadogNetworkSinkTest extends NetworkSinkKit {
  @Override
  protected Destination startDestination() throws Exception {
    FakeDatadog datadog = new FakeDatadog();
    return new Destination() {
      @Override
      public void stop() {
        datadog.stop();
      }

      @Override
      public void start() throws Exception {
        datadog.start();
      }

      @Override
      public List<String> spanNames() {
        synchronized (datadog.spans) {
          return datadog.spans.stream().map(span -> String.valueOf(span.get("resource"))).toList();
        }
      }

      @Override
      public List<String> logBodies() {
        synchronized (datadog.logs) {
          return datadog.logs.stream().map(log -> log.path("message").asText()).toList();
        }
      }

      @Override
      public List<String> metricNames() {
        synchronized (datadog.series) {
          return datadog.series.stream().map(series -> series.path("metric").asText()).toList();
        }
      }

      @Override
      public List<String> sinkArguments() {
        return List.of(datadog.url());
      }

      @Override
      public void close() {
        datadog.close();
      }
    };
  }

  @Override
  protected TelemetrySink sink(List<String> arguments) {
    String url = arguments.get(0);
    return DatadogExporters.builder()
        .apiKey(FakeDatadog.API_KEY)
        .agentUrl(url)
        .metricsUrl(url)
        .logsUrl(url)
        .buildSink();
  }

  @Override
  protected String autoconfigureName() {
    return "datadog";
  }

  @Override
  protected Map<String, String> autoconfigureProperties(Destination destination) {
    String url = destination.sinkArguments().get(0);
    return Map.of(
        "dd.api.key",
        FakeDatadog.API_KEY,
        "dd.trace.agent.url",
        url,
        "otel.retention.datadog.metrics-url",
        url,
        "otel.retention.datadog.logs-url",
        url);
  }

  @Override
  protected boolean deduplicates() {
    return false;
  }
}
