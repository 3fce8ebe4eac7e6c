package dev.otelretention.exporter.otlp;

import dev.otelretention.common.ForwardProxy;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.Signal;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds the OTLP sink.
 *
 * <pre>{@code
 * TelemetryRetention.builder()
 *     .addSink(OtlpExporters.builder().endpoint("http://collector:4318").buildSink())
 *     .build();
 * }</pre>
 *
 * Defaults: {@code http/protobuf} to {@code http://localhost:4318} ({@code /v1/traces}, {@code
 * /v1/metrics}, {@code /v1/logs}), no compression, the export stage's request timeout, the JVM's
 * trust store, cumulative temporality and explicit-bucket histograms; anything may be set for one
 * signal over what is set for all.
 */
public final class OtlpExporters {
  private OtlpExporters() {}

  public static Builder builder() {
    return new Builder();
  }

  /** Builder of the OTLP sink's settings. */
  public static final class Builder {
    private OtlpProtocol protocol = OtlpProtocol.HTTP_PROTOBUF;
    private String endpoint;
    private final Map<Signal, String> signalEndpoints = new EnumMap<>(Signal.class);
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String compression = "none";
    private Duration timeout;
    private Path trustedCertificates;
    private Path clientCertificate;
    private Path clientKey;
    private final Map<Signal, SignalOverrides> overrides = new EnumMap<>(Signal.class);
    private Supplier<Map<String, String>> headerSupplier;
    private String temporalityPreference = "cumulative";
    private String histogramAggregation = "explicit_bucket_histogram";
    private Function<String, String> proxyVariables = System::getenv;
    private AggregationTemporalitySelector temporality;

    /** What is set for one signal only; {@code null} members take the value set for all. */
    private static final class SignalOverrides {
      OtlpProtocol protocol;
      Map<String, String> headers;
      String compression;
      Duration timeout;
      Path trustedCertificates;
      Path clientCertificate;
      Path clientKey;
    }

    private Builder() {}

    /** The transport (default {@code http/protobuf}). */
    public Builder protocol(OtlpProtocol protocol) {
      this.protocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    /**
     * The base endpoint of all signals, e.g. {@code http://collector:4318} (default: {@code
     * http://localhost:4318}, or {@code :4317} for gRPC); HTTP adds {@code /v1/<signal>}.
     */
    public Builder endpoint(String endpoint) {
      this.endpoint = url("endpoint", endpoint);
      return this;
    }

    /** The full endpoint of one signal, used as given (default: from {@link #endpoint}). */
    public Builder endpoint(Signal signal, String endpoint) {
      signalEndpoints.put(Objects.requireNonNull(signal, "signal"), url("endpoint", endpoint));
      return this;
    }

    /** A header sent with every request (default: none). */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a header name must not be blank");
      }
      headers.put(name.trim(), value);
      return this;
    }

    /** {@code gzip} or {@code none} (default, as the specification's). */
    public Builder compression(String compression) {
      this.compression = compressionOf(compression);
      return this;
    }

