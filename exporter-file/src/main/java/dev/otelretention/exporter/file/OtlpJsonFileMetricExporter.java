package dev.otelretention.exporter.file;

import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;

/**
 * Writes metrics to rotating files, one OTLP/JSON {@code ExportMetricsServiceRequest} per line.
 * Built by {@link RotatingFileExporters}. It encodes synchronously, so it lets the SDK reuse metric
 * data ({@link MemoryMode#REUSABLE_DATA}). {@code export} never throws; failures are counted in
 * {@link #stats()} (in data points).
 */
final class OtlpJsonFileMetricExporter extends FileExporterBase<MetricData>
    implements MetricExporter {
  private final AggregationTemporalitySelector temporality;

  OtlpJsonFileMetricExporter(
      JsonLinesOutput<MetricData> output, AggregationTemporalitySelector temporality) {
    super(output);
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
}
