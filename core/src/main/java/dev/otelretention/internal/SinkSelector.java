package dev.otelretention.internal;

import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.sink.Endpoint;
import dev.otelretention.sink.TelemetrySinkProvider;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Chooses a sink from the environment, as the design note's start script does. */
public final class SinkSelector {
  static final String FILE = "file";
  static final String CLICKHOUSE = "clickhouse";
  static final String OTLP = "otlp";
  private static final List<String> OTLP_ENDPOINTS =
      List.of(
          "otel.exporter.otlp.endpoint",
          "otel.exporter.otlp.traces.endpoint",
          "otel.exporter.otlp.metrics.endpoint",
          "otel.exporter.otlp.logs.endpoint");

  private SinkSelector() {}

  /** The chosen provider and the reason, for the one log line that says so. */
  public record Selection(TelemetrySinkProvider provider, String reason) {}

  public static Selection select(EnvironmentConfig config, List<TelemetrySinkProvider> providers) {
    String forced = config.get("otel.retention.sink");
    if (forced != null) {
      return new Selection(
          find(providers, forced)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          "otel.retention.sink (OTEL_RETENTION_SINK) names '"
                              + forced
                              + "', but no such sink is on the classpath; available: "
                              + names(providers))),
          "OTEL_RETENTION_SINK=" + forced);
    }
    boolean passwordInUrl =
        config.isSet("clickhouse.endpoint") && hasPassword(config.get("clickhouse.endpoint"));
    boolean clickhouseConfigured =
        config.isSet("clickhouse.endpoint")
            && (config.isSet("clickhouse.password") || passwordInUrl);
    String reason;
    if (clickhouseConfigured) {
      String given =
          config.isSet("clickhouse.password")
              ? "CLICKHOUSE_ENDPOINT and CLICKHOUSE_PASSWORD are set"
              : "CLICKHOUSE_ENDPOINT is set with a password in its URL";
      var clickhouse = find(providers, CLICKHOUSE);
      if (clickhouse.isPresent()) {
        return new Selection(clickhouse.get(), given);
      }
      reason = given + ", but otel-retention-exporter-clickhouse is not on the classpath";
    } else {
      reason = "CLICKHOUSE_ENDPOINT and CLICKHOUSE_PASSWORD are not both set";
    }
    Optional<String> otlpEndpoint = OTLP_ENDPOINTS.stream().filter(config::isSet).findFirst();
    if (otlpEndpoint.isPresent()) {
      String given = EnvironmentConfig.toEnvironmentName(otlpEndpoint.get()) + " is set";
      var otlp = find(providers, OTLP);
      if (otlp.isPresent()) {
        return new Selection(
            otlp.get(),
            given
                + (clickhouseConfigured
                    ? " (" + reason + ")"
                    : " and ClickHouse is not configured"));
      }
      reason = reason + "; " + given + ", but otel-retention-exporter-otlp is not on the classpath";
    }
    TelemetrySinkProvider file =
        find(providers, FILE)
            .orElseThrow(
                () ->
                    new ConfigException(
                        "no sink to export to: add the otel-retention-exporter-file dependency or call"
                            + " TelemetryRetentionBuilder.addSink(...); available: "
                            + names(providers)));
    return new Selection(file, reason);
  }

  /**
   * Whether a URL of the endpoint, or of any endpoint of a comma-separated list, has a password.
   */
  private static boolean hasPassword(String endpoints) {
    for (String endpoint : endpoints.split(",")) {
      try {
        String password =
            Endpoint.parse("ClickHouse endpoint", endpoint.trim(), Set.of("http", "https"))
                .password();
        if (password != null && !password.isEmpty()) {
          return true;
        }
      } catch (ConfigException e) {
        // not a URL: the sink names the variable when it reads it
      }
    }
    return false;
  }

  private static Optional<TelemetrySinkProvider> find(
      List<TelemetrySinkProvider> providers, String name) {
    return providers.stream().filter(p -> p.name().equalsIgnoreCase(name)).findFirst();
  }

  private static String names(List<TelemetrySinkProvider> providers) {
    return providers.isEmpty()
        ? "none"
        : providers.stream().map(TelemetrySinkProvider::name).collect(Collectors.joining(", "));
  }
}
