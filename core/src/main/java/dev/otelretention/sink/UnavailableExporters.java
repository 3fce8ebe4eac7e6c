package dev.otelretention.sink;

import dev.otelretention.export.ExportException;
import dev.otelretention.export.ExportStats;
import dev.otelretention.export.Signal;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.logging.Logger;

/**
 * Exporters that stand in for one that could not be created (bad configuration): autoconfigure, and
 * with it the Java agent, starts and instruments the application; the stand-in logs the reason once
 * at start and then drops what it is given, counted as {@code config_error} and logged once a
 * minute with the counts.
 */
final class UnavailableExporters {
  private static final Logger logger = Logger.getLogger(UnavailableExporters.class.getName());

  private UnavailableExporters() {}

  private static ExportStats stats(String name, Signal signal, Throwable cause) {
    ExportStats stats =
        new ExportStats(name + "/" + signal.baseName(), "unavailable_exporter", signal);
    logger.severe(
        "otel-retention: the "
            + name
            + " exporter for "
            + signal.baseName()
            + " cannot start: "
            + ExportException.describe(cause)
            + "; the application runs on, and its "
            + signal.baseName()
            + " are dropped and counted until the configuration is fixed");
    return stats;
  }

  private static CompletableResultCode drop(ExportStats stats, Throwable cause, int items) {
    stats.recordDropped(items, "config_error", ExportException.describe(cause));
    return CompletableResultCode.ofFailure();
  }

  static SpanExporter spans(String name, Throwable cause) {
    ExportStats stats = stats(name, Signal.TRACES, cause);
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        return drop(stats, cause, spans.size());
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        stats.problems().close();
        return CompletableResultCode.ofSuccess();
      }
    };
  }

  static MetricExporter metrics(String name, Throwable cause) {
    ExportStats stats = stats(name, Signal.METRICS, cause);
    return new MetricExporter() {
      @Override
      public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
      }

      @Override
      public CompletableResultCode export(Collection<MetricData> metrics) {
        return drop(stats, cause, metrics.size());
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        stats.problems().close();
        return CompletableResultCode.ofSuccess();
      }
    };
  }

  static LogRecordExporter logs(String name, Throwable cause) {
    ExportStats stats = stats(name, Signal.LOGS, cause);
    return new LogRecordExporter() {
      @Override
      public CompletableResultCode export(Collection<LogRecordData> logs) {
        return drop(stats, cause, logs.size());
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        stats.problems().close();
        return CompletableResultCode.ofSuccess();
      }
    };
  }
}
