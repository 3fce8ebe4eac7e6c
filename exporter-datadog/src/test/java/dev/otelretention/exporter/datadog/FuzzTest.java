package dev.otelretention.exporter.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.testing.RandomTelemetry;
import dev.otelretention.testing.datadog.FakeDatadog;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Random hostile telemetry to the fake Agent and intake: every payload decodes and passes their
 * checks.
 */
class FuzzTest {

  @Test
  void everyPayloadOfRandomTelemetryDecodesAndPassesTheChecks() throws Exception {
    RandomTelemetry random = new RandomTelemetry(20261124L);
    try (FakeDatadog datadog = new FakeDatadog()) {
      try (TelemetryRetention telemetry =
          TelemetryRetention.builder()
              .config(EnvironmentConfig.of(Map.of()))
              .addSink(
                  DatadogExporters.builder()
                      .apiKey(FakeDatadog.API_KEY)
                      .agentUrl(datadog.url())
                      .metricsUrl(datadog.url())
                      .logsUrl(datadog.url())
                      .hostname("fuzz-host")
                      .buildSink())
              .batchTimeout(Duration.ofMillis(20))
              .closeOnJvmShutdown(false)
              .build()) {
        random.spans(telemetry.openTelemetry().getTracer("fuzz"), 400);
        random.logs(telemetry.openTelemetry().getLogsBridge().get("fuzz"), 400);
        random.metrics(telemetry.openTelemetry().getMeter("fuzz"), 200);
        assertThat(telemetry.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(telemetry.health().sinks())
            .as("seed " + random.seed())
            .allMatch(s -> s.dropped() == 0);
      }
      assertThat(datadog.violations).as("seed " + random.seed()).isEmpty();
      assertThat(datadog.spans).hasSize(400);
      assertThat(datadog.logs.size()).isGreaterThanOrEqualTo(400);
      assertThat(datadog.series).isNotEmpty();
    }
  }
}
