package dev.otelretention.exporter.file.internal;

import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.sink.TelemetrySink;
import dev.otelretention.sink.TelemetrySinkProvider;

/**
 * Makes the file sink available to {@code TelemetryRetention.fromEnvironment()} under the name
 * {@code file}.
 */
public final class FileSinkProvider implements TelemetrySinkProvider {
  /** Used by {@link java.util.ServiceLoader}. */
  public FileSinkProvider() {}

  @Override
  public String name() {
    return "file";
  }

  @Override
  public TelemetrySink create(EnvironmentConfig config) {
    return RotatingFileExporters.builder().configure(config).buildSink();
  }
}
