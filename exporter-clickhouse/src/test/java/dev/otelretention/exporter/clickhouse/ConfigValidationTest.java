package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.SpoolSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad settings fail at build with a clear message, in code and through environment variables alike.
 */
class ConfigValidationTest {
  @TempDir Path dir;

  @Test
  void tableEnginesMustBeWellFormedMergeTreeEngines() {
    for (String bad :
        new String[] {
          "ReplacingMergeTree(')",
          "MergeTree; DROP",
          "MergeTree() SETTINGS x=1",
          "Memory",
          "ReplacingMergeTree(Version",
          "ReplacingMergeTree(a)) (",
          "MergeTree(-- x)",
          "ReplacingMergeTree('a\\')"
        }) {
      assertThatThrownBy(() -> ClickHouseExporters.builder().tableEngine(bad))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("tableEngine must be a MergeTree-family engine");
      assertThatThrownBy(
              () ->
                  ClickHouseExporters.builder()
                      .configure(EnvironmentConfig.of(Map.of("p.table-engine", bad)), "p."))
          .as(bad)
          .isInstanceOf(ConfigException.class);
    }
    for (String good :
        new String[] {
          "MergeTree",
          "ReplacingMergeTree(Version)",
          "ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')",
          "ReplicatedReplacingMergeTree('/t/it''s', 'r', Version)",
          "SharedMergeTree"
        }) {
      assertThat(
              ClickHouseExporters.builder()
                  .tableEngine(good)
                  .endpoint("http://127.0.0.1:8123")
                  .buildSink())
          .as(good)
          .isNotNull();
    }
  }

  @Test
  void portsOutsideTheRangeAreRefusedForEveryEndpoint() {
    assertThatThrownBy(() -> ClickHouseExporters.builder().endpoint("http://127.0.0.1:99999"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("port outside 1 to 65535");
    assertThatThrownBy(
            () ->
                ClickHouseExporters.builder()
                    .configure(
                        EnvironmentConfig.of(
                            Map.of("CLICKHOUSE_ENDPOINT", "http://127.0.0.1:70000"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("port outside 1 to 65535");
  }

  @Test
  void spoolBoundsAreCheckedInCodeAndFromTheEnvironment() {
    assertThatThrownBy(() -> SpoolSettings.builder(dir).segmentBytes(Long.MAX_VALUE).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("at most 1GiB");
    assertThatThrownBy(() -> SpoolSettings.builder(dir).maxAge(Duration.ofDays(36_500)).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("at most 30d, got 36500d");
    assertThatThrownBy(
            () -> SpoolSettings.builder(dir).persistInterval(Duration.ofMinutes(1)).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("persist interval");
    Map<String, String> base = new HashMap<>();
    base.put("OTEL_RETENTION_SINK", "clickhouse");
    base.put("CLICKHOUSE_ENDPOINT", "http://127.0.0.1:8123");
    base.put("OTEL_RETENTION_SPOOL_ENABLED", "true");
    base.put("OTEL_RETENTION_SPOOL_DIRECTORY", dir.toString());
    for (Map.Entry<String, String> bad :
        Map.of(
                "OTEL_RETENTION_SPOOL_SEGMENT_SIZE", "9223372036854775807B",
                "OTEL_RETENTION_SPOOL_MAX_AGE", "36500d",
                "OTEL_RETENTION_SPOOL_PERSIST_INTERVAL", "0s",
                "OTEL_RETENTION_CLICKHOUSE_TABLE_ENGINE", "ReplacingMergeTree(')")
            .entrySet()) {
      Map<String, String> env = new HashMap<>(base);
      env.put(bad.getKey(), bad.getValue());
      assertThatThrownBy(
              () ->
                  TelemetryRetention.builder()
                      .config(EnvironmentConfig.of(env))
                      .closeOnJvmShutdown(false)
                      .build())
          .as(bad.getKey())
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith(bad.getKey() + "=" + bad.getValue() + ": ");
    }
  }
}
