package dev.otelretention;

import dev.otelretention.internal.AutoConfiguredMonitoring;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;

/**
 * Found by OpenTelemetry autoconfigure (and so by the Java agent and the Spring Boot starter)
 * through {@link java.util.ServiceLoader}; not called by applications. It adds the library's
 * self-monitoring metrics (and, when {@code otel.retention.capacity.*} thresholds are set, its
 * capacity metrics and alerts) for the exporters of this library that autoconfigure created, to the
 * application's meter provider. Turn it off with {@code
 * otel.retention.self-monitoring.enabled=false} (default {@code true}).
 */
public final class RetentionAutoConfiguration implements AutoConfigurationCustomizerProvider {
  static final String ENABLED = "otel.retention.self-monitoring.enabled";

  /** Instantiated by {@link java.util.ServiceLoader}. */
  public RetentionAutoConfiguration() {}

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    customizer.addMeterProviderCustomizer(
        (builder, config) ->
            config.getBoolean(ENABLED, true)
                ? builder.registerMetricProducer(new AutoConfiguredMonitoring(config))
                : builder);
  }
}
