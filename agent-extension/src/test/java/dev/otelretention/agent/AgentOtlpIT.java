package dev.otelretention.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real OpenTelemetry Java agent with the extension jar and {@code
 * otel.traces.exporter=otlp-spooled}: the spooled OTLP sink in the extension, on the agent's own
 * OTLP exporters, delivers what a run could not send (the receiver down) with the next run, every
 * span once, to a receiver that decodes with the official OTLP protobuf classes.
 */
class AgentOtlpIT {
  @TempDir Path dir;

  @Test
  void withTheSpoolWhatAnAgentRunCouldNotSendArrivesOnceWithTheNextRun() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.traces.exporter", "otlp-spooled");
    properties.put("otel.metrics.exporter", "otlp-spooled");
    properties.put("otel.logs.exporter", "none");
    properties.put("otel.exporter.otlp.protocol", "http/protobuf");
    properties.put("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + port);
    properties.put("otel.retention.spool.enabled", "true");
    properties.put("otel.retention.spool.directory", dir.resolve("spool").toString());
    // the receiver is down: the spans wait in the spool when the application exits
    properties.put("otel.service.name", "before-outage-end");
    long start = System.nanoTime();
    AgentRun before = AgentRun.run(dir, properties);
    long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertThat(before.exitCode).isZero();
    try (java.util.stream.Stream<Path> metrics =
        java.nio.file.Files.walk(dir.resolve("spool").resolve("otlp-spooled").resolve("metrics"))) {
      assertThat(
              metrics
                  .filter(f -> f.toString().endsWith(".seg"))
                  .mapToLong(f -> f.toFile().length()))
          .as("the last metric export, kept in the spool at exit")
          .anyMatch(size -> size > 0);
    }
    System.out.printf("the run with the receiver down took %d s%n", seconds);
    assertThat(before.output)
        .contains("done")
        .contains(
            "the otlp-spooled exporter for traces, exporting to OTLP http/protobuf: traces to"
                + " http://127.0.0.1:"
                + port
                + "/v1/traces")
        .contains("batches wait in the spool " + dir.resolve("spool"))
        .contains("otlp-spooled/traces: export failed, retrying: ")
        .contains("cannot reach 127.0.0.1:" + port)
        .doesNotContain("NoClassDefFoundError")
        .doesNotContain("Failed to export");
    try (OtlpReceiver receiver = new OtlpReceiver(port)) {
      properties.put("otel.service.name", "after-outage-end");
      AgentRun after = AgentRun.run(dir, properties);
      assertThat(after.exitCode).isZero();
      assertThat(after.output).doesNotContain("NoClassDefFoundError");
      List<String> counts =
          receiver.countsByService().entrySet().stream()
              .map(e -> e.getKey() + " " + e.getValue()[0] + " " + e.getValue()[1])
              .collect(Collectors.toList());
      assertThat(counts)
          .as("spans per run: service, spans received, distinct span ids")
          .containsExactly("after-outage-end 5 5", "before-outage-end 5 5");
      assertThat(receiver.metricRequests())
          .as("the first run's metrics, from the spool")
          .isPositive();
      System.out.printf(
          "agent %s with the extension and the spool, the OTLP receiver down during the first run:"
              + " service, spans, distinct span ids %s%n",
          System.getProperty("agent.version"), counts);
    }
  }

  @Test
  void theProxyVariablesOfTheEnvironmentAreReadUnderTheAgent() throws Exception {
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.traces.exporter", "otlp-spooled");
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    properties.put("otel.exporter.otlp.endpoint", "https://collector.example.com:4318");
    AgentRun run =
        AgentRun.run(
            dir, properties, Map.of("HTTPS_PROXY", "socks5://svc:proxy-secret@127.0.0.1:1080"));
    assertThat(run.exitCode).isZero();
    assertThat(run.output)
        .contains("done")
        .contains("HTTPS_PROXY asks for a socks5 proxy")
        .doesNotContain("proxy-secret");
  }
}
