package dev.otelretention.otlpjson;

import dev.otelretention.otlpjson.internal.OtlpJson;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one OTLP/JSON export request (a line of a telemetry file, as this library or the
 * OpenTelemetry Collector's file exporter writes it) into the SDK's data types, so that any
 * exporter can send it on. It follows the OTLP/JSON rules: ids in hex, 64-bit integers as strings
 * or numbers, enums as numbers or names, and {@code NaN}/{@code Infinity} as strings.
 *
 * <pre>{@code
 * DecodedTelemetry telemetry = OtlpJsonDecoder.decode(record.json());
 * spanExporter.export(telemetry.spans());
 * }</pre>
 */
public final class OtlpJsonDecoder {
  private OtlpJsonDecoder() {}

  /**
   * Decodes a traces, metrics or logs request.
   *
   * @throws IllegalArgumentException naming the field when the text is not a valid OTLP/JSON
   *     request
   */
  public static DecodedTelemetry decode(String json) {
    List<SpanData> spans = new ArrayList<>();
    List<MetricData> metrics = new ArrayList<>();
    List<LogRecordData> logs = new ArrayList<>();
    OtlpJson.read(json, spans, metrics, logs);
    return new DecodedTelemetry(spans, metrics, logs);
  }
}
