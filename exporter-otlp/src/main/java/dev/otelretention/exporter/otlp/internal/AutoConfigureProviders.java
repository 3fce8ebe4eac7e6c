package dev.otelretention.exporter.otlp.internal;

import dev.otelretention.exporter.otlp.OtlpExporters;
import dev.otelretention.exporter.otlp.OtlpExporters.OtlpProtocol;
import dev.otelretention.sink.SinkExporterProviders;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;

/**
 * OpenTelemetry autoconfigure providers that make the OTLP sink selectable as {@value #NAME}
 * through {@code otel.traces.exporter}, {@code otel.metrics.exporter} and {@code
 * otel.logs.exporter}, configured by the standard {@code otel.exporter.otlp.*} properties and with
 * the same default protocol ({@code grpc}) as the SDK autoconfigure's {@code otlp} exporter, so
 * that an application switches by changing one name.
 */
public final class AutoConfigureProviders {
  /** The exporter name for autoconfigure. */
  public static final String NAME = "otlp-spooled";

  private AutoConfigureProviders() {}

  static TelemetrySink sink(ConfigProperties config) {
    return OtlpExporters.builder()
        // the SDK autoconfigure's otlp exporter defaults to grpc; the same name must mean the same
        .protocol(OtlpProtocol.GRPC)
        .configure(SinkExporterProviders.environmentOf(config))
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
