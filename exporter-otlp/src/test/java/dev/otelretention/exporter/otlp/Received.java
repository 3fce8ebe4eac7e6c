package dev.otelretention.exporter.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/** The spans and log records of the requests a test receiver decoded. */
final class Received {
  private Received() {}

  static List<Span> spans(List<ExportTraceServiceRequest> requests) {
    List<Span> spans = new ArrayList<>();
    for (ExportTraceServiceRequest request : requests) {
      request
          .getResourceSpansList()
          .forEach(
              resource ->
                  resource.getScopeSpansList().forEach(s -> spans.addAll(s.getSpansList())));
    }
    return spans;
  }

  static List<LogRecord> logRecords(List<ExportLogsServiceRequest> requests) {
    List<LogRecord> records = new ArrayList<>();
    for (ExportLogsServiceRequest request : requests) {
      request
          .getResourceLogsList()
          .forEach(
              resource ->
                  resource.getScopeLogsList().forEach(s -> records.addAll(s.getLogRecordsList())));
    }
    return records;
  }
}
