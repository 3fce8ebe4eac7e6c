package dev.otelretention.exporter.datadog;

import dev.otelretention.export.ExportDestination;
import dev.otelretention.export.ExportStage;
import dev.otelretention.export.StagedExporters;
import dev.otelretention.export.TelemetrySizes;
import dev.otelretention.sink.ExportStats;
import dev.otelretention.sink.Signal;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The Datadog sink: traces to the Agent, metrics and logs to the intake, each behind the core export stage.
 * A batch that needs several requests remembers how many went through, so a retry never sends one twice.
 * Create it with {@link DatadogExporters.Builder#buildSink()}.
 */
public final class DatadogSink implements TelemetrySink {
  static final String TRACER_VERSION = "otel-retention-0.1.0";

  private final DatadogSettings settings;

  DatadogSink(DatadogExporters.Builder builder) {
    this.settings = builder.settings();
  }

  @Override
  public String name() {
    return "datadog";
  }

  @Override
  public String description() {
    return "Datadog (site " + settings.site() + ", traces via the Agent at " + settings.agentUrl() + ")";
  }

  /** Sends the requests of a batch in order, skipping those a previous attempt of the same batch delivered. */
  private abstract static class ChunkedDestination<T> implements ExportDestination<T> {
    private final Map<List<T>, Integer> sent = Collections.synchronizedMap(new IdentityHashMap<>());

    abstract List<Request> requests(List<T> batch);

    @Override
    public void send(List<T> batch) throws Exception {
      List<Request> requests = requests(batch);
      int done = sent.getOrDefault(batch, 0);
      for (int i = done; i < requests.size(); i++) {
        requests.get(i).send();
        sent.put(batch, i + 1);
      }
    }

    @Override
    public void finished(List<T> batch) {
      sent.remove(batch);
    }
  }

  /** One HTTP request to make. */
  @FunctionalInterface
  private interface Request {
    void send() throws Exception;
  }

  private <T> ExportStage<T> stage(
      SinkContext context, Signal signal, ExportDestination<T> destination, ToLongFunction<T> size) {
    ExportStats stats = context.stats(signal, "datadog_" + signal.itemName() + "_exporter");
    return ExportStage.builder(destination, stats)
        .queueSize(context.sendingQueueSize())
        .maxQueueBytes(context.sendingQueueBytes())
        .retryPolicy(context.retryPolicy())
        .requestTimeout(context.requestTimeout().multipliedBy(3))
        .memoryLimiter(context.memoryLimiter())
        .sizeEstimator(size)
        .build();
  }

  @Override
  public SpanExporter createSpanExporter(SinkContext context) {
    DatadogHttp http = new DatadogHttp(context.requestTimeout());
    TraceEncoder encoder = new TraceEncoder(settings);
    URI agent = settings.agentUrl();
    URI uri = "unix".equals(agent.getScheme())
        ? URI.create("unix://" + agent.getPath() + "?/v0.4/traces")
        : agent.resolve("/v0.4/traces");
    ChunkedDestination<SpanData> destination = new ChunkedDestination<>() {
      @Override
      List<Request> requests(List<SpanData> batch) {
        return encoder.encode(batch).stream().<Request>map(payload -> () -> http.send("PUT", uri, Map.of(
            "Content-Type", "application/msgpack",
            "X-Datadog-Trace-Count", Integer.toString(payload.traces()),
            "Datadog-Meta-Lang", "java",
            "Datadog-Meta-Lang-Version", System.getProperty("java.version"),
            "Datadog-Meta-Tracer-Version", TRACER_VERSION), payload.body(), false)).toList();
      }
    };
    return StagedExporters.spanExporter(stage(context, Signal.TRACES, destination, TelemetrySizes::span));
  }

  @Override
  public MetricExporter createMetricExporter(SinkContext context) {
    DatadogHttp http = new DatadogHttp(context.requestTimeout());
    SeriesEncoder encoder = new SeriesEncoder(settings);
    URI uri = settings.metricsUrl().resolve("/api/v2/series");
    ExportStats[] stats = new ExportStats[1];
    ChunkedDestination<MetricData> destination = new ChunkedDestination<>() {
      @Override
      List<Request> requests(List<MetricData> batch) {
        SeriesEncoder.Result result = encoder.encode(batch, System.currentTimeMillis() * 1_000_000L);
        if (result.pointsOutOfWindow() > 0 && stats[0] != null) {
          stats[0].recordDropped(result.pointsOutOfWindow(), "out_of_window");
        }
        return result.chunks().stream().<Request>map(chunk -> () -> http.send("POST", uri, Map.of(
            "Content-Type", "application/json", "DD-API-KEY", settings.apiKey()), chunk.body(), true)).toList();
      }
    };
    ExportStage<MetricData> stage = stage(context, Signal.METRICS, destination, TelemetrySizes::metric);
    stats[0] = stage.stats();
    return StagedExporters.metricExporter(stage, AggregationTemporalitySelector.deltaPreferred());
  }

  @Override
  public LogRecordExporter createLogRecordExporter(SinkContext context) {
    DatadogHttp http = new DatadogHttp(context.requestTimeout());
    LogEncoder encoder = new LogEncoder(settings);
    URI uri = settings.logsUrl().resolve("/api/v2/logs");
    ChunkedDestination<LogRecordData> destination = new ChunkedDestination<>() {
      @Override
      List<Request> requests(List<LogRecordData> batch) {
        return encoder.encode(batch).chunks().stream().<Request>map(chunk -> () -> http.send("POST", uri, Map.of(
            "Content-Type", "application/json", "DD-API-KEY", settings.apiKey()), chunk.body(), true)).toList();
      }
    };
    return StagedExporters.logRecordExporter(stage(context, Signal.LOGS, destination, TelemetrySizes::log));
  }

  @Override
  public String toString() {
    return "DatadogSink{" + description() + "}";
  }
}
