package dev.otelretention.sink;

import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.internal.AutoConfiguredExports;
import dev.otelretention.internal.DeclarativeConfigView;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.logs.ConfigurableLogRecordExporterProvider;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Bases for the OpenTelemetry autoconfigure providers of a sink, so that {@code
 * otel.traces.exporter}, {@code otel.metrics.exporter} and {@code otel.logs.exporter} can name it.
 * An exporter module subclasses each with a public no-argument constructor and registers the
 * subclasses under {@code META-INF/services}; the exporters get the pipeline the {@code
 * otel.retention.*} settings describe ({@link SinkContext#fromEnvironment}): the profile, the
 * request timeout, the sending queue and the durable spool. Each exporter is also recorded in
 * recorded where core's autoconfigure customizer finds it for self-monitoring.
 *
 * <p>A provider never throws: an exporter that cannot be created (bad configuration) is replaced by
 * one that logs the reason once and drops what it is given, counted, so that autoconfigure, and
 * with it the Java agent, starts and instruments the application instead of failing whole.
 */
public final class SinkExporterProviders {
  private SinkExporterProviders() {}

  private static SinkContext context(String name, ConfigProperties config) {
    return SinkContext.fromEnvironment(name, environmentOf(config));
  }

  /**
   * The settings of {@code config} as an {@link EnvironmentConfig} whose errors name each setting
   * as it was set: the property or variable under autoconfigure, the key and exporter in a
   * declarative configuration file.
   */
  public static EnvironmentConfig environmentOf(ConfigProperties config) {
    if (config instanceof DeclarativeConfigView view) {
      return EnvironmentConfig.fromLookup(view::getString, view::nameOf);
    }
    return EnvironmentConfig.fromLookup(config::getString);
  }

  static SpanExporter spanExporter(
      String name, ConfigProperties config, Function<ConfigProperties, TelemetrySink> sink) {
    return create(
        name,
        dev.otelretention.export.Signal.TRACES,
        config,
        sink,
        TelemetrySink::createSpanExporter,
        exporter -> null,
        UnavailableExporters::spans);
  }

  static MetricExporter metricExporter(
      String name, ConfigProperties config, Function<ConfigProperties, TelemetrySink> sink) {
    return create(
        name,
        dev.otelretention.export.Signal.METRICS,
        config,
        sink,
        TelemetrySink::createMetricExporter,
        exporter -> exporter,
        UnavailableExporters::metrics);
  }

  static LogRecordExporter logRecordExporter(
      String name, ConfigProperties config, Function<ConfigProperties, TelemetrySink> sink) {
    return create(
        name,
        dev.otelretention.export.Signal.LOGS,
        config,
        sink,
        TelemetrySink::createLogRecordExporter,
        exporter -> null,
        UnavailableExporters::logs);
  }

  /**
   * Creates one exporter of the sink the properties describe and makes it visible to core's
   * self-monitoring and capacity alerts under autoconfigure; if it cannot be created, a stand-in
   * from {@code unavailable}.
   */
  private static final java.util.logging.Logger logger =
      java.util.logging.Logger.getLogger(SinkExporterProviders.class.getName());

  /**
   * The start line of an exporter made by autoconfigure or the Java agent, as an embedded instance
   * logs one per sink: where it sends and where its spool is.
   */
  private static void logStart(
      String name,
      dev.otelretention.export.Signal signal,
      TelemetrySink sink,
      SinkContext context) {
    dev.otelretention.export.SpoolSettings spool = context.spool(signal);
    logger.info(
        "otel-retention: the "
            + name
            + " exporter for "
            + signal.baseName()
            + ", exporting to "
            + sink.description()
            + ", profile "
            + context.profile().name().toLowerCase(java.util.Locale.ROOT)
            + (spool == null
                ? ", batches wait in memory"
                : ", batches wait in the spool " + spool.directory().toAbsolutePath()));
  }

  private static <E> E create(
      String name,
      dev.otelretention.export.Signal signal,
      ConfigProperties config,
      Function<ConfigProperties, TelemetrySink> sink,
      BiFunction<TelemetrySink, SinkContext, E> exporterOf,
      Function<E, MetricExporter> asMetricExporter,
      BiFunction<String, Throwable, E> unavailable) {
    try {
      TelemetrySink created = sink.apply(config);
      SinkContext context = context(name, config);
      E exporter = exporterOf.apply(created, context);
      logStart(name, signal, created, context);
      AutoConfiguredExports.add(
          config,
          new AutoConfiguredExports.Entry(
              context, () -> created.capacityProbe(context), asMetricExporter.apply(exporter)));
      return exporter;
    } catch (RuntimeException | LinkageError e) {
      return unavailable.apply(name, e);
    }
  }

  /** Span exporter provider of a sink. */
  public abstract static class Spans implements ConfigurableSpanExporterProvider {
    private final String name;
    private final Function<ConfigProperties, TelemetrySink> sink;

    /**
     * A provider named {@code name} whose exporters come from the sink {@code sink} makes of the
     * properties.
     */
    protected Spans(String name, Function<ConfigProperties, TelemetrySink> sink) {
      this.name = Objects.requireNonNull(name, "name");
      this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public final SpanExporter createExporter(ConfigProperties config) {
      return spanExporter(name, config, sink);
    }

    @Override
    public final String getName() {
      return name;
    }
  }

  /** Metric exporter provider of a sink. */
  public abstract static class Metrics implements ConfigurableMetricExporterProvider {
    private final String name;
    private final Function<ConfigProperties, TelemetrySink> sink;

    /**
     * A provider named {@code name} whose exporters come from the sink {@code sink} makes of the
     * properties.
     */
    protected Metrics(String name, Function<ConfigProperties, TelemetrySink> sink) {
      this.name = Objects.requireNonNull(name, "name");
      this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public final MetricExporter createExporter(ConfigProperties config) {
      return metricExporter(name, config, sink);
    }

    @Override
    public final String getName() {
      return name;
    }
  }

  /** Log-record exporter provider of a sink. */
  public abstract static class Logs implements ConfigurableLogRecordExporterProvider {
    private final String name;
    private final Function<ConfigProperties, TelemetrySink> sink;

    /**
     * A provider named {@code name} whose exporters come from the sink {@code sink} makes of the
     * properties.
     */
    protected Logs(String name, Function<ConfigProperties, TelemetrySink> sink) {
      this.name = Objects.requireNonNull(name, "name");
      this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public final LogRecordExporter createExporter(ConfigProperties config) {
      return logRecordExporter(name, config, sink);
    }

    @Override
    public final String getName() {
      return name;
    }
  }
}