    /** The timeout of one request (default: the export stage's request timeout). */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout);
      return this;
    }

    /** PEM certificates to trust for TLS instead of the JVM's trust store (default: none). */
    public Builder trustedCertificates(Path pem) {
      this.trustedCertificates = readable("trustedCertificates", pem);
      return this;
    }

    /** The client certificate and private key (PEM) for mutual TLS (default: none). */
    public Builder clientTls(Path certificate, Path key) {
      this.clientCertificate = readable("clientCertificate", certificate);
      this.clientKey = readable("clientKey", key);
      return this;
    }

    /**
     * Headers asked for before every request, e.g. a token that rotates; sent besides the fixed
     * ones, and winning over a fixed one of the same name. Also asked when a spooled batch is sent
     * after a restart, so the spool never holds them. Their values never appear in {@code
     * toString()} or logs. The supplier must be fast and must not throw.
     */
    public Builder headers(Supplier<Map<String, String>> supplier) {
      this.headerSupplier = Objects.requireNonNull(supplier, "supplier");
      return this;
    }

    /** The transport of one signal, over {@link #protocol(OtlpProtocol)}. */
    public Builder protocol(Signal signal, OtlpProtocol protocol) {
      override(signal).protocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    /**
     * The headers of one signal's requests, in place of those set for all signals (as {@code
     * OTEL_EXPORTER_OTLP_TRACES_HEADERS} replaces {@code OTEL_EXPORTER_OTLP_HEADERS}).
     */
    public Builder headers(Signal signal, Map<String, String> headers) {
      Map<String, String> copy = new LinkedHashMap<>();
      Objects.requireNonNull(headers, "headers")
          .forEach(
              (name, value) -> {
                if (name == null || name.isBlank() || value == null) {
                  throw new IllegalArgumentException("a header needs a name and a value");
                }
                copy.put(name.trim(), value);
              });
      override(signal).headers = copy;
      return this;
    }

    /** The compression of one signal, over {@link #compression(String)}. */
    public Builder compression(Signal signal, String compression) {
      override(signal).compression = compressionOf(compression);
      return this;
    }

    /** The request timeout of one signal, over {@link #timeout(Duration)}. */
    public Builder timeout(Signal signal, Duration timeout) {
      override(signal).timeout = positive(timeout);
      return this;
    }

    /** The certificates one signal trusts, over {@link #trustedCertificates(Path)}. */
    public Builder trustedCertificates(Signal signal, Path pem) {
      override(signal).trustedCertificates = readable("trustedCertificates", pem);
      return this;
    }

    /** The client certificate and key of one signal, over {@link #clientTls(Path, Path)}. */
    public Builder clientTls(Signal signal, Path certificate, Path key) {
      SignalOverrides override = override(signal);
      override.clientCertificate = readable("clientCertificate", certificate);
      override.clientKey = readable("clientKey", key);
      return this;
    }

    /**
     * The temporality the metric exporter asks for: {@code cumulative} (default), {@code delta}
     * (delta for counters and histograms, for delta-only backends) or {@code lowmemory}, as {@code
     * OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE} names them.
     */
    public Builder temporalityPreference(String preference) {
      String value =
          Objects.requireNonNull(preference, "preference").trim().toLowerCase(Locale.ROOT);
      if (!value.equals("cumulative") && !value.equals("delta") && !value.equals("lowmemory")) {
        throw new IllegalArgumentException(
            "the temporality preference must be cumulative, delta or lowmemory, got '"
                + preference
                + "'");
      }
      this.temporalityPreference = value;
      return this;
    }

    /**
     * The temporality the metric exporter asks for, per instrument, instead of a {@link
     * #temporalityPreference} (default: none). For a backend that takes delta for every instrument,
     * up-down counters included, such as Datadog's OTLP intake: {@code type ->
     * AggregationTemporality.DELTA}.
     */
    public Builder temporality(AggregationTemporalitySelector selector) {
      this.temporality = Objects.requireNonNull(selector, "selector");
      return this;
    }

    /**
     * How histograms aggregate: {@code explicit_bucket_histogram} (default) or {@code
     * base2_exponential_bucket_histogram}, as {@code
     * OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION} names them.
     */
    public Builder defaultHistogramAggregation(String aggregation) {
      String value =
          Objects.requireNonNull(aggregation, "aggregation").trim().toLowerCase(Locale.ROOT);
      if (!value.equals("explicit_bucket_histogram")
          && !value.equals("base2_exponential_bucket_histogram")) {
        throw new IllegalArgumentException(
            "the default histogram aggregation must be explicit_bucket_histogram or"
                + " base2_exponential_bucket_histogram, got '"
                + aggregation
                + "'");
      }
      this.histogramAggregation = value;
      return this;
    }

    private SignalOverrides override(Signal signal) {
      return overrides.computeIfAbsent(
          Objects.requireNonNull(signal, "signal"), s -> new SignalOverrides());
    }

    /**
     * Applies the standard variables that are set: {@code OTEL_EXPORTER_OTLP_PROTOCOL}, {@code
     * _ENDPOINT}, {@code _HEADERS} ({@code name=value,…}, values URL-encoded), {@code
     * _COMPRESSION}, {@code _TIMEOUT} (milliseconds), {@code _CERTIFICATE}, {@code
     * _CLIENT_CERTIFICATE} and {@code _CLIENT_KEY}; each of them also per signal ({@code
     * OTEL_EXPORTER_OTLP_TRACES_HEADERS}, {@code _METRICS_…}, {@code _LOGS_…}), which wins over the
     * one for all signals, as in the SDK's own exporters; and {@code
     * OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE} and {@code
     * OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION}.
     *
     * @throws ConfigException naming the variable when a value is invalid
     */
    public Builder configure(EnvironmentConfig config) {
      Objects.requireNonNull(config, "config");
      proxyVariables = config::variable;
      String prefix = "otel.exporter.otlp.";
      config.apply(prefix + "protocol", OtlpProtocol::of, this::protocol);
      config.apply(prefix + "endpoint", this::endpoint);
      config.apply(
          prefix + "headers", Builder::parseHeaders, headers -> headers.forEach(this::header));
      config.apply(prefix + "compression", this::compression);
      config.apply(prefix + "timeout", EnvironmentConfig::parseMilliseconds, this::timeout);
      config.apply(prefix + "certificate", value -> trustedCertificates(Path.of(value)));
      clientTls(config, prefix, this::clientTls);
      for (Signal signal : Signal.values()) {
        String signalPrefix = prefix + signalPath(signal) + ".";
        config.apply(signalPrefix + "protocol", OtlpProtocol::of, value -> protocol(signal, value));
        config.apply(signalPrefix + "endpoint", value -> endpoint(signal, value));
        config.apply(
            signalPrefix + "headers", Builder::parseHeaders, value -> headers(signal, value));
        config.apply(signalPrefix + "compression", value -> compression(signal, value));
        config.apply(
            signalPrefix + "timeout",
            EnvironmentConfig::parseMilliseconds,
            value -> timeout(signal, value));
        config.apply(
            signalPrefix + "certificate", value -> trustedCertificates(signal, Path.of(value)));
        clientTls(config, signalPrefix, (certificate, key) -> clientTls(signal, certificate, key));
      }
      config.apply(prefix + "metrics.temporality.preference", this::temporalityPreference);
      config.apply(
          prefix + "metrics.default.histogram.aggregation", this::defaultHistogramAggregation);
      return this;
    }

    /** Applies {@code <prefix>client.certificate} and {@code <prefix>client.key}, set together. */
    private static void clientTls(
        EnvironmentConfig config, String prefix, BiConsumer<Path, Path> setter) {
      String certificate = config.get(prefix + "client.certificate");
      String key = config.get(prefix + "client.key");
      if ((certificate == null) != (key == null)) {
        throw new ConfigException(
            "mutual TLS needs both "
                + config.nameOf(prefix + "client.certificate")
                + " and "
                + config.nameOf(prefix + "client.key"));
      }
      if (certificate != null) {
        try {
          setter.accept(Path.of(certificate), Path.of(key));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(
              config.nameOf(prefix + "client.certificate")
                  + " and "
                  + config.nameOf(prefix + "client.key")
                  + ": "
                  + e.getMessage(),
              e);
        }
      }
    }

    /** {@code name=value} pairs separated by commas, URL-decoded; values are never shown. */
    private static Map<String, String> parseHeaders(String name, String value) {
      Map<String, String> headers = new LinkedHashMap<>();
      for (String pair : value.split(",")) {
        if (pair.isBlank()) {
          continue;
        }
        int equals = pair.indexOf('=');
        if (equals <= 0) {
          throw new ConfigException(name + " must be name=value pairs separated by commas");
        }
        headers.put(
            URLDecoder.decode(pair.substring(0, equals).trim(), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1).trim(), StandardCharsets.UTF_8));
      }
      return headers;
    }

    /** The immutable settings: per signal, what is set for it over what is set for all. */
    OtlpSettings buildSettings() {
      Map<Signal, OtlpSettings.SignalSettings> signals = new EnumMap<>(Signal.class);
      for (Signal signal : Signal.values()) {
        SignalOverrides override = overrides.getOrDefault(signal, new SignalOverrides());
        OtlpProtocol signalProtocol = override.protocol != null ? override.protocol : protocol;
        String given = signalEndpoints.get(signal);
        String base = endpoint == null ? signalProtocol.defaultEndpoint() : endpoint;
        String url;
        if (given != null) {
          url = given;
        } else if (signalProtocol == OtlpProtocol.HTTP_PROTOBUF) {
          url =
              (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                  + "/v1/"
                  + signalPath(signal);
        } else {
          url = base;
        }
        boolean ownTls = override.clientCertificate != null;
        ForwardProxy proxy = proxy(url);
        if (signalProtocol == OtlpProtocol.GRPC
            && url.regionMatches(true, 0, "http://", 0, 7)
            && !proxy.isDirect()) {
          throw new ConfigException(
              "gRPC to "
                  + url
                  + " cannot go through the "
                  + proxy
                  + ": HTTP/2 without TLS is not forwarded by HTTP proxies; use an https endpoint"
                  + " (tunnelled with CONNECT), http/protobuf, or NO_PROXY for this host");
        }
        signals.put(
            signal,
            new OtlpSettings.SignalSettings(
                signalProtocol,
                url,
                override.headers != null ? override.headers : headers,
                override.compression != null ? override.compression : compression,
                override.timeout != null ? override.timeout : timeout,
                override.trustedCertificates != null
                    ? override.trustedCertificates
                    : trustedCertificates,
                ownTls ? override.clientCertificate : clientCertificate,
                ownTls ? override.clientKey : clientKey,
                proxy));
      }
      return new OtlpSettings(
          signals, headerSupplier, temporalityPreference, histogramAggregation, temporality);
    }

    /**
     * A span exporter outside {@code TelemetryRetention} (e.g. for an SDK assembled by hand), with
     * the default sending queue, retry policy and request timeout.
     */
    public SpanExporter buildSpanExporter() {
      return buildSink().createSpanExporter(SinkContext.standalone("otlp"));
    }

    /** A metric exporter outside {@code TelemetryRetention}, with the default pipeline settings. */
    public MetricExporter buildMetricExporter() {
      return buildSink().createMetricExporter(SinkContext.standalone("otlp"));
    }

    /**
     * A log-record exporter outside {@code TelemetryRetention}, with the default pipeline settings.
     */
    public LogRecordExporter buildLogRecordExporter() {
      return buildSink().createLogRecordExporter(SinkContext.standalone("otlp"));
    }

    private ForwardProxy proxy(String url) {
      try {
        return ForwardProxy.forDestination(URI.create(url), System::getProperty, proxyVariables);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage(), e);
      }
    }

    /** The sink with these settings. */
    public TelemetrySink buildSink() {
      return OtlpSink.create(buildSettings());
    }

    private static String signalPath(Signal signal) {
      return switch (signal) {
        case TRACES -> "traces";
        case METRICS -> "metrics";
        case LOGS -> "logs";
      };
    }

    private static String compressionOf(String compression) {
      String value =
          Objects.requireNonNull(compression, "compression").trim().toLowerCase(Locale.ROOT);
      if (!value.equals("gzip") && !value.equals("none")) {
        throw new IllegalArgumentException(
            "compression must be gzip or none, got '" + compression + "'");
      }
      return value;
    }

    private static Duration positive(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "the timeout must be positive, got " + EnvironmentConfig.format(timeout));
      }
      return timeout;
    }

    private static String url(String what, String value) {
      Objects.requireNonNull(value, what);
      URI uri;
      try {
        uri = URI.create(value.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(what + " is not a URL", e);
      }
      boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
      if (!web || uri.getHost() == null) {
        throw new IllegalArgumentException(
            what
                + " must be an http:// or https:// URL with a host, got "
                + uri.getScheme()
                + "://…");
      }
      return value.trim();
    }

    private static Path readable(String what, Path path) {
      Objects.requireNonNull(path, what);
      if (!Files.isReadable(path)) {
        throw new IllegalArgumentException(what + " is not a readable file: " + path);
      }
      return path;
    }
  }

  /** The OTLP transport, as {@code OTEL_EXPORTER_OTLP_PROTOCOL} names it. */
  public enum OtlpProtocol {
    /** Protobuf over HTTP ({@code http/protobuf}), port 4318, paths {@code /v1/<signal>}. */
    HTTP_PROTOBUF("http/protobuf", "http://localhost:4318"),
    /** gRPC ({@code grpc}), port 4317. */
    GRPC("grpc", "http://localhost:4317");

    private final String value;
    private final String defaultEndpoint;

    OtlpProtocol(String value, String defaultEndpoint) {
      this.value = value;
      this.defaultEndpoint = defaultEndpoint;
    }

    /** The name in {@code OTEL_EXPORTER_OTLP_PROTOCOL}. */
    public String value() {
      return value;
    }

    /** The endpoint when none is given. */
    public String defaultEndpoint() {
      return defaultEndpoint;
    }

    /**
     * The protocol named {@code value}.
     *
     * @throws ConfigException for another name (also for {@code http/json}, which the SDK's
     *     exporters do not speak)
     */
    public static OtlpProtocol of(String what, String value) {
      String name = value.trim().toLowerCase(Locale.ROOT);
      for (OtlpProtocol protocol : values()) {
        if (protocol.value.equals(name)) {
          return protocol;
        }
      }
      throw new ConfigException(what + " must be http/protobuf or grpc, got '" + value + "'");
    }
  }
}
