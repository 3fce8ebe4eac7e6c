package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.testing.LogCapture;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * Credentials in {@code CLICKHOUSE_ENDPOINT} log in, and never appear in a log line, a description,
 * a {@code toString()} or an error message.
 */
class EndpointCredentialsTest {
  private static final String SECRET = ClickHouseFront.PASSWORD;

  @Test
  void credentialsInTheEndpointAreUsedAndNeverPrinted() throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    String plain = front.endpoint();
    String withCredentials = plain.replace("://", "://default:" + SECRET + "@");
    List<String> printed = Collections.synchronizedList(new ArrayList<>());
    try (LogCapture logged = LogCapture.of("", Level.ALL)) {
      // no CLICKHOUSE_PASSWORD: the URL's password selects ClickHouse and logs in
      EnvironmentConfig env =
          EnvironmentConfig.of(
              Map.of(
                  "CLICKHOUSE_ENDPOINT",
                  withCredentials,
                  "CLICKHOUSE_DATABASE",
                  "url_credentials"));
      ClickHouseExporters.Builder builder = ClickHouseExporters.builder().configure(env);
      printed.add(builder.toString());
      printed.add(builder.buildSink().toString());
      try (TelemetryRetention telemetry =
          TelemetryRetention.builder()
              .config(env)
              .serviceName("credentials")
              .batchTimeout(Duration.ofMillis(50))
              .closeOnJvmShutdown(false)
              .build()) {
        printed.add(telemetry.toString());
        printed.addAll(telemetry.sinkDescriptions());
        assertThat(telemetry.sinkDescriptions())
            .singleElement()
            .asString()
            .startsWith("ClickHouse at " + plain);
        Tracer tracer = telemetry.openTelemetry().getTracer("t");
        for (int i = 0; i < 5; i++) {
          tracer.spanBuilder("s" + i).startSpan().end();
        }
        assertThat(telemetry.flush(Duration.ofSeconds(30))).isTrue();
        printed.add(telemetry.health().toString());
      }
      assertThat(front.count("SELECT count() FROM url_credentials.otel_traces")).isEqualTo(5);
      for (String malformed :
          List.of(
              plain.replace("://", "://default:" + SECRET + "@").replaceFirst(":\\d+$", ":99999"),
              "http://default:" + SECRET + "@[not-a-host",
              "ftp://default:" + SECRET + "@127.0.0.1:21")) {
        assertThatThrownBy(() -> ClickHouseExporters.builder().endpoint(malformed))
            .isInstanceOf(ConfigException.class)
            .satisfies(e -> printed.add(e.getMessage()))
            .hasMessageContaining("***");
      }
      assertThatThrownBy(
              () ->
                  ClickHouseExporters.builder()
                      .endpoint(withCredentials)
                      .password("other")
                      .buildSink())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("given twice")
          .satisfies(e -> printed.add(e.getMessage()));
      printed.addAll(logged.messages());
    }
    assertThat(printed).isNotEmpty().noneMatch(line -> line.contains(SECRET));
  }
}
