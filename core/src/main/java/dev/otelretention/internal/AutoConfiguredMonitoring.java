package dev.otelretention.internal;

import dev.otelretention.capacity.CapacityThresholds;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.ExportStats;
import dev.otelretention.sink.CapacityProbe;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Self-monitoring and capacity alerts for exporters created by OpenTelemetry autoconfigure (the
 * Java agent, the Spring Boot starter). The SDK built by autoconfigure is not handed to extensions,
 * so the library's instruments live on a meter provider of their own, read through the public
 * {@link MetricReader} SPI, and reach the application's metric exporters as a {@link
 * MetricProducer} registered on its meter provider: every collection of the application's readers
 * includes them, with the application's resource. Instruments are registered at the first
 * collection, when autoconfigure has created every exporter.
 */
public final class AutoConfiguredMonitoring implements MetricProducer, MetricReader {
  private static final Logger logger = Logger.getLogger(AutoConfiguredMonitoring.class.getName());

  private final ConfigProperties run;
  private volatile CollectionRegistration registration = CollectionRegistration.noop();
  private SdkMeterProvider meterProvider;
  private CapacityMonitor capacity;
  private final List<AutoCloseable> registrations = new ArrayList<>();
  private List<AutoConfiguredExports.Entry> entries = List.of();

  public AutoConfiguredMonitoring(ConfigProperties run) {
    this.run = Objects.requireNonNull(run, "run");
  }

  @Override
  public synchronized Collection<MetricData> produce(Resource resource) {
    if (meterProvider == null) {
      try {
        start(resource);
      } catch (RuntimeException e) {
        logger.log(Level.WARNING, "otel-retention: self-monitoring is off: " + e, e);
        meterProvider = SdkMeterProvider.builder().build();
        return List.of();
      }
    }
    return registration.collectAllMetrics();
  }

  private void start(Resource resource) {
    entries = AutoConfiguredExports.of(run);
    meterProvider =
        SdkMeterProvider.builder().setResource(resource).registerMetricReader(this).build();
    List<ExportStats> stats = new ArrayList<>();
    entries.forEach(entry -> stats.addAll(entry.context().registeredStats()));
    registrations.addAll(SelfMonitoring.register(meterProvider, stats, List.of(), null));
    CapacityThresholds thresholds =
        CapacityThresholds.fromEnvironment(EnvironmentConfig.fromLookup(run::getString));
    if (thresholds != null) {
      Map<String, CapacityProbe> probes = new LinkedHashMap<>();
      for (AutoConfiguredExports.Entry entry : entries) {
        String sink = entry.context().sinkName();
        if (!probes.containsKey(sink)) {
          CapacityProbe probe = entry.capacityProbe().get();
          if (probe != null) {
            probes.put(sink, probe);
          }
        }
      }
      if (!probes.isEmpty()) {
        capacity = new CapacityMonitor(probes, thresholds);
        registrations.addAll(capacity.register(meterProvider.get(SelfMonitoring.SCOPE)));
        capacity.start();
      }
    }
  }

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  /**
   * The temporality the first metric exporter of the run asks for, cumulative when there is none.
   */
  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    for (AutoConfiguredExports.Entry entry : entries) {
      MetricExporter exporter = entry.metricExporter();
      if (exporter != null) {
        return exporter.getAggregationTemporality(instrumentType);
      }
    }
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  /**
   * Stops the self-monitoring of the run: its meter provider, the capacity monitor's thread and the
   * instruments. Called once the application's last metric collection has run.
   */
  @Override
  public void close() {
    SdkMeterProvider provider;
    synchronized (this) {
      provider = meterProvider;
    }
    if (provider != null) {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    shutdown();
  }

  @Override
  public synchronized CompletableResultCode shutdown() {
    if (capacity != null) {
      capacity.close();
      capacity = null;
    }
    for (AutoCloseable registration : registrations) {
      try {
        registration.close();
      } catch (Exception e) {
        logger.log(Level.FINE, "closing an instrument failed", e);
      }
    }
    registrations.clear();
    return CompletableResultCode.ofSuccess();
  }
}
