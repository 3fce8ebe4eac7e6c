package dev.otelretention.exporter.file;

import dev.otelretention.sink.ExportStats;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Writes metrics to rotating files, one OTLP/JSON {@code ExportMetricsServiceRequest} per line. Built by
 * {@link RotatingFileExporters}. It encodes synchronously, so it lets the SDK reuse metric data
 * ({@link MemoryMode#REUSABLE_DATA}). {@code export} never throws; failures are counted in {@link #stats()}.
 */
public final class OtlpJsonFileMetricExporter implements MetricExporter {
  private final JsonLinesOutput<MetricData> output;
  private final AggregationTemporalitySelector temporality;

  OtlpJsonFileMetricExporter(JsonLinesOutput<MetricData> output, AggregationTemporalitySelector temporality) {
    this.output = output;
    this.temporality = temporality;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return temporality.getAggregationTemporality(instrumentType);
  }

  @Override
  public MemoryMode getMemoryMode() {
    return MemoryMode.REUSABLE_DATA;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    return output.export(metrics);
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

  /** What this exporter wrote and lost (counted in metric data points). */
  public ExportStats stats() {
    return output.stats();
  }

  /** The active file (for a group-by exporter, the file of the group {@code unknown}). */
  public Path file() {
    return output.file(JsonLinesOutput.UNKNOWN_GROUP);
  }

  @Override
  public String toString() {
    return "OtlpJsonFileMetricExporter{" + file() + "}";
  }
}
