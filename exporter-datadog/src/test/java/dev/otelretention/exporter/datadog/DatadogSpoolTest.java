package dev.otelretention.exporter.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.SpoolSettings;
import dev.otelretention.testing.datadog.FakeDatadog;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.trace.Tracer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Datadog behind the durable spool: what was accepted while the Agent and intake were away arrives
 * later.
 */
class DatadogSpoolTest {
  @TempDir Path spool;

  private TelemetryRetention telemetry(String url) {
    return TelemetryRetention.builder()
        .config(EnvironmentConfig.of(Map.of()))
        .serviceName("checkout")
        .addSink(
            DatadogExporters.builder()
                .apiKey(FakeDatadog.API_KEY)
                .agentUrl(url)
                .metricsUrl(url)
                .logsUrl(url)
                .env("test")
                .hostname("host-1")
                .buildSink())
        .spool(SpoolSettings.builder(spool).build())
        .batchTimeout(Duration.ofMillis(20))
        .retryPolicy(
            RetryPolicy.builder()
                .initialInterval(Duration.ofMillis(20))
                .maxInterval(Duration.ofMillis(100))
                .maxElapsedTime(Duration.ofMillis(200))
                .build())
        .shutdownTimeout(Duration.ofSeconds(1))
        .closeOnJvmShutdown(false)
        .build();
  }

  @Test
  void whatWasAcceptedWhileDatadogWasAwayArrivesOnceWithoutTheKeyOnDisk() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (TelemetryRetention telemetry = telemetry("http://127.0.0.1:" + closedPort)) {
      Tracer tracer = telemetry.openTelemetry().getTracer("spooled");
      Logger logger = telemetry.openTelemetry().getLogsBridge().get("spooled");
      var latency =
          telemetry.openTelemetry().getMeter("spooled").histogramBuilder("latency").build();
      for (int i = 0; i < 40; i++) {
        tracer.spanBuilder("span-" + i).startSpan().end();
        logger.logRecordBuilder().setBody("log " + i).emit();
        latency.record(i + 1);
      }
      assertThat(telemetry.flush(Duration.ofMillis(1500))).as("nobody is listening").isFalse();
      assertThat(telemetry.health().sinks()).allMatch(s -> s.dropped() == 0);
    }
    try (Stream<Path> files = Files.walk(spool)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
            .as("the API key never reaches the disk")
            .doesNotContain(FakeDatadog.API_KEY);
      }
    }
    try (FakeDatadog datadog = new FakeDatadog()) {
      try (TelemetryRetention telemetry = telemetry(datadog.url())) {
        assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
      }
      assertThat(datadog.violations).isEmpty();
      assertThat(datadog.spans).hasSize(40);
      assertThat(datadog.spans.stream().map(s -> s.get("resource")).distinct()).hasSize(40);
      assertThat(
              datadog.logs.stream()
                  .filter(l -> l.path("message").asText().startsWith("log "))
                  .count())
          .isEqualTo(40);
      // a sketch body keeps its kind in the spool: it goes to the sketches intake, not as series
      assertThat(datadog.sketches)
          .filteredOn(sketch -> sketch.metric().equals("latency"))
          .singleElement()
          .satisfies(sketch -> assertThat(sketch.count()).isEqualTo(40));
    }
  }
}
