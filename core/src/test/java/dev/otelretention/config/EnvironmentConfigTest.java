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
    assertThat(EnvironmentConfig.parseSize("s", "42B")).isEqualTo(42);
    assertThat(EnvironmentConfig.parseSize("s", "0")).isZero();
    assertThat(EnvironmentConfig.parseDuration("d", "7d")).isEqualTo(Duration.ofDays(7));
    assertThat(EnvironmentConfig.parseDuration("d", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(EnvironmentConfig.parseDuration("d", "0")).isZero();
    assertThat(EnvironmentConfig.parseMilliseconds("d", "1500")).isEqualTo(Duration.ofMillis(1500));
    assertThat(EnvironmentConfig.parseMilliseconds("d", "2s")).isEqualTo(Duration.ofSeconds(2));
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
        .hasMessage("OTEL_RETENTION_BATCH_SIZE=many: not a whole number");
    assertThatThrownBy(() -> config.getEnum("otel.retention.profile", Signal.class, Signal.LOGS))
        .hasMessage("OTEL_RETENTION_PROFILE=staging: must be one of traces, metrics, logs");
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

  @Test
  void aNumberWithoutAUnitIsRefusedAndZeroIsNot() {
    assertThatThrownBy(() -> EnvironmentConfig.parseDuration("OTEL_X_MAX_AGE", "7"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "OTEL_X_MAX_AGE=7: a duration needs its unit; write 7d for days, or 7h, 7m, 7s, 7ms");
    assertThatThrownBy(() -> EnvironmentConfig.parseDuration("OTEL_X_TTL", "86400"))
        .hasMessage(
            "OTEL_X_TTL=86400: a duration needs its unit; write 86400s for seconds (that is 1d),"
                + " or 86400ms for milliseconds");
    assertThatThrownBy(() -> EnvironmentConfig.parseSize("OTEL_X_SIZE", "100"))
        .hasMessage(
            "OTEL_X_SIZE=100: a size needs its unit; write 100MB for megabytes, or 100KB, 100B");
  }

  @Test
  void namesAreThoseTheSettingWasGivenUnder() {
    EnvironmentConfig environment =
        EnvironmentConfig.of(Map.of("OTEL_RETENTION_FILE_MAX_AGE", "x"));
    assertThat(environment.nameOf("otel.retention.file.max-age"))
        .isEqualTo("OTEL_RETENTION_FILE_MAX_AGE");
    EnvironmentConfig properties = EnvironmentConfig.of(Map.of("otel.retention.file.max-age", "x"));
    assertThat(properties.nameOf("otel.retention.file.max-age"))
        .isEqualTo("otel.retention.file.max-age");
    assertThatThrownBy(() -> properties.getDuration("otel.retention.file.max-age", Duration.ZERO))
        .hasMessageStartingWith("otel.retention.file.max-age=x: ");
    String property = "otel.retention.test.name-of";
    System.setProperty(property, "1s");
    try {
      assertThat(EnvironmentConfig.fromSystem().nameOf(property)).isEqualTo(property);
      assertThat(EnvironmentConfig.fromLookup(System::getProperty).nameOf(property))
          .isEqualTo(property);
    } finally {
      System.clearProperty(property);
    }
    assertThat(EnvironmentConfig.fromSystem().nameOf(property))
        .isEqualTo("OTEL_RETENTION_TEST_NAME_OF");
  }

  @Test
  void settingsAreAppliedWithTheBuildersErrorsNamingThem() {
    EnvironmentConfig config = EnvironmentConfig.of(Map.of("OTEL_RETENTION_X_WAIT", "5s"));
    assertThatThrownBy(
            () ->
                config.apply(
                    "otel.retention.x.wait",
                    EnvironmentConfig::parseDuration,
                    d -> {
                      throw new IllegalArgumentException("must be under 1s");
                    }))
        .isInstanceOf(ConfigException.class)
        .hasMessage("OTEL_RETENTION_X_WAIT=5s: must be under 1s");
    assertThat(config.apply("otel.retention.x.unset", value -> {})).isFalse();
  }

  @Test
  void errorsShowNoSecretOfWhatWasSet() {
    EnvironmentConfig config =
        EnvironmentConfig.of(
            Map.of(
                "X_ENDPOINT", "https://user:s3cret-in-url@host:70000",
                "X_PASSWORD", "s3cret-password"));
    java.util.function.Consumer<String> refuses =
        value -> {
          throw new IllegalArgumentException("refused");
        };
    assertThatThrownBy(() -> config.apply("x.endpoint", refuses))
        .hasMessage("X_ENDPOINT=https://******@host:70000: refused");
    assertThatThrownBy(() -> config.apply("x.password", refuses))
        .hasMessage("X_PASSWORD=******: refused");
  }

  @Test
  void durationsAndSizesArePrintedAsPeopleWriteThem() {
    assertThat(EnvironmentConfig.format(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(EnvironmentConfig.format(Duration.ofMillis(30))).isEqualTo("30ms");
    assertThat(EnvironmentConfig.format(Duration.ofHours(36))).isEqualTo("1d12h");
    assertThat(EnvironmentConfig.format(Duration.ofDays(7))).isEqualTo("7d");
    assertThat(EnvironmentConfig.format(Duration.ZERO)).isEqualTo("0");
    assertThat(EnvironmentConfig.format(Duration.ofSeconds(-1))).isEqualTo("-1s");
    assertThat(EnvironmentConfig.formatSize(100L << 20)).isEqualTo("100MiB");
    assertThat(EnvironmentConfig.formatSize(1000)).isEqualTo("1000B");
  }

  @Test
  void aVariableIsReadAsSpelled() {
    EnvironmentConfig config = EnvironmentConfig.of(Map.of("https_proxy", "http://p:1"));
    assertThat(config.variable("https_proxy")).isEqualTo("http://p:1");
    assertThat(config.variable("HTTPS_PROXY")).isEqualTo("http://p:1");
    assertThat(config.variable("NO_PROXY")).isNull();
    assertThat(EnvironmentConfig.fromLookup(Map.of("NO_PROXY", " a, b ")::get).variable("NO_PROXY"))
        .isEqualTo("a, b");
    assertThat(EnvironmentConfig.fromLookup(key -> null).variable("PATH"))
        .as("a lookup stands for this process: what it does not answer, the environment does")
        .isEqualTo(System.getenv("PATH"));
  }

  @Test
  void aNamerNamesTheSettingInErrorsAsTheFileSetsIt() {
    EnvironmentConfig config =
        EnvironmentConfig.fromLookup(
            Map.of("otel.retention.file.max-age", "7")::get,
            key ->
                "otlp_file_rotating." + key.substring(key.lastIndexOf('.') + 1).replace('-', '_'));
    assertThat(config.nameOf("otel.retention.file.max-age"))
        .isEqualTo("otlp_file_rotating.max_age");
    assertThatThrownBy(() -> config.getDuration("otel.retention.file.max-age", Duration.ZERO))
        .hasMessageStartingWith("otlp_file_rotating.max_age=7: a duration needs its unit");
  }
}
