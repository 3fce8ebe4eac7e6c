package dev.otelretention.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Orders the shutdown of an SDK built by OpenTelemetry autoconfigure (the Java agent, the Spring
 * Boot starter): {@code OpenTelemetrySdk.shutdown()} stops the tracer, meter and logger providers
 * at once, so the last metric collection could run before the last spans and log records are
 * exported, and the exporters' {@code otel.sdk.exporter.*} counts would miss them. Each span and
 * log-record exporter of the run reports when its shutdown has ended; each metric reader's shutdown
 * (its final collection and export) waits for those, on a thread of its own so that the providers
 * still shutting down are not held up, and then closes the library's self-monitoring of the run.
 * Not API.
 */
public final class AutoConfiguredShutdown {
  private static final Duration WAIT = PipelineDefaults.SHUTDOWN_TIMEOUT;

  private final List<CompletableResultCode> exportersStopped = new ArrayList<>();
  private final List<AutoCloseable> afterLastCollection = new ArrayList<>();

  /** Metric readers of the run whose shutdown has not ended yet. */
  private int openReaders;

  /** Something to close once every metric reader of the run has shut down. */
  public synchronized void closeAfterLastCollection(AutoCloseable closeable) {
    afterLastCollection.add(closeable);
  }

  private synchronized CompletableResultCode track() {
    CompletableResultCode stopped = new CompletableResultCode();
    exportersStopped.add(stopped);
    return stopped;
  }

  private synchronized List<CompletableResultCode> exportersStopped() {
    return List.copyOf(exportersStopped);
  }

  /** {@code exporter}, reporting to this run when its shutdown has ended. */
  public SpanExporter spans(SpanExporter exporter) {
    CompletableResultCode stopped = track();
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        return exporter.export(spans);
      }

      @Override
      public CompletableResultCode flush() {
        return exporter.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return passOn(exporter.shutdown(), stopped);
      }

      @Override
      public String toString() {
        return exporter.toString();
      }
    };
  }

  /** {@code exporter}, reporting to this run when its shutdown has ended. */
  public LogRecordExporter logs(LogRecordExporter exporter) {
    CompletableResultCode stopped = track();
    return new LogRecordExporter() {
      @Override
      public CompletableResultCode export(Collection<LogRecordData> logs) {
        return exporter.export(logs);
      }

      @Override
      public CompletableResultCode flush() {
        return exporter.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return passOn(exporter.shutdown(), stopped);
      }

      @Override
      public String toString() {
        return exporter.toString();
      }
    };
  }

  private static CompletableResultCode passOn(
      CompletableResultCode result, CompletableResultCode stopped) {
    result.whenComplete(stopped::succeed);
    return result;
  }

  /** {@code reader}, whose shutdown follows the span and log-record exporters' of this run. */
  public MetricReader metrics(MetricReader reader) {
    synchronized (this) {
      openReaders++;
    }
    return new OrderedReader(reader);
  }

  /** Closes what waits for the last collection once the last reader of the run has shut down. */
  private void readerShutDown() {
    List<AutoCloseable> closeables;
    synchronized (this) {
      if (--openReaders > 0) {
        return;
      }
      closeables = List.copyOf(afterLastCollection);
      afterLastCollection.clear();
    }
    for (AutoCloseable closeable : closeables) {
      try {
        closeable.close();
      } catch (Exception e) {
        java.util.logging.Logger.getLogger(AutoConfiguredShutdown.class.getName())
            .log(java.util.logging.Level.FINE, "closing after the last collection failed", e);
      }
    }
  }

  private final class OrderedReader implements MetricReader {
    private final MetricReader reader;
    private CompletableResultCode shutdownResult;

    OrderedReader(MetricReader reader) {
      this.reader = reader;
    }

    @Override
    public void register(CollectionRegistration registration) {
      reader.register(registration);
    }

    @Override
    public CompletableResultCode forceFlush() {
      return reader.forceFlush();
    }

    @Override
    public synchronized CompletableResultCode shutdown() {
      if (shutdownResult != null) {
        return shutdownResult;
      }
      CompletableResultCode result = new CompletableResultCode();
      shutdownResult = result;
      Thread thread =
          new Thread(
              () -> {
                CompletableResultCode.ofAll(exportersStopped())
                    .join(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                CompletableResultCode own = reader.shutdown();
                own.join(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                readerShutDown();
                if (own.isSuccess()) {
                  result.succeed();
                } else {
                  result.fail();
                }
              },
              "otel-retention-metrics-shutdown");
      thread.setDaemon(true);
      thread.start();
      return result;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return reader.getAggregationTemporality(instrumentType);
    }

    @Override
    public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
      return reader.getDefaultAggregation(instrumentType);
    }

    @Override
    public MemoryMode getMemoryMode() {
      return reader.getMemoryMode();
    }

    @Override
    public void close() {
      shutdown().join(2 * WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String toString() {
      return reader.toString();
    }
  }
}
