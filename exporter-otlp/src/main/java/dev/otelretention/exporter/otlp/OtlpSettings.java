package dev.otelretention.exporter.otlp;

import dev.otelretention.common.ForwardProxy;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.otlp.OtlpExporters.OtlpProtocol;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.DefaultAggregationSelector;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The immutable settings of an OTLP sink, one {@link SignalSettings} per signal, made by {@link
 * OtlpExporters.Builder#buildSettings()}. Header values (they often hold credentials) never appear
 * in {@link #toString()}.
 */
final class OtlpSettings {
  /**
   * What the exporter of one signal is built with.
   *
   * @param endpoint the full URL (with {@code /v1/<signal>} for HTTP)
   * @param compression {@code gzip} or {@code none}
   * @param timeout the timeout of one request, or {@code null} for the export stage's
   * @param trustedCertificates PEM certificates to trust instead of the JVM's, or {@code null}
   * @param clientCertificate the client certificate (PEM) of mutual TLS, or {@code null}
   * @param clientKey the client's private key (PEM) of mutual TLS, or {@code null}
   * @param proxy the forward proxy to the endpoint, or {@link ForwardProxy#direct()}
   */
  record SignalSettings(
      OtlpProtocol protocol,
      String endpoint,
      Map<String, String> headers,
      String compression,
      Duration timeout,
      Path trustedCertificates,
      Path clientCertificate,
      Path clientKey,
      ForwardProxy proxy) {
    SignalSettings {
      headers = Map.copyOf(headers);
    }

    /** {@link #endpoint} without user information, for messages. */
    String displayEndpoint() {
      URI uri = URI.create(endpoint);
      return uri.getUserInfo() == null
          ? uri.toString()
          : uri.getScheme()
              + "://"
              + uri.getHost()
              + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
              + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    @Override
    public String toString() {
      return protocol.value()
          + " "
          + displayEndpoint()
          + ", headers="
          + headers.keySet()
          + ", compression="
          + compression
          + (timeout == null ? "" : ", timeout=" + EnvironmentConfig.format(timeout))
          + (trustedCertificates == null ? "" : ", trustedCertificates=" + trustedCertificates)
          + (clientCertificate == null ? "" : ", clientCertificate=" + clientCertificate)
          + (proxy.isDirect() ? "" : ", " + proxy);
    }
  }

  private final Map<Signal, SignalSettings> signals;
  private final Supplier<Map<String, String>> headerSupplier;
  private final String temporalityPreference;
  private final String histogramAggregation;
  private final AggregationTemporalitySelector temporality;

  OtlpSettings(
      Map<Signal, SignalSettings> signals,
      Supplier<Map<String, String>> headerSupplier,
      String temporalityPreference,
      String histogramAggregation,
      AggregationTemporalitySelector temporality) {
    this.signals = new EnumMap<>(signals);
    this.headerSupplier = headerSupplier;
    this.temporalityPreference = temporalityPreference;
    this.histogramAggregation = histogramAggregation;
    this.temporality = temporality;
  }

  /** The settings of {@code signal}'s exporter. */
  SignalSettings signal(Signal signal) {
    return signals.get(signal);
  }

  /** Headers asked for before every request, or {@code null} when there are none. */
  Supplier<Map<String, String>> headerSupplier() {
    return headerSupplier;
  }

  /** Where {@code signal} is sent: the full URL (with {@code /v1/<signal>} for HTTP). */
  String endpoint(Signal signal) {
    return signal(signal).endpoint();
  }

  /**
   * The temporality the metric exporter asks for, as {@code
   * OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE} names it: {@code cumulative}, {@code delta}
   * or {@code lowmemory}.
   */
  String temporalityPreference() {
    return temporalityPreference;
  }

  AggregationTemporalitySelector temporalitySelector() {
    if (temporality != null) {
      return temporality;
    }
    return switch (temporalityPreference) {
      case "delta" -> AggregationTemporalitySelector.deltaPreferred();
      case "lowmemory" -> AggregationTemporalitySelector.lowMemory();
      default -> AggregationTemporalitySelector.alwaysCumulative();
    };
  }

  /**
   * The aggregation of histograms, as {@code
   * OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION} names it: {@code
   * explicit_bucket_histogram} or {@code base2_exponential_bucket_histogram}.
   */
  String histogramAggregation() {
    return histogramAggregation;
  }

  DefaultAggregationSelector defaultAggregation() {
    DefaultAggregationSelector defaults = DefaultAggregationSelector.getDefault();
    return histogramAggregation.equals("base2_exponential_bucket_histogram")
        ? defaults.with(InstrumentType.HISTOGRAM, Aggregation.base2ExponentialBucketHistogram())
        : defaults;
  }

  @Override
  public String toString() {
    return "OtlpSettings{traces="
        + signal(Signal.TRACES)
        + "; metrics="
        + signal(Signal.METRICS)
        + (headerSupplier == null ? "" : ", headers supplied per request")
        + ", temporality="
        + temporalityPreference
        + ", histograms="
        + histogramAggregation
        + "; logs="
        + signal(Signal.LOGS)
        + "}";
  }
}
