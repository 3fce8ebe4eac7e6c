package dev.otelretention.sink;

import dev.otelretention.internal.DeclarativeConfigView;
import io.opentelemetry.api.incubator.config.DeclarativeConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.internal.ComponentProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Bases for the declarative-configuration providers of a sink, so that a configuration file ({@code
 * otel.config.file}, the SDK's declarative configuration that the Java agent 2.x reads) can name it
 * as an exporter: {@code tracer_provider.processors[].batch.exporter.<name>}, likewise under {@code
 * meter_provider} and {@code logger_provider}. The exporter's node takes the keys of its {@code
 * otel.exporter.*} properties in snake case ({@code max_size} for {@code max-size}), and its {@code
 * retention} node those of {@code otel.retention.*} ({@code spool_enabled}, {@code
 * spool_directory}, {@code request_timeout}, {@code profile}, ...): the exporter gets the same sink
 * and export stage as under autoconfigure.
 *
 * <p>These implement the SDK's {@code ComponentProvider}, the one extension point of declarative
 * configuration, which the SDK keeps in an {@code internal} package while declarative configuration
 * is incubating. Self-monitoring and capacity alerts need autoconfigure's customizer, which
 * declarative configuration does not call; the first exporter made from a file says so in the log.
 */
public final class SinkComponentProviders {
  private static final Logger logger = Logger.getLogger(SinkComponentProviders.class.getName());
  private static final AtomicBoolean customizerNoticeLogged = new AtomicBoolean();

  private SinkComponentProviders() {}

  private static ConfigProperties view(
      DeclarativeConfigProperties node, String componentName, String propertyPrefix) {
    if (customizerNoticeLogged.compareAndSet(false, true)) {
      logger.info(
          "otel-retention: exporters made from the declarative configuration file; self-monitoring"
              + " and capacity alerts are off under it (they need autoconfigure's customizer,"
              + " which a configuration file does not call)");
    }
    return new DeclarativeConfigView(
        node == null ? DeclarativeConfigProperties.empty() : node, propertyPrefix, componentName);
  }

  /** What the three providers share: the names, the key prefix, the sink and the factory. */
  private abstract static class Provider<E> implements ComponentProvider {
    private final Class<E> type;
    private final String componentName;
    private final String exporterName;
    private final String propertyPrefix;
    private final Function<ConfigProperties, TelemetrySink> sink;
    private final ExporterFactory<E> factory;

    Provider(
        Class<E> type,
        String componentName,
        String exporterName,
        String propertyPrefix,
        Function<ConfigProperties, TelemetrySink> sink,
        ExporterFactory<E> factory) {
      this.type = type;
      this.componentName = Objects.requireNonNull(componentName, "componentName");
      this.exporterName = Objects.requireNonNull(exporterName, "exporterName");
      this.propertyPrefix = Objects.requireNonNull(propertyPrefix, "propertyPrefix");
      this.sink = Objects.requireNonNull(sink, "sink");
      this.factory = factory;
    }

    @Override
    public final Class<E> getType() {
      return type;
    }

    @Override
    public final String getName() {
      return componentName;
    }

    @Override
    public final E create(DeclarativeConfigProperties node) {
      return factory.create(exporterName, view(node, componentName, propertyPrefix), sink);
    }
  }

  /** One of {@link SinkExporterProviders}' exporter factories. */
  @FunctionalInterface
  private interface ExporterFactory<E> {
    E create(String name, ConfigProperties config, Function<ConfigProperties, TelemetrySink> sink);
  }

  /** Span exporter provider of a sink. */
  public abstract static class Spans extends Provider<SpanExporter> {
    /**
     * A provider named {@code componentName} in the file whose exporters come from the sink {@code
     * sink} makes of the node's keys, read as the properties under {@code propertyPrefix}.
     *
     * @param exporterName the sink's name under autoconfigure, which its statistics carry
     */
    protected Spans(
        String componentName,
        String exporterName,
        String propertyPrefix,
        Function<ConfigProperties, TelemetrySink> sink) {
      super(
          SpanExporter.class,
          componentName,
          exporterName,
          propertyPrefix,
          sink,
          SinkExporterProviders::spanExporter);
    }
  }

  /** Metric exporter provider of a sink. */
  public abstract static class Metrics extends Provider<MetricExporter> {
    /** As {@link Spans#Spans}, for metrics. */
    protected Metrics(
        String componentName,
        String exporterName,
        String propertyPrefix,
        Function<ConfigProperties, TelemetrySink> sink) {
      super(
          MetricExporter.class,
          componentName,
          exporterName,
          propertyPrefix,
          sink,
          SinkExporterProviders::metricExporter);
    }
  }

  /** Log-record exporter provider of a sink. */
  public abstract static class Logs extends Provider<LogRecordExporter> {
    /** As {@link Spans#Spans}, for log records. */
    protected Logs(
        String componentName,
        String exporterName,
        String propertyPrefix,
        Function<ConfigProperties, TelemetrySink> sink) {
      super(
          LogRecordExporter.class,
          componentName,
          exporterName,
          propertyPrefix,
          sink,
          SinkExporterProviders::logRecordExporter);
    }
  }
}
