package dev.otelretention.exporter.file;

import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Writes spans to rotating files, one OTLP/JSON {@code ExportTraceServiceRequest} per line. Built
 * by {@link RotatingFileExporters}. {@code export} never throws; failures are counted in {@link
 * #stats()}.
 */
final class OtlpJsonFileSpanExporter extends FileExporterBase<SpanData> implements SpanExporter {
  OtlpJsonFileSpanExporter(JsonLinesOutput<SpanData> output) {
    super(output);
  }
}
