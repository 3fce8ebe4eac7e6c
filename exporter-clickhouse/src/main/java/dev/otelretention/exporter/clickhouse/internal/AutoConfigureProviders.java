package dev.otelretention.exporter.clickhouse.internal;

import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.sink.SinkExporterProviders;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;

/**
 * OpenTelemetry autoconfigure providers that make the ClickHouse exporters selectable as {@value
 * #NAME} through {@code otel.traces.exporter}, {@code otel.metrics.exporter} and {@code
 * otel.logs.exporter}, configured by the {@code CLICKHOUSE_*} environment variables and then {@code
 * otel.exporter.clickhouse.*}.
 */
public final class AutoConfigureProviders {
  /** The exporter name for autoconfigure. */
  public static final String NAME = "clickhouse";

  /** Prefix of the autoconfigure properties. */
  public static final String PREFIX = "otel.exporter.clickhouse.";

  private AutoConfigureProviders() {}

  static ClickHouseExporters.Builder builder(ConfigProperties config) {
    return ClickHouseExporters.builder()
        .clickhouseVariables(EnvironmentConfig.fromSystem())
        .configure(SinkExporterProviders.environmentOf(config), PREFIX);
  }

  static TelemetrySink sink(ConfigProperties config) {
    return builder(config).buildSink();
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
