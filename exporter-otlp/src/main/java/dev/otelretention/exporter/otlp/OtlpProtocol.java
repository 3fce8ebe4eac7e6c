package dev.otelretention.exporter.otlp;

import dev.otelretention.config.ConfigException;
import java.util.Locale;

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
   * @throws ConfigException for another name (also for {@code http/json}, which the SDK's exporters
   *     do not speak)
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
