package dev.otelretention.internal.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.DefaultAggregationSelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.Objects;

/**
 * SDK exporters whose export goes through an {@link ExportStage}; network sinks build theirs here.
 */
public final class StagedExporters {
  private StagedExporters() {}

  /** A span exporter that queues batches on {@code stage}. */
  public static SpanExporter spanExporter(ExportStage<SpanData> stage) {
    Objects.requireNonNull(stage, "stage");
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        return stage.submit(spans);
      }

      @Override
      public CompletableResultCode flush() {
        return stage.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return stage.shutdown();
      }

      @Override
      public String toString() {
        return "StagedSpanExporter{" + stage.stats().componentName() + "}";
      }
    };
  }

  /**
   * A metric exporter that queues batches on {@code stage}, asking the SDK for {@code temporality}
   * and {@code aggregation}. It asks for immutable data, since batches outlive the export call.
   */
  public static MetricExporter metricExporter(
      ExportStage<MetricData> stage,
      AggregationTemporalitySelector temporality,
      DefaultAggregationSelector aggregation) {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(temporality, "temporality");
    Objects.requireNonNull(aggregation, "aggregation");
    return new MetricExporter() {
      @Override
      public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return temporality.getAggregationTemporality(instrumentType);
      }

      @Override
      public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
        return aggregation.getDefaultAggregation(instrumentType);
      }

      @Override
      public MemoryMode getMemoryMode() {
        return MemoryMode.IMMUTABLE_DATA;
      }

      @Override
      public CompletableResultCode export(Collection<MetricData> metrics) {
        return stage.submit(metrics);
      }

      @Override
      public CompletableResultCode flush() {
        return stage.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return stage.shutdown();
      }

      @Override
      public String toString() {
        return "StagedMetricExporter{" + stage.stats().componentName() + "}";
      }
    };
  }

  /** A log-record exporter that queues batches on {@code stage}. */
  public static LogRecordExporter logRecordExporter(ExportStage<LogRecordData> stage) {
    Objects.requireNonNull(stage, "stage");
    return new LogRecordExporter() {
      @Override
      public CompletableResultCode export(Collection<LogRecordData> logs) {
        return stage.submit(logs);
      }

      @Override
      public CompletableResultCode flush() {
        return stage.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return stage.shutdown();
      }

      @Override
      public String toString() {
        return "StagedLogRecordExporter{" + stage.stats().componentName() + "}";
      }
    };
  }
}
