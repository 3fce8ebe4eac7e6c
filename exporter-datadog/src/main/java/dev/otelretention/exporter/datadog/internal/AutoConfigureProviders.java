package dev.otelretention.exporter.datadog.internal;

import dev.otelretention.exporter.datadog.DatadogExporters;
import dev.otelretention.sink.SinkExporterProviders;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;

/**
 * OpenTelemetry autoconfigure providers that make the Datadog exporters selectable as {@value
 * #NAME} through {@code otel.traces.exporter}, {@code otel.metrics.exporter} and {@code
 * otel.logs.exporter}, configured from the {@code DD_*} variables (as autoconfigure reads them:
 * {@code dd.api.key} and so on) and then, like the other exporters, from {@code
 * otel.exporter.datadog.*} ({@code OTEL_EXPORTER_DATADOG_*}), which win.
 */
public final class AutoConfigureProviders {
  /** The exporter name for autoconfigure. */
  public static final String NAME = "datadog";

  /** Prefix of the autoconfigure properties. */
  public static final String PREFIX = "otel.exporter.datadog.";

  private AutoConfigureProviders() {}

  static TelemetrySink sink(ConfigProperties config) {
    return DatadogExporters.builder()
        .configure(SinkExporterProviders.environmentOf(config))
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
