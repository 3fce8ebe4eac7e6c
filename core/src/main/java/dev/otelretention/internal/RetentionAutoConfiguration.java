package dev.otelretention.internal;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;

/**
 * Found by OpenTelemetry autoconfigure (and so by the Java agent and the Spring Boot starter)
 * through {@link java.util.ServiceLoader}; not called by applications. It adds the library's
 * self-monitoring metrics (and, when {@code otel.retention.capacity.*} thresholds are set, its
 * capacity metrics and alerts) for the exporters of this library that autoconfigure created, to the
 * application's meter provider. Turn it off with {@code
 * otel.retention.self-monitoring.enabled=false} (default {@code true}). At shutdown, the last
 * metric collection follows the last span and log export, so that the exporters' counts include
 * them, and the self-monitoring's own meter provider and capacity thread stop with it.
 */
public final class RetentionAutoConfiguration implements AutoConfigurationCustomizerProvider {
  static final String ENABLED = "otel.retention.self-monitoring.enabled";

  /** Instantiated by {@link java.util.ServiceLoader}. */
  public RetentionAutoConfiguration() {}

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    AutoConfiguredShutdown shutdown = new AutoConfiguredShutdown();
    customizer.addSpanExporterCustomizer((exporter, config) -> shutdown.spans(exporter));
    customizer.addLogRecordExporterCustomizer((exporter, config) -> shutdown.logs(exporter));
    customizer.addMetricReaderCustomizer((reader, config) -> shutdown.metrics(reader));
    customizer.addMeterProviderCustomizer(
        (builder, config) -> {
          if (!config.getBoolean(ENABLED, true)) {
            return builder;
          }
          AutoConfiguredMonitoring monitoring = new AutoConfiguredMonitoring(config);
          shutdown.closeAfterLastCollection(monitoring);
          return builder.registerMetricProducer(monitoring);
        });
  }
}
