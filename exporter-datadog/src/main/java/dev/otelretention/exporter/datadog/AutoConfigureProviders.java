package dev.otelretention.exporter.datadog;

import dev.otelretention.export.MemoryLimiter;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.sink.EnvironmentConfig;
import dev.otelretention.sink.SinkContext;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.logs.ConfigurableLogRecordExporterProvider;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Map;

/**
 * OpenTelemetry autoconfigure providers that make the Datadog exporters selectable as {@value #NAME} through
 * {@code otel.traces.exporter}, {@code otel.metrics.exporter} and {@code otel.logs.exporter}, configured from the
 * {@code DD_*} variables (as autoconfigure reads them: {@code dd.api.key} and so on).
 */
public final class AutoConfigureProviders {
  /** The exporter name for autoconfigure. */
  public static final String NAME = "datadog";

  private AutoConfigureProviders() {}

  static DatadogSink sink(ConfigProperties config) {
    return DatadogExporters.builder().configure(config::getString).buildSink();
  }

  static SinkContext context() {
    return new SinkContext("datadog", Resource.empty(), EnvironmentConfig.of(Map.of()), MemoryLimiter.unlimited(),
        RetryPolicy.getDefault(), Duration.ofSeconds(5), 100, 256L << 20);
  }

  /** Span exporter provider named {@value AutoConfigureProviders#NAME}. */
  public static final class Spans implements ConfigurableSpanExporterProvider {
    /** Used by {@link java.util.ServiceLoader}. */
    public Spans() {}

    @Override
    public SpanExporter createExporter(ConfigProperties config) {
      return sink(config).createSpanExporter(context());
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
      return sink(config).createMetricExporter(context());
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
      return sink(config).createLogRecordExporter(context());
    }

    @Override
    public String getName() {
      return NAME;
    }
  }
}
