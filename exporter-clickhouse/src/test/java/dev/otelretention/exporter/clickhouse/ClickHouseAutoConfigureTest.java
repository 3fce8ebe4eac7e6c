package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.testing.LogCapture;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ClickHouse exporters under OpenTelemetry's autoconfigure: their settings, credentials and a
 * misconfiguration (selection by name for every signal is in {@link ClickHouseNetworkSinkTest}).
 */
class ClickHouseAutoConfigureTest {
  @Test
  void anAutoconfigureSettingReachesTheTable() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.traces.exporter", "clickhouse");
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    properties.put("otel.exporter.clickhouse.endpoint", front.endpoint());
    properties.put("otel.exporter.clickhouse.password", ClickHouseFront.PASSWORD);
    properties.put("otel.exporter.clickhouse.database", "autoconfigured");
    properties.put("otel.exporter.clickhouse.traces-ttl", "3d");
    properties.put("otel.service.name", "auto");
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> properties)
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    sdk.getTracer("auto").spanBuilder("via-autoconfigure").startSpan().end();
    sdk.shutdown().join(30, TimeUnit.SECONDS);

    assertThat(
            front.count(
                "SELECT count() FROM autoconfigured.otel_traces WHERE SpanName = 'via-autoconfigure' AND ServiceName = 'auto'"))
        .isEqualTo(1);
    assertThat(front.query("SHOW CREATE TABLE autoconfigured.otel_traces").get(0).getString(1))
        .contains("toIntervalDay(3)");
  }

  @Test
  void credentialsInTheEndpointUrlWorkThroughAutoconfigure() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.traces.exporter", "clickhouse");
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    properties.put(
        "otel.exporter.clickhouse.endpoint",
        front.endpoint().replace("://", "://default:" + ClickHouseFront.PASSWORD + "@"));
    properties.put("otel.exporter.clickhouse.database", "autoconfigured_url");
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> properties)
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    sdk.getTracer("auto").spanBuilder("url-credentials").startSpan().end();
    sdk.shutdown().join(30, TimeUnit.SECONDS);
    assertThat(
            front.count(
                "SELECT count() FROM autoconfigured_url.otel_traces WHERE SpanName = 'url-credentials'"))
        .isEqualTo(1);
  }

  @Test
  void aMisconfiguredExporterNeverFailsAutoconfigureAndTheOthersGoOn(@TempDir Path dir)
      throws Exception {
    Map<String, String> properties = new HashMap<>();
    // no endpoint: the ClickHouse exporter cannot be built
    properties.put("otel.traces.exporter", "clickhouse,otlp-file-rotating");
    properties.put("otel.metrics.exporter", "clickhouse");
    properties.put("otel.logs.exporter", "clickhouse");
    properties.put("otel.exporter.otlp-file-rotating.directory", dir.toString());
    properties.put("otel.exporter.otlp-file-rotating.flush-interval", "0");
    OpenTelemetrySdk sdk;
    try (LogCapture severe = LogCapture.of("dev.otelretention", Level.SEVERE)) {
      sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(() -> properties)
              .disableShutdownHook()
              .build()
              .getOpenTelemetrySdk();
      assertThat(severe.messages())
          .hasSize(3)
          .allSatisfy(
              line ->
                  assertThat(line)
                      .contains("the clickhouse exporter for")
                      .contains("cannot start")
                      .contains("a ClickHouse endpoint is required"));
    }
    sdk.getTracer("auto").spanBuilder("still-exported").startSpan().end();
    sdk.shutdown().join(30, TimeUnit.SECONDS);
    assertThat(Files.readString(dir.resolve("traces.jsonl"))).contains("still-exported");
  }
}
