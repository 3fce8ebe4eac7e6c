package dev.otelretention.exporter.otlp;

import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.otlp.OtlpExporters.OtlpProtocol;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The immutable settings of an OTLP sink, made by {@link OtlpExporters.Builder#buildSettings()}.
 * Header values (they often hold credentials) never appear in {@link #toString()}.
 */
final class OtlpSettings {
  private final OtlpProtocol protocol;
  private final Map<Signal, String> endpoints;
  private final Map<String, String> headers;
  private final String compression;
  private final Duration timeout;
  private final Path trustedCertificates;
  private final Path clientCertificate;
  private final Path clientKey;

  OtlpSettings(
      OtlpProtocol protocol,
      Map<Signal, String> endpoints,
      Map<String, String> headers,
      String compression,
      Duration timeout,
      Path trustedCertificates,
      Path clientCertificate,
      Path clientKey) {
    this.protocol = protocol;
    this.endpoints = Map.copyOf(endpoints);
    this.headers = Map.copyOf(headers);
    this.compression = compression;
    this.timeout = timeout;
    this.trustedCertificates = trustedCertificates;
    this.clientCertificate = clientCertificate;
    this.clientKey = clientKey;
  }

  public OtlpProtocol protocol() {
    return protocol;
  }

  /** Where {@code signal} is sent: the full URL (with {@code /v1/<signal>} for HTTP). */
  public String endpoint(Signal signal) {
    return endpoints.get(signal);
  }

  /** {@link #endpoint} without user information, for messages. */
  public String displayEndpoint(Signal signal) {
    URI uri = URI.create(endpoint(signal));
    return uri.getUserInfo() == null
        ? uri.toString()
        : uri.getScheme()
            + "://"
            + uri.getHost()
            + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
            + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  /** Headers sent with every request. */
  public Map<String, String> headers() {
    return headers;
  }

  /** {@code gzip} or {@code none}. */
  public String compression() {
    return compression;
  }

  /** The timeout of one request, or {@code null} for the export stage's request timeout. */
  public Duration timeout() {
    return timeout;
  }

  /** PEM certificates to trust instead of the JVM's, or {@code null}. */
  public Path trustedCertificates() {
    return trustedCertificates;
  }

  /** The client certificate (PEM) of mutual TLS, or {@code null}. */
  public Path clientCertificate() {
    return clientCertificate;
  }

  /** The client's private key (PEM) of mutual TLS, or {@code null}. */
  public Path clientKey() {
    return clientKey;
  }

  @Override
  public String toString() {
    return "OtlpSettings{protocol="
        + protocol.value()
        + ", traces="
        + displayEndpoint(Signal.TRACES)
        + ", metrics="
        + displayEndpoint(Signal.METRICS)
        + ", logs="
        + displayEndpoint(Signal.LOGS)
        + ", headers="
        + headers.keySet()
        + ", compression="
        + compression
        + (timeout == null ? "" : ", timeout=" + EnvironmentConfig.format(timeout))
        + (trustedCertificates == null ? "" : ", trustedCertificates=" + trustedCertificates)
        + (clientCertificate == null ? "" : ", clientCertificate=" + clientCertificate)
        + "}";
  }
}
