package dev.otelretention.exporter.file.internal;

import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.sink.SinkExporterProviders;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;

/**
 * OpenTelemetry autoconfigure providers that make the file exporters selectable as {@value #NAME}
 * through {@code otel.traces.exporter}, {@code otel.metrics.exporter} and {@code
 * otel.logs.exporter}, configured by {@code otel.exporter.otlp-file-rotating.*} properties (same
 * keys as {@code otel.retention.file.*}).
 */
public final class AutoConfigureProviders {
  /** The exporter name for autoconfigure. */
  public static final String NAME = "otlp-file-rotating";

  /** Prefix of the autoconfigure properties. */
  public static final String PREFIX = "otel.exporter." + NAME + ".";

  private AutoConfigureProviders() {}

  static TelemetrySink sink(ConfigProperties config) {
    return RotatingFileExporters.builder()
        .configure(SinkExporterProviders.environmentOf(config), PREFIX)
        .buildSink();
  }

  /** Span exporter provider named {@value AutoConfigureProviders#NAME}. */
  public static final class Spans extends SinkExporterProviders.Spans {
    /** Used by {@link java.util.ServiceLoader}. */
    public Spans() {
      super(NAME, AutoConfigureProviders::sink);
    }
  }

  /** Metric exporter provider named {@value AutoConfigureProviders#NAME}. */
  public static final class Metrics extends SinkExporterProviders.Metrics {
    /** Used by {@link java.util.ServiceLoader}. */
    public Metrics() {
      super(NAME, AutoConfigureProviders::sink);
    }
  }

  /** Log-record exporter provider named {@value AutoConfigureProviders#NAME}. */
  public static final class Logs extends SinkExporterProviders.Logs {
    /** Used by {@link java.util.ServiceLoader}. */
    public Logs() {
      super(NAME, AutoConfigureProviders::sink);
    }
  }
}
