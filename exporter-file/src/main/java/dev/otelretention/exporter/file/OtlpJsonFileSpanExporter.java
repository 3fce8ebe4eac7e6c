package dev.otelretention.exporter.file;

import dev.otelretention.sink.ExportStats;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Writes spans to rotating files, one OTLP/JSON {@code ExportTraceServiceRequest} per line. Built by
 * {@link RotatingFileExporters}. {@code export} never throws; failures are counted in {@link #stats()}.
 */
public final class OtlpJsonFileSpanExporter implements SpanExporter {
  private final JsonLinesOutput<SpanData> output;

  OtlpJsonFileSpanExporter(JsonLinesOutput<SpanData> output) {
    this.output = output;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    return output.export(spans);
  }

  /** Writes buffered lines to the file and syncs it to the storage device. */
  @Override
  public CompletableResultCode flush() {
    return output.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return output.shutdown();
  }

  /** What this exporter wrote and lost. */
  public ExportStats stats() {
    return output.stats();
  }

  /** The active file (for a group-by exporter, the file of the group {@code unknown}). */
  public Path file() {
    return output.file(JsonLinesOutput.UNKNOWN_GROUP);
  }

  @Override
  public String toString() {
    return "OtlpJsonFileSpanExporter{" + file() + "}";
  }
}
