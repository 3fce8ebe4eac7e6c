package dev.otelretention.otlpjson;

import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/**
 * The telemetry of one OTLP/JSON export request, as the SDK's data types, ready to hand to any
 * exporter. Made by {@link OtlpJsonDecoder#decode(String)}.
 *
 * @param spans the spans of a traces request
 * @param metrics the metrics of a metrics request
 * @param logs the log records of a logs request
 */
public record DecodedTelemetry(
    List<SpanData> spans, List<MetricData> metrics, List<LogRecordData> logs) {
  /** Copies the lists. */
  public DecodedTelemetry {
    spans = List.copyOf(spans);
    metrics = List.copyOf(metrics);
    logs = List.copyOf(logs);
  }

  /** Spans, metric data points and log records in total. */
  public long items() {
    long points = 0;
    for (MetricData metric : metrics) {
      points += metric.getData().getPoints().size();
    }
    return spans.size() + points + logs.size();
  }
}
