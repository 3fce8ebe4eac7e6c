package dev.otelretention.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.export.Signal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentConfigTest {
  @Test
  void looksUpPropertyFormKeysAsEnvironmentVariables() {
    EnvironmentConfig config =
        EnvironmentConfig.of(
            Map.of(
                "OTEL_RETENTION_FILE_MAX_SIZE",
                "5MB",
                "clickhouse.endpoint",
                "http://h:8123",
                "BLANK",
                "  "));
    assertThat(config.get("otel.retention.file.max-size")).isEqualTo("5MB");
    assertThat(config.get("clickhouse.endpoint")).isEqualTo("http://h:8123");
    assertThat(config.get("CLICKHOUSE_ENDPOINT")).isEqualTo("http://h:8123");
    assertThat(config.isSet("blank")).isFalse();
    assertThat(config.get("missing", "fallback")).isEqualTo("fallback");
  }

  @Test
  void parsesSizesAndDurations() {
    assertThat(EnvironmentConfig.parseSize("s", "100MB")).isEqualTo(100L << 20);
    assertThat(EnvironmentConfig.parseSize("s", "512 KiB")).isEqualTo(512L << 10);
    assertThat(EnvironmentConfig.parseSize("s", "1g")).isEqualTo(1L << 30);
    assertThat(EnvironmentConfig.parseSize("s", "42")).isEqualTo(42);
    assertThat(EnvironmentConfig.parseDuration("d", "7d")).isEqualTo(Duration.ofDays(7));
    assertThat(EnvironmentConfig.parseDuration("d", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(EnvironmentConfig.parseDuration("d", "1500")).isEqualTo(Duration.ofMillis(1500));
    assertThat(EnvironmentConfig.parseDuration("d", "PT30S")).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void badValuesNameTheSetting() {
    EnvironmentConfig config =
        EnvironmentConfig.of(
            Map.of(
                "OTEL_RETENTION_BATCH_SIZE",
                "many",
                "OTEL_RETENTION_PROFILE",
                "staging",
                "X_FLAG",
                "yes"));
    assertThatThrownBy(() -> config.getInt("otel.retention.batch.size", 1))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("otel.retention.batch.size (OTEL_RETENTION_BATCH_SIZE)");
    assertThatThrownBy(() -> config.getEnum("otel.retention.profile", Signal.class, Signal.LOGS))
        .hasMessageContaining("staging");
    assertThatThrownBy(() -> config.getBoolean("x.flag", false))
        .hasMessageContaining("true or false");
    assertThatThrownBy(() -> EnvironmentConfig.parseSize("s", "-1MB")).hasMessageContaining("size");
    assertThatThrownBy(() -> EnvironmentConfig.parseSize("s", "99999999999999999999"))
        .hasMessageContaining("too large");
    assertThatThrownBy(() -> EnvironmentConfig.parseSize("s", "9000000000000GB"))
        .hasMessageContaining("too large");
    assertThatThrownBy(() -> EnvironmentConfig.parseDuration("d", "soon"))
        .hasMessageContaining("duration");
  }
}
