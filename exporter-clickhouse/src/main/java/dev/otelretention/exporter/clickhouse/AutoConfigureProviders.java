package dev.otelretention.exporter.clickhouse;

import dev.otelretention.sink.EnvironmentConfig;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.logs.ConfigurableLogRecordExporterProvider;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * OpenTelemetry autoconfigure providers that make the ClickHouse exporters selectable as {@value #NAME}
 * through {@code otel.traces.exporter}, {@code otel.metrics.exporter} and {@code otel.logs.exporter},
 * configured by the {@code CLICKHOUSE_*} environment variables and then {@code otel.exporter.clickhouse.*}.
 */
public final class AutoConfigureProviders {
  /** The exporter name for autoconfigure. */
  public static final String NAME = "clickhouse";
  /** Prefix of the autoconfigure properties. */
  public static final String PREFIX = "otel.exporter.clickhouse.";

  private AutoConfigureProviders() {}

  static ClickHouseExporters.Builder builder(ConfigProperties config) {
    EnvironmentConfig environment = EnvironmentConfig.fromSystem();
    ClickHouseExporters.Builder builder = ClickHouseExporters.builder();
    String endpoint = environment.get("clickhouse.endpoint");
    if (endpoint != null) {
      builder.endpoint(endpoint);
    }
    builder.database(environment.get("clickhouse.database", "otel"));
    builder.username(environment.get("clickhouse.username", "default"));
    builder.password(environment.get("clickhouse.password", ""));
    return builder.configure(config::getString, PREFIX);
  }

  /** Span exporter provider named {@value AutoConfigureProviders#NAME}. */
  public static final class Spans implements ConfigurableSpanExporterProvider {
    /** Used by {@link java.util.ServiceLoader}. */
    public Spans() {}

    @Override
    public SpanExporter createExporter(ConfigProperties config) {
      return builder(config).buildSpanExporter();
    }

    @Override
    public String getName() {
      return NAME;
    }
  }

  /** Metric exporter provider named {@value AutoConfigureProviders#NAME}. */
  public static final class Metrics implements ConfigurableMetricExporterProvider {
    /** Used by {@link java.util.ServiceLoader}. */
    public Metrics() {}

    @Override
    public MetricExporter createExporter(ConfigProperties config) {
      return builder(config).buildMetricExporter();
    }

    @Override
    public String getName() {
      return NAME;
    }
  }

  /** Log-record exporter provider named {@value AutoConfigureProviders#NAME}. */
  public static final class Logs implements ConfigurableLogRecordExporterProvider {
    /** Used by {@link java.util.ServiceLoader}. */
    public Logs() {}

    @Override
    public LogRecordExporter createExporter(ConfigProperties config) {
      return builder(config).buildLogRecordExporter();
    }

    @Override
    public String getName() {
      return NAME;
    }
  }
}
