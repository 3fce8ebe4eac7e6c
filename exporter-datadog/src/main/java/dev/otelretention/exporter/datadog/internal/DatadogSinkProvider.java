package dev.otelretention.exporter.datadog.internal;

import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.datadog.DatadogExporters;
import dev.otelretention.sink.TelemetrySink;
import dev.otelretention.sink.TelemetrySinkProvider;

/**
 * Makes the Datadog sink available as {@code datadog} (select it with {@code
 * OTEL_RETENTION_SINK=datadog}).
 */
public final class DatadogSinkProvider implements TelemetrySinkProvider {
  /** Used by {@link java.util.ServiceLoader}. */
  public DatadogSinkProvider() {}

  @Override
  public String name() {
    return "datadog";
  }

  @Override
  public TelemetrySink create(EnvironmentConfig config) {
    return DatadogExporters.builder().configure(config).buildSink();
  }
}
