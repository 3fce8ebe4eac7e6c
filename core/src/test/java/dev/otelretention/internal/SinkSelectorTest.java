package dev.otelretention.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.sink.TelemetrySink;
import dev.otelretention.sink.TelemetrySinkProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkSelectorTest {
  private static TelemetrySinkProvider provider(String name) {
    return new TelemetrySinkProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public TelemetrySink create(EnvironmentConfig config) {
        throw new UnsupportedOperationException();
      }
    };
  }

  private static final List<TelemetrySinkProvider> BOTH =
      List.of(provider("file"), provider("clickhouse"));

  @Test
  void clickhouseNeedsBothEndpointAndPassword() {
    var both =
        SinkSelector.select(
            EnvironmentConfig.of(
                Map.of("CLICKHOUSE_ENDPOINT", "http://ch:8123", "CLICKHOUSE_PASSWORD", "pw")),
            BOTH);
    assertThat(both.provider().name()).isEqualTo("clickhouse");
    assertThat(both.reason()).isEqualTo("CLICKHOUSE_ENDPOINT and CLICKHOUSE_PASSWORD are set");

    var endpointOnly =
        SinkSelector.select(
            EnvironmentConfig.of(Map.of("CLICKHOUSE_ENDPOINT", "http://ch:8123")), BOTH);
    assertThat(endpointOnly.provider().name()).isEqualTo("file");
    assertThat(endpointOnly.reason()).contains("not both set");

    var emptyPassword =
        SinkSelector.select(
            EnvironmentConfig.of(
                Map.of("CLICKHOUSE_ENDPOINT", "http://ch:8123", "CLICKHOUSE_PASSWORD", "")),
            BOTH);
    assertThat(emptyPassword.provider().name()).isEqualTo("file");

    var severalWithPasswordsInTheirUrls =
        SinkSelector.select(
            EnvironmentConfig.of(
                Map.of("CLICKHOUSE_ENDPOINT", "http://u:pw@ch-1:8123,http://u:pw@ch-2:8123")),
            BOTH);
    assertThat(severalWithPasswordsInTheirUrls.provider().name()).isEqualTo("clickhouse");
    assertThat(severalWithPasswordsInTheirUrls.reason())
        .isEqualTo("CLICKHOUSE_ENDPOINT is set with a password in its URL");
  }

  @Test
  void clickhouseConfiguredButMissingFallsBackToFilesWithTheReason() {
    var selection =
        SinkSelector.select(
            EnvironmentConfig.of(
                Map.of("CLICKHOUSE_ENDPOINT", "http://ch:8123", "CLICKHOUSE_PASSWORD", "pw")),
            List.of(provider("file")));
    assertThat(selection.provider().name()).isEqualTo("file");
    assertThat(selection.reason()).contains("not on the classpath");
  }

  @Test
  void aForcedSinkWins() {
    var selection =
        SinkSelector.select(
            EnvironmentConfig.of(Map.of("OTEL_RETENTION_SINK", "ClickHouse")), BOTH);
    assertThat(selection.provider().name()).isEqualTo("clickhouse");
    assertThat(selection.reason()).isEqualTo("OTEL_RETENTION_SINK=ClickHouse");
  }

  @Test
  void noFileSinkIsAClearError() {
    assertThatThrownBy(() -> SinkSelector.select(EnvironmentConfig.of(Map.of()), List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("otel-retention-exporter-file");
  }

  @Test
  void anOtlpEndpointChoosesTheOtlpSinkUnlessClickHouseIsConfigured() {
    List<TelemetrySinkProvider> all =
        List.of(provider("file"), provider("clickhouse"), provider("otlp"));
    var otlp =
        SinkSelector.select(
            EnvironmentConfig.of(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318")),
            all);
    assertThat(otlp.provider().name()).isEqualTo("otlp");
    assertThat(otlp.reason()).startsWith("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set");

    var clickhouseFirst =
        SinkSelector.select(
            EnvironmentConfig.of(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318",
                    "CLICKHOUSE_ENDPOINT", "http://ch:8123",
                    "CLICKHOUSE_PASSWORD", "pw")),
            all);
    assertThat(clickhouseFirst.provider().name()).isEqualTo("clickhouse");

    var clickhouseMissing =
        SinkSelector.select(
            EnvironmentConfig.of(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318",
                    "CLICKHOUSE_ENDPOINT", "http://ch:8123",
                    "CLICKHOUSE_PASSWORD", "pw")),
            List.of(provider("file"), provider("otlp")));
    assertThat(clickhouseMissing.provider().name())
        .as("ClickHouse configured but not on the classpath: the OTLP endpoint is next")
        .isEqualTo("otlp");
    assertThat(clickhouseMissing.reason())
        .contains("otel-retention-exporter-clickhouse is not on the classpath");

    var missing =
        SinkSelector.select(
            EnvironmentConfig.of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318")), BOTH);
    assertThat(missing.provider().name()).isEqualTo("file");
    assertThat(missing.reason()).contains("otel-retention-exporter-otlp is not on the classpath");
  }
}
