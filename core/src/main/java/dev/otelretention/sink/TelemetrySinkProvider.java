package dev.otelretention.sink;

import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;

/**
 * Service-provider interface through which {@code TelemetryRetention.fromEnvironment()} finds sinks
 * on the classpath. An exporter module registers an implementation in {@code
 * META-INF/services/dev.otelretention.sink.TelemetrySinkProvider}.
 */
public interface TelemetrySinkProvider {
  /** The sink name this provider creates, e.g. {@code file} or {@code clickhouse}. */
  String name();

  /**
   * Creates a sink configured from system properties and environment variables.
   *
   * @throws ConfigException if a setting is invalid
   */
  TelemetrySink create(EnvironmentConfig config);
}
