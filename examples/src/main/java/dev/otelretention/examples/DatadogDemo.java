package dev.otelretention.examples;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.datadog.DatadogExporters;
import dev.otelretention.logs.ApplicationLogs;
import dev.otelretention.testing.datadog.FakeDatadog;
import java.time.Duration;
import java.util.Map;

/**
 * A Datadog configuration sample, run against the fake Agent and intake of the tests (Datadog
 * itself cannot be reached from here): the same settings an application would put in its
 * environment, with the hosts pointed at the fake. Run it for {@code -Ddemo.seconds=N} (default 5).
 */
public final class DatadogDemo {
  private DatadogDemo() {}

  /** Runs the demo. */
  public static void main(String[] args) throws Exception {
    Duration duration = Duration.ofSeconds(Long.getLong("demo.seconds", 5));
    try (FakeDatadog datadog = new FakeDatadog()) {
      // What production sets: DD_SITE, DD_API_KEY, DD_ENV, DD_VERSION, and the Agent's address.
      Map<String, String> environment =
          Map.of(
              "DD_SITE",
              "datadoghq.eu",
              "DD_API_KEY",
              FakeDatadog.API_KEY,
              "DD_ENV",
              "demo",
              "DD_VERSION",
              "1.0.0",
              "DD_TRACE_AGENT_URL",
              datadog.url(),
              // only because the intake is faked here; a real deployment leaves these out
              "OTEL_RETENTION_DATADOG_METRICS_URL",
              datadog.url(),
              "OTEL_RETENTION_DATADOG_LOGS_URL",
              datadog.url());
      long requests;
      try (TelemetryRetention telemetry =
          TelemetryRetention.builder()
              .config(EnvironmentConfig.of(environment))
              .serviceName("demo-shop")
              .addSink(
                  DatadogExporters.builder()
                      .configure(EnvironmentConfig.of(environment))
                      .buildSink())
              .captureApplicationLogs(ApplicationLogs.Framework.LOGBACK)
              .closeOnJvmShutdown(false)
              .build()) {
        System.out.println(
            "simulating a shop for "
                + duration.toSeconds()
                + " s, exporting to Datadog (fake intake at "
                + datadog.url()
                + ")");
        requests =
            ShopSimulation.run(
                telemetry.openTelemetry(), duration, () -> telemetry.flush(Duration.ofSeconds(30)));
      }
      System.out.println("simulated " + requests + " requests");
      System.out.printf(
          "the Agent decoded %,d spans; the intake %,d series and %,d log entries; schema violations: %d%n",
          datadog.spans.size(),
          datadog.series.size(),
          datadog.logs.size(),
          datadog.violations.size());
      datadog.spans.stream()
          .filter(s -> "web".equals(s.get("type")))
          .findFirst()
          .ifPresent(
              span ->
                  System.out.println(
                      "a server span as the Agent sees it: service="
                          + span.get("service")
                          + " name="
                          + span.get("name")
                          + " resource="
                          + span.get("resource")
                          + " meta="
                          + span.get("meta")));
      datadog.series.stream()
          .filter(s -> s.path("metric").asText().startsWith("db.client.connection"))
          .findFirst()
          .ifPresent(s -> System.out.println("a pool metric as the intake sees it: " + s));
    }
  }
}
