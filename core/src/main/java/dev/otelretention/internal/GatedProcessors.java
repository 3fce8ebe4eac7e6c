package dev.otelretention.internal;

import dev.otelretention.internal.export.TelemetrySizes;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * Processors that put a {@link QueueGate} in front of the SDK's batch processors, and exporters
 * that let items out of the gate when the batch processor hands them on.
 */
public final class GatedProcessors {
  private GatedProcessors() {}

  /** Flushes {@code batch}, then asks the exporter to write out what it buffered. */
  public static CompletableResultCode flushBoth(
      CompletableResultCode batchFlush, Supplier<CompletableResultCode> exporterFlush) {
    CompletableResultCode result = new CompletableResultCode();
    batchFlush.whenComplete(
        () -> {
          CompletableResultCode second = exporterFlush.get();
          second.whenComplete(
              () -> {
                if (batchFlush.isSuccess() && second.isSuccess()) {
                  result.succeed();
                } else {
                  result.fail();
                }
              });
        });
    return result;
  }

  public static SpanProcessor spans(SpanProcessor batch, QueueGate gate, SpanExporter exporter) {
    return new SpanProcessor() {
      @Override
      public void onStart(Context parentContext, ReadWriteSpan span) {
        batch.onStart(parentContext, span);
      }

      @Override
      public boolean isStartRequired() {
        return batch.isStartRequired();
      }

      @Override
      public void onEnd(ReadableSpan span) {
        if (span.getSpanContext().isSampled()
            && gate.tryEnter(TelemetrySizes.queuedSpan(span.getName()))) {
          batch.onEnd(span);
        }
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }

      @Override
      public CompletableResultCode forceFlush() {
        return flushBoth(batch.forceFlush(), exporter::flush);
      }

      @Override
      public CompletableResultCode shutdown() {
        return batch.shutdown();
      }
    };
  }

  public static SpanExporter releasing(SpanExporter exporter, QueueGate gate) {
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        for (SpanData span : spans) {
          gate.leave(TelemetrySizes.queuedSpan(span.getName()));
        }
        return exporter.export(spans);
      }

      @Override
      public CompletableResultCode flush() {
        return exporter.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return exporter.shutdown();
      }
    };
  }

  /**
   * Loggers and threads of the pipeline itself, whose log events must not re-enter it (a feedback
   * loop).
   */
  private static final String[] OWN_LOGGERS = {
    "dev.otelretention.", "io.opentelemetry.", "com.clickhouse.", "org.apache.hc.", "org.msgpack."
  };

  private static final String[] OWN_THREADS = {
    "otel-retention-", "BatchSpanProcessor", "BatchLogRecordProcessor", "PeriodicMetricReader"
  };

  /**
   * Whether a log event comes from the library, the SDK or an exporter's client (by logger name, or
   * by the thread it was logged on): an application that routes {@code java.util.logging} or its
   * clients' logs into its logging framework would otherwise feed export failures back into the
   * export.
   */
  public static boolean isOwnLog(String loggerName) {
    if (loggerName.startsWith("dev.otelretention.examples")) {
      return false;
    }
    for (String prefix : OWN_LOGGERS) {
      if (loggerName.startsWith(prefix)) {
        return true;
      }
    }
    String thread = Thread.currentThread().getName();
    for (String prefix : OWN_THREADS) {
      if (thread.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  public static LogRecordProcessor logs(
      LogRecordProcessor batch, QueueGate gate, LogRecordExporter exporter) {
    return new LogRecordProcessor() {
      @Override
      public void onEmit(Context context, ReadWriteLogRecord logRecord) {
        if (isOwnLog(logRecord.getInstrumentationScopeInfo().getName())) {
          return;
        }
        if (gate.tryEnter(
            TelemetrySizes.log(logRecord.getBodyValue(), logRecord.getAttributes()))) {
          batch.onEmit(context, logRecord);
        }
      }

      @Override
      public CompletableResultCode forceFlush() {
        return flushBoth(batch.forceFlush(), exporter::flush);
      }

      @Override
      public CompletableResultCode shutdown() {
        return batch.shutdown();
      }
    };
  }

  public static LogRecordExporter releasing(LogRecordExporter exporter, QueueGate gate) {
    return new LogRecordExporter() {
      @Override
      public CompletableResultCode export(Collection<LogRecordData> logs) {
        for (LogRecordData log : logs) {
          gate.leave(TelemetrySizes.log(log));
        }
        return exporter.export(logs);
      }

      @Override
      public CompletableResultCode flush() {
        return exporter.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return exporter.shutdown();
      }
    };
  }
}
