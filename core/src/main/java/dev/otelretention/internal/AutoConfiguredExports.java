package dev.otelretention.internal;

import dev.otelretention.sink.CapacityProbe;
import dev.otelretention.sink.SinkContext;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * The exporters that OpenTelemetry autoconfigure (the Java agent, the Spring Boot starter) created
 * through {@link SinkExporterProviders}, grouped by the run's {@link ConfigProperties}, so that
 * core can monitor them as it monitors its own sinks. Filled by the providers, read by core's
 * autoconfigure customizer; not API.
 */
public final class AutoConfiguredExports {
  private static final Map<ConfigProperties, List<Entry>> BY_RUN =
      Collections.synchronizedMap(new WeakHashMap<>());

  private AutoConfiguredExports() {}

  /**
   * One exporter created by a provider.
   *
   * @param context the exporter's context, holding its statistics
   * @param capacityProbe makes what measures the sink's store (or {@code null}); asked only when
   *     capacity alerts are configured
   * @param metricExporter the exporter if it is a metric exporter, else {@code null}
   */
  public record Entry(
      SinkContext context, Supplier<CapacityProbe> capacityProbe, MetricExporter metricExporter) {}

  public static void add(ConfigProperties run, Entry entry) {
    BY_RUN
        .computeIfAbsent(run, unused -> Collections.synchronizedList(new ArrayList<>()))
        .add(entry);
  }

  /**
   * The exporters created so far in the autoconfigure run with these properties, in creation order.
   */
  public static List<Entry> of(ConfigProperties run) {
    List<Entry> entries = BY_RUN.get(run);
    if (entries == null) {
      return List.of();
    }
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }
}
