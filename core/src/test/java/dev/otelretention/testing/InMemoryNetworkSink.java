package dev.otelretention.testing;

import dev.otelretention.export.ExportException;
import dev.otelretention.export.ExportStats;
import dev.otelretention.export.Signal;
import dev.otelretention.internal.export.ExportStage;
import dev.otelretention.internal.export.StagedExporters;
import dev.otelretention.internal.export.TelemetrySizes;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.DefaultAggregationSelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/** A sink that sends through {@link ExportStage} to lists, failing the first sends as told. */
public class InMemoryNetworkSink implements TelemetrySink {
  public final List<SpanData> spans = Collections.synchronizedList(new ArrayList<>());
  public final List<MetricData> metrics = Collections.synchronizedList(new ArrayList<>());
  public final List<LogRecordData> logs = Collections.synchronizedList(new ArrayList<>());
  public final AtomicInteger failuresLeft = new AtomicInteger();
  public volatile long sendDelayMillis;

  /** Whether delivered items are kept in the lists (a load test only counts them). */
  public volatile boolean keep = true;

  public final AtomicLong delivered = new AtomicLong();
  public volatile SinkContext context;

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public String description() {
    return "in-memory lists";
  }

  private <T> ExportStage<T> stage(
      SinkContext context, Signal signal, List<T> target, ToLongFunction<T> size) {
    this.context = context;
    ExportStats stats = context.stats(signal, "memory_" + signal.itemName() + "_exporter");
    return ExportStage.<T>builder(
            batch -> {
              if (sendDelayMillis > 0) {
                Thread.sleep(sendDelayMillis);
              }
              if (failuresLeft.getAndDecrement() > 0) {
                throw ExportException.retryable("503", "busy", null);
              }
              delivered.addAndGet(batch.size());
              if (keep) {
                target.addAll(batch);
              }
            },
            stats)
        .queueSize(context.sendingQueueSize())
        .maxQueueBytes(context.sendingQueueBytes())
        .retryPolicy(context.retryPolicy())
        .requestTimeout(context.requestTimeout())
        .memoryLimiter(context.memoryLimiter())
        .sizeEstimator(size)
        .shutdownTimeout(Duration.ofSeconds(2))
        .build();
  }

  @Override
  public SpanExporter createSpanExporter(SinkContext context) {
    return StagedExporters.spanExporter(stage(context, Signal.TRACES, spans, TelemetrySizes::span));
  }

  @Override
  public MetricExporter createMetricExporter(SinkContext context) {
    return StagedExporters.metricExporter(
        stage(context, Signal.METRICS, metrics, TelemetrySizes::metric),
        AggregationTemporalitySelector.deltaPreferred(),
        DefaultAggregationSelector.getDefault());
  }

  @Override
  public LogRecordExporter createLogRecordExporter(SinkContext context) {
    return StagedExporters.logRecordExporter(
        stage(context, Signal.LOGS, logs, TelemetrySizes::log));
  }
}
