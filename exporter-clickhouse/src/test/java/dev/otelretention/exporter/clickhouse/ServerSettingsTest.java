package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.RetryPolicy;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Server settings of the connection, as the Collector's {@code connection_params}: sent with every
 * insert and every DDL statement (read from the front's request log), applied by the real engine
 * (which the front hands each one to with {@code SET}), names validated as setting names.
 */
class ServerSettingsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TelemetryRetention telemetry(ClickHouseExporters.Builder builder) {
    return TelemetryRetention.builder()
        .config(EnvironmentConfig.of(Map.of()))
        .serviceName("server-settings")
        .addSink(builder.buildSink())
        .batchTimeout(Duration.ofMillis(20))
        .retryPolicy(
            RetryPolicy.builder()
                .initialInterval(Duration.ofMillis(20))
                .maxInterval(Duration.ofMillis(50))
                .maxElapsedTime(Duration.ofSeconds(1))
                .build())
        .closeOnJvmShutdown(false)
        .build();
  }

  /** The requests naming {@code database}, as the front logged them. */
  private static List<JsonNode> requests(ClickHouseFront front, String database) throws Exception {
    List<JsonNode> requests = new ArrayList<>();
    for (String line : Files.readAllLines(front.requestLog())) {
      JsonNode request = JSON.readTree(line);
      if (request.get("statement").asText().contains(database)) {
        requests.add(request);
      }
    }
    return requests;
  }

  @Test
  void everyInsertAndEveryDdlStatementCarriesTheSettings() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    String database = "server_settings_on";
    try (TelemetryRetention telemetry =
        telemetry(
            ClickHouseExporters.builder()
                .endpoint(front.endpoint())
                .password(ClickHouseFront.PASSWORD)
                .database(database)
                .configure(
                    EnvironmentConfig.of(
                        Map.of(
                            "OTEL_RETENTION_CLICKHOUSE_SERVER_SETTINGS",
                            "max_insert_threads=3, log_comment=it's otel-retention"))))) {
      telemetry.openTelemetry().getTracer("shop").spanBuilder("GET /cart").startSpan().end();
      telemetry.openTelemetry().getLogsBridge().get("shop").logRecordBuilder().setBody("hi").emit();
      assertThat(telemetry.flush(Duration.ofSeconds(20))).isTrue();
    }

    List<JsonNode> requests = requests(front, database);
    assertThat(requests).anyMatch(request -> request.get("insert").asBoolean());
    assertThat(requests)
        .anyMatch(request -> request.get("statement").asText().startsWith("CREATE TABLE"));
    assertThat(requests)
        .allSatisfy(
            request -> {
              assertThat(request.get("settings").path("max_insert_threads").asText())
                  .isEqualTo("3");
              assertThat(request.get("settings").path("log_comment").asText())
                  .isEqualTo("it's otel-retention");
            });
    assertThat(front.count("SELECT count() FROM " + database + ".otel_logs WHERE Body = 'hi'"))
        .isEqualTo(1);
  }

  @Test
  void theRealEngineAppliesThemAndRefusesOneItDoesNotKnow() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    SinkHealth traces;
    try (TelemetryRetention telemetry =
        telemetry(
            ClickHouseExporters.builder()
                .endpoint(front.endpoint())
                .password(ClickHouseFront.PASSWORD)
                .database("server_settings_unknown")
                .serverSetting("no_such_server_setting_here", "1"))) {
      telemetry.openTelemetry().getTracer("shop").spanBuilder("GET /cart").startSpan().end();
      telemetry.flush(Duration.ofSeconds(5));
      traces =
          telemetry.health().sinks().stream()
              .filter(sink -> sink.signal() == dev.otelretention.export.Signal.TRACES)
              .findFirst()
              .orElseThrow();
    }
    assertThat(traces.exported()).isZero();
    assertThat(traces.lastError()).contains("no_such_server_setting_here");
  }

  @Test
  void namesAreValidatedAndTheExportersOwnAreRefused() {
    assertThatThrownBy(
            () ->
                ClickHouseExporters.builder()
                    .configure(
                        EnvironmentConfig.of(
                            Map.of(
                                "OTEL_RETENTION_CLICKHOUSE_SERVER_SETTINGS",
                                "max_threads=2,max threads=1"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("OTEL_RETENTION_CLICKHOUSE_SERVER_SETTINGS")
        .hasMessageContaining("letters, digits and _");
    assertThatThrownBy(
            () ->
                ClickHouseExporters.builder()
                    .configure(
                        EnvironmentConfig.of(
                            Map.of("OTEL_RETENTION_CLICKHOUSE_SERVER_SETTINGS", "max_threads"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("name=value");
    assertThatThrownBy(() -> ClickHouseExporters.builder().serverSetting("readonly", "1"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("set by the exporter itself");
    assertThatThrownBy(() -> ClickHouseExporters.builder().serverSetting("x'; DROP", "1"))
        .isInstanceOf(ConfigException.class);
  }
}
