package dev.otelretention.exporter.otlp.internal;

import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.otlp.OtlpExporters;
import dev.otelretention.sink.TelemetrySink;
import dev.otelretention.sink.TelemetrySinkProvider;

/**
 * Makes the OTLP sink from the standard {@code OTEL_EXPORTER_OTLP_*} variables, for {@code
 * TelemetryRetention.fromEnvironment()}: chosen by {@code OTEL_RETENTION_SINK=otlp}, or when an
 * OTLP endpoint is set and no ClickHouse settings are.
 */
public final class OtlpSinkProvider implements TelemetrySinkProvider {
  @Override
  public String name() {
    return "otlp";
  }

  @Override
  public TelemetrySink create(EnvironmentConfig config) {
    return OtlpExporters.builder().configure(config).buildSink();
  }
}
