package dev.otelretention.exporter.clickhouse.internal;

import dev.otelretention.sink.SinkComponentProviders;

/**
 * Declarative-configuration providers that make the sink an exporter named {@value #NAME} in a
 * configuration file, under the tracer, meter and logger providers: the node takes the keys of
 * {@link AutoConfigureProviders#PREFIX} in snake case, its {@code retention} node the export
 * stage's and spool's.
 */
public final class DeclarativeProviders {
  /** The exporter's name in a configuration file. */
  public static final String NAME = "clickhouse";

  private DeclarativeProviders() {}

  /** Span exporter provider named {@value DeclarativeProviders#NAME}. */
  public static final class Spans extends SinkComponentProviders.Spans {
    /** Used by {@link java.util.ServiceLoader}. */
    public Spans() {
      super(
          NAME,
          AutoConfigureProviders.NAME,
          AutoConfigureProviders.PREFIX,
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
          AutoConfigureProviders.PREFIX,
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
          AutoConfigureProviders.PREFIX,
          AutoConfigureProviders::sink);
    }
  }
}
