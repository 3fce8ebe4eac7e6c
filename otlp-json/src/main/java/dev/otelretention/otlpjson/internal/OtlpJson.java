package dev.otelretention.otlpjson.internal;

import static dev.otelretention.otlpjson.internal.JsonReader.forEachScope;
import static dev.otelretention.otlpjson.internal.JsonReader.object;
import static dev.otelretention.otlpjson.internal.JsonReader.parse;

import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The OTLP/JSON codec: export requests written from the SDK's data and read back into it, one class
 * per signal ({@link SpanJson}, {@link MetricJson}, {@link LogJson}) over the shared envelope,
 * resource, scope and attribute code ({@link JsonWriter}, {@link JsonReader}). Not API: the public
 * faces are the file exporters and {@code OtlpJsonDecoder}.
 */
public final class OtlpJson {
  private OtlpJson() {}

  /** Writes {@code spans} as one {@code ExportTraceServiceRequest} JSON object (no newline). */
  public static void writeSpans(Collection<SpanData> spans, OutputStream out) throws IOException {
    SpanJson.write(spans, out);
  }

  /** Writes {@code metrics} as one {@code ExportMetricsServiceRequest} JSON object (no newline). */
  public static void writeMetrics(Collection<MetricData> metrics, OutputStream out)
      throws IOException {
    MetricJson.write(metrics, out);
  }

  /** Writes {@code logs} as one {@code ExportLogsServiceRequest} JSON object (no newline). */
  public static void writeLogs(Collection<LogRecordData> logs, OutputStream out)
      throws IOException {
    LogJson.write(logs, out);
  }

  /**
   * Reads a traces, metrics or logs request, adding what it holds to the three lists.
   *
   * @throws IllegalArgumentException naming the field when the text is not a valid OTLP/JSON
   *     request
   */
  public static void read(
      String json, List<SpanData> spans, List<MetricData> metrics, List<LogRecordData> logs) {
    Map<String, Object> request = object(parse(json), "request");
    boolean known = false;
    if (request.containsKey("resourceSpans")) {
      known = true;
      forEachScope(
          request,
          "resourceSpans",
          "scopeSpans",
          "spans",
          (resource, scope, item, path) -> spans.add(SpanJson.read(resource, scope, item, path)));
    }
    if (request.containsKey("resourceMetrics")) {
      known = true;
      forEachScope(
          request,
          "resourceMetrics",
          "scopeMetrics",
          "metrics",
          (resource, scope, item, path) ->
              metrics.add(MetricJsonReader.read(resource, scope, item, path)));
    }
    if (request.containsKey("resourceLogs")) {
      known = true;
      forEachScope(
          request,
          "resourceLogs",
          "scopeLogs",
          "logRecords",
          (resource, scope, item, path) -> logs.add(LogJson.read(resource, scope, item, path)));
    }
    if (!known) {
      throw new IllegalArgumentException(
          "not an OTLP/JSON request: no resourceSpans, resourceMetrics or resourceLogs");
    }
  }
}
