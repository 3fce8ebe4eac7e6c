package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import io.opentelemetry.api.trace.Tracer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each insert compression reaches the real engine: the front logs the {@code Content-Encoding} the
 * client sent and hands the body to the engine, which stores the rows only if it decoded them.
 */
class InsertCompressionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {"lz4", "zstd", "gzip", "none"})
  void insertsArriveCompressedInTheChosenCodec(String codec) throws Exception {
    ClickHouseFront front = ClickHouseFront.get();
    String database = "compression_" + codec;
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .serviceName("compression")
            .addSink(
                ClickHouseExporters.builder()
                    .endpoint(front.endpoint())
                    .password(ClickHouseFront.PASSWORD)
                    .database(database)
                    .configure(
                        EnvironmentConfig.of(
                            Map.of(
                                "OTEL_RETENTION_CLICKHOUSE_COMPRESSION",
                                codec.toUpperCase(java.util.Locale.ROOT))))
                    .buildSink())
            .batchTimeout(Duration.ofMillis(20))
            .closeOnJvmShutdown(false)
            .build()) {
      Tracer tracer = telemetry.openTelemetry().getTracer("shop");
      for (int i = 0; i < 500; i++) {
        tracer
            .spanBuilder("GET /cart/" + i)
            .setAttribute("http.route", "/cart/{id}")
            .startSpan()
            .end();
      }
      assertThat(telemetry.flush(Duration.ofSeconds(30))).isTrue();
    }
    assertThat(
            front.count(
                "SELECT count() FROM "
                    + database
                    + ".otel_traces WHERE SpanAttributes['http.route'] = '/cart/{id}'"))
        .isEqualTo(500);
    List<String> encodings = new ArrayList<>();
    for (String line : Files.readAllLines(front.requestLog())) {
      JsonNode request = JSON.readTree(line);
      if (request.get("insert").asBoolean()
          && request.get("statement").asText().contains(database)) {
        encodings.add(request.get("encoding").asText());
      }
    }
    assertThat(encodings).isNotEmpty().containsOnly(codec.equals("none") ? "" : codec);
  }

  @Test
  void theCodecIsCheckedAndTheEarlierTrueOrFalseStillReads() {
    assertThat(ClickHouseExporters.builder().toString()).contains("compression=lz4");
    assertThat(
            ClickHouseExporters.builder()
                .configure(
                    EnvironmentConfig.of(Map.of("OTEL_RETENTION_CLICKHOUSE_COMPRESSION", "false")))
                .toString())
        .contains("compression=none");
    assertThatThrownBy(
            () ->
                ClickHouseExporters.builder()
                    .configure(
                        EnvironmentConfig.of(
                            Map.of("OTEL_RETENTION_CLICKHOUSE_COMPRESSION", "brotli"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "OTEL_RETENTION_CLICKHOUSE_COMPRESSION must be one of lz4, zstd, gzip, none, got"
                + " 'brotli'");
    assertThatThrownBy(() -> ClickHouseExporters.builder().compression("snappy"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("compression must be one of");
  }
}
