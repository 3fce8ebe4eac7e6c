package dev.otelretention.exporter.otlp.internal;

import dev.otelretention.sink.SinkComponentProviders;

/**
 * Declarative-configuration providers that make the OTLP sink an exporter named {@value #NAME} in a
 * configuration file, under the tracer, meter and logger providers. The node takes the keys of the
 * signal's {@code otel.exporter.otlp.<signal>.*} properties in snake case: {@code endpoint} (the
 * full URL, as the file's own {@code otlp_http} exporter takes it), {@code protocol} ({@code grpc}
 * by default, as under autoconfigure), {@code headers} ({@code a=b,c=d}), {@code compression},
 * {@code timeout}, {@code certificate}, {@code client_certificate}, {@code client_key}, and for
 * metrics {@code temporality_preference} and {@code default_histogram_aggregation}; its {@code
 * retention} node the export stage's and spool's.
 */
public final class DeclarativeProviders {
  /** The exporter's name in a configuration file. */
  public static final String NAME = "otlp_spooled";

  private DeclarativeProviders() {}

  /** Span exporter provider named {@value DeclarativeProviders#NAME}. */
  public static final class Spans extends SinkComponentProviders.Spans {
    /** Used by {@link java.util.ServiceLoader}. */
    public Spans() {
      super(
          NAME,
          AutoConfigureProviders.NAME,
          "otel.exporter.otlp.traces.",
          AutoConfigureProviders::sink);
    }
  }

  /** Metric exporter provider named {@value DeclarativeProviders#NAME}. */
  public static final class Metrics extends SinkComponentProviders.Metrics {
    /** Used by {@link java.util.ServiceLoader}. */
    public Metrics() {
      super(
          NAME,
          AutoConfigureProviders.NAME,
          "otel.exporter.otlp.metrics.",
          AutoConfigureProviders::sink);
    }
  }

  /** Log-record exporter provider named {@value DeclarativeProviders#NAME}. */
  public static final class Logs extends SinkComponentProviders.Logs {
    /** Used by {@link java.util.ServiceLoader}. */
    public Logs() {
      super(
          NAME,
          AutoConfigureProviders.NAME,
          "otel.exporter.otlp.logs.",
          AutoConfigureProviders::sink);
    }
  }
}
