package dev.otelretention.exporter.clickhouse;

import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Applies the ClickHouse settings found under a prefix of the environment to an exporter builder,
 * through its setters, so that every error names the variable or property as it was set.
 */
final class ClickHouseEnvironment {
  private ClickHouseEnvironment() {}

  static void applyVariables(ClickHouseExporters.Builder b, EnvironmentConfig config) {
    config.apply("clickhouse.endpoint", b::endpoint);
    config.apply("clickhouse.database", b::database);
    config.apply("clickhouse.username", b::username);
    config.apply("clickhouse.password", b::password);
  }

  static void apply(ClickHouseExporters.Builder b, EnvironmentConfig config, String prefix) {
    config.apply(prefix + "endpoint", b::endpoint);
    config.apply(prefix + "database", b::database);
    config.apply(prefix + "username", b::username);
    config.apply(prefix + "password", b::password);
    config.apply(prefix + "async-insert", EnvironmentConfig::parseBoolean, b::asyncInsert);
    config.apply(prefix + "span-values", ClickHouseEnvironment::spanValueStyle, b::spanValues);
    ttlSetting(b, config, prefix + "traces-ttl", "traces", b::tracesTtl);
    ttlSetting(b, config, prefix + "logs-ttl", "logs", b::logsTtl);
    ttlSetting(b, config, prefix + "metrics-ttl", "metrics", b::metricsTtl);
    config.apply(
        prefix + "allow-ttl-shortening", EnvironmentConfig::parseBoolean, b::allowTtlShortening);
    b.consentSetting = config.nameOf(prefix + "allow-ttl-shortening") + "=true";
    config.apply(prefix + "create-schema", EnvironmentConfig::parseBoolean, b::createSchema);
    config.apply(prefix + "compression", ClickHouseEnvironment::compression, b::compression);
    config.apply(prefix + "json", EnvironmentConfig::parseBoolean, b::jsonAttributes);
    config.apply(prefix + "cluster", b::cluster);
    config.apply(prefix + "table-engine", b::tableEngine);
    config.apply(prefix + "table-prefix", b::tablePrefix);
    config.apply(prefix + "metric-rollups", EnvironmentConfig::parseBoolean, b::metricRollups);
    ttlSetting(b, config, prefix + "minute-rollup-ttl", "minute-rollup", b::minuteRollupTtl);
    ttlSetting(b, config, prefix + "hour-rollup-ttl", "hour-rollup", b::hourRollupTtl);
    config.apply(prefix + "storage-policy", b::storagePolicy);
    config.apply(
        prefix + "moves",
        (name, value) -> {
          List<TtlMove> parsed = new ArrayList<>();
          for (String move : value.split(",")) {
            if (!move.isBlank()) {
              parsed.add(TtlMove.parse(name, move));
            }
          }
          return parsed;
        },
        parsed -> parsed.forEach(b::moveAfter));
    config.apply(prefix + "ca-certificate", value -> b.trustedCertificate(Path.of(value)));
    config.apply(
        prefix + "server-settings",
        ClickHouseEnvironment::serverSettings,
        settings -> settings.forEach(b::serverSetting));
    String certificate = config.get(prefix + "client-certificate");
    String key = config.get(prefix + "client-key");
    if (certificate != null || key != null) {
      if (certificate == null || key == null) {
        throw new ConfigException(
            config.nameOf(prefix + "client-certificate")
                + " and "
                + config.nameOf(prefix + "client-key")
                + " go together: set both or neither");
      }
      try {
        b.clientCertificate(Path.of(certificate), Path.of(key));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            config.nameOf(prefix + "client-certificate") + ": " + e.getMessage(), e);
      }
    }
  }

  private static void ttlSetting(
      ClickHouseExporters.Builder b,
      EnvironmentConfig config,
      String key,
      String group,
      java.util.function.Consumer<Duration> setter) {
    if (config.apply(key, EnvironmentConfig::parseDuration, setter)) {
      b.ttlSettings.put(group, config.nameOf(key) + "=" + config.get(key));
    }
  }

  /** {@code name=value,name=value}, in order; a pair without {@code =} is refused. */
  private static Map<String, String> serverSettings(String name, String value) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String pair : value.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new ConfigException(
            name + "=" + value + ": '" + pair.trim() + "' is not of the form name=value");
      }
      settings.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
    }
    return settings;
  }

  /**
   * A codec name; {@code true} and {@code false}, the earlier form, mean {@code lz4} and {@code
   * none}.
   */
  private static String compression(String name, String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> "lz4";
      case "false" -> "none";
      default -> BuilderSettings.compression(name, value);
    };
  }

  private static ClickHouseExporters.SpanValueStyle spanValueStyle(String name, String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "current" -> ClickHouseExporters.SpanValueStyle.CURRENT;
      case "legacy" -> ClickHouseExporters.SpanValueStyle.LEGACY;
      default -> throw new ConfigException(name + "=" + value + ": must be current or legacy");
    };
  }
}
