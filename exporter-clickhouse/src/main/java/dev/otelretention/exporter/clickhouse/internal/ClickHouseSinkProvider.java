package dev.otelretention.exporter.clickhouse.internal;

import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.sink.TelemetrySink;
import dev.otelretention.sink.TelemetrySinkProvider;

/**
 * Makes the ClickHouse sink available to {@code TelemetryRetention.fromEnvironment()} as {@code
 * clickhouse}.
 */
public final class ClickHouseSinkProvider implements TelemetrySinkProvider {
  /** Used by {@link java.util.ServiceLoader}. */
  public ClickHouseSinkProvider() {}

  @Override
  public String name() {
    return "clickhouse";
  }

  @Override
  public TelemetrySink create(EnvironmentConfig config) {
    return ClickHouseExporters.builder().configure(config).buildSink();
  }
}
