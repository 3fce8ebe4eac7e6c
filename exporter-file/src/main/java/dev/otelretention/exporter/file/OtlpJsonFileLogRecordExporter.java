package dev.otelretention.exporter.file;

import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;

/**
 * Writes log records to rotating files, one OTLP/JSON {@code ExportLogsServiceRequest} per line.
 * Built by {@link RotatingFileExporters}. {@code export} never throws; failures are counted in
 * {@link #stats()}.
 */
final class OtlpJsonFileLogRecordExporter extends FileExporterBase<LogRecordData>
    implements LogRecordExporter {
  OtlpJsonFileLogRecordExporter(JsonLinesOutput<LogRecordData> output) {
    super(output);
  }
}
