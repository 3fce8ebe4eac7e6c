package dev.otelretention.exporter.otlp;

import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.Signal;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
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
 * /v1/metrics}, {@code /v1/logs}), gzip, the export stage's request timeout, the JVM's trust store.
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
    private String compression = "gzip";
    private Duration timeout;
    private Path trustedCertificates;
    private Path clientCertificate;
    private Path clientKey;

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

    /** {@code gzip} (default) or {@code none}. */
    public Builder compression(String compression) {
      String value =
          Objects.requireNonNull(compression, "compression").trim().toLowerCase(Locale.ROOT);
      if (!value.equals("gzip") && !value.equals("none")) {
        throw new IllegalArgumentException(
            "compression must be gzip or none, got '" + compression + "'");
      }
      this.compression = value;
      return this;
    }

    /** The timeout of one request (default: the export stage's request timeout). */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "the timeout must be positive, got " + EnvironmentConfig.format(timeout));
      }
      this.timeout = timeout;
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
     * Applies the standard variables that are set: {@code OTEL_EXPORTER_OTLP_PROTOCOL}, {@code
     * _ENDPOINT}, {@code _TRACES_ENDPOINT} / {@code _METRICS_ENDPOINT} / {@code _LOGS_ENDPOINT},
     * {@code _HEADERS} ({@code name=value,…}, values URL-encoded), {@code _COMPRESSION}, {@code
     * _TIMEOUT} (milliseconds), {@code _CERTIFICATE}, {@code _CLIENT_CERTIFICATE} and {@code
     * _CLIENT_KEY}.
     *
     * @throws ConfigException naming the variable when a value is invalid
     */
    public Builder configure(EnvironmentConfig config) {
      Objects.requireNonNull(config, "config");
      String prefix = "otel.exporter.otlp.";
      config.apply(prefix + "protocol", OtlpProtocol::of, this::protocol);
      config.apply(prefix + "endpoint", this::endpoint);
      for (Signal signal : Signal.values()) {
        config.apply(prefix + signalPath(signal) + ".endpoint", value -> endpoint(signal, value));
      }
      config.apply(
          prefix + "headers", Builder::parseHeaders, headers -> headers.forEach(this::header));
      config.apply(prefix + "compression", this::compression);
      config.apply(prefix + "timeout", EnvironmentConfig::parseMilliseconds, this::timeout);
      config.apply(prefix + "certificate", value -> trustedCertificates(Path.of(value)));
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
          clientTls(Path.of(certificate), Path.of(key));
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
      return this;
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

    /** The immutable settings. */
    OtlpSettings buildSettings() {
      Map<Signal, String> endpoints = new EnumMap<>(Signal.class);
      String base = endpoint == null ? protocol.defaultEndpoint() : endpoint;
      for (Signal signal : Signal.values()) {
        String given = signalEndpoints.get(signal);
        if (given != null) {
          endpoints.put(signal, given);
        } else if (protocol == OtlpProtocol.HTTP_PROTOBUF) {
          endpoints.put(
              signal,
              (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                  + "/v1/"
                  + signalPath(signal));
        } else {
          endpoints.put(signal, base);
        }
      }
      return new OtlpSettings(
          protocol,
          endpoints,
          headers,
          compression,
          timeout,
          trustedCertificates,
          clientCertificate,
          clientKey);
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
