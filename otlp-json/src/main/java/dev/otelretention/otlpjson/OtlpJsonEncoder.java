package dev.otelretention.otlpjson;

import dev.otelretention.otlpjson.internal.OtlpJson;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;

/**
 * Streams OTLP export requests as OTLP/JSON (the protobuf JSON mapping): lowerCamelCase names, hex
 * ids, integer enums, 64-bit integers as decimal strings, non-finite doubles as {@code
 * "NaN"}/{@code "Infinity"}, bytes as base64. Default values are omitted. One class per signal does
 * the work, in {@code internal}.
 */
public final class OtlpJsonEncoder {
  private OtlpJsonEncoder() {}

  /** Writes {@code spans} as one {@code ExportTraceServiceRequest} JSON object (no newline). */
  public static void writeSpans(Collection<SpanData> spans, OutputStream out) throws IOException {
    OtlpJson.writeSpans(spans, out);
  }

  /** Writes {@code metrics} as one {@code ExportMetricsServiceRequest} JSON object (no newline). */
  public static void writeMetrics(Collection<MetricData> metrics, OutputStream out)
      throws IOException {
    OtlpJson.writeMetrics(metrics, out);
  }

  /** Writes {@code logs} as one {@code ExportLogsServiceRequest} JSON object (no newline). */
  public static void writeLogs(Collection<LogRecordData> logs, OutputStream out)
      throws IOException {
    OtlpJson.writeLogs(logs, out);
  }
}
