package dev.otelretention.exporter.datadog;

import dev.otelretention.export.ExportException;
import dev.otelretention.export.ExportStats;
import dev.otelretention.export.SpoolableDestination;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Datadog sink: traces to the Agent, metrics and logs to the intake, each behind the core
 * export stage. A batch that needs several requests remembers how many went through, so a retry
 * never sends one twice. Create it with {@link DatadogExporters.Builder#buildSink()}.
 */
final class DatadogSink implements TelemetrySink {
  static final String TRACER_VERSION = "otel-retention-0.1.0";

  /**
   * Request timeouts one batch may take: a batch larger than an intake's payload limit goes out as
   * several requests, one after the other.
   */
  private static final int REQUESTS_PER_BATCH = 3;

  /**
   * The code of a metrics request body in the count field of a payload, which the spool keeps:
   * series JSON. Persisted; never renumber.
   */
  static final int SERIES_BODY = 0;

  /** The code of a sketches protobuf body. Persisted; never renumber. */
  static final int SKETCHES_BODY = 1;

  private final DatadogSettings settings;

  /** The OTLP intake's exporters when no Agent is configured, else {@code null}. */
  private final DatadogOtlpIntake otlpIntake;

  DatadogSink(DatadogExporters.Builder builder) {
    this.settings = builder.settings();
    this.otlpIntake = settings.agentless() ? new DatadogOtlpIntake(settings) : null;
  }

  @Override
  public String name() {
    return "datadog";
  }

  @Override
  public String description() {
    if (otlpIntake != null) {
      String traces = settings.otlpTracesUrl().getAuthority();
      String others = settings.otlpMetricsUrl().getAuthority();
      return "Datadog (site "
          + settings.site()
          + ", every signal to Datadog's OTLP intake at "
          + (traces.equals(others) ? traces : traces + " and " + others)
          + ", no Agent configured)";
    }
    return "Datadog (site "
        + settings.site()
        + ", traces via the Agent at "
        + settings.agentUrl()
        + ", metrics to "
        + settings.metricsUrl().getAuthority()
        + ", logs to "
        + settings.logsUrl().getAuthority()
        + ")";
  }

  /**
   * Sends the requests of a batch in order, skipping those a previous attempt of the same batch (or
   * spool record) delivered. For the spool, a batch is encoded as its request bodies (with the one
   * header value that varies, the trace count); the API key and the fixed headers are added when
   * sending, so no secret reaches the disk.
   */
  private abstract static class ChunkedDestination<T> implements SpoolableDestination<T> {
    private final Map<List<T>, Integer> sent = Collections.synchronizedMap(new IdentityHashMap<>());
    private final Map<String, Integer> sentRecords = Collections.synchronizedMap(new HashMap<>());

    /**
     * The request bodies of {@code batch}; {@code firstLook} is true the first time the batch is
     * encoded, when what it leaves out is counted.
     */
    abstract List<Payload> payloads(List<T> batch, boolean firstLook);

    abstract void send(Payload payload) throws Exception;

    @Override
    public void send(List<T> batch) throws Exception {
      boolean firstLook = sent.putIfAbsent(batch, 0) == null;
      List<Payload> payloads = payloads(batch, firstLook);
      int done = sent.get(batch);
      for (int i = done; i < payloads.size(); i++) {
        send(payloads.get(i));
        sent.put(batch, i + 1);
      }
    }

    @Override
    public void finished(List<T> batch) {
      sent.remove(batch);
    }

    @Override
    public byte[] encode(List<T> batch) throws ExportException {
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        List<Payload> payloads = payloads(batch, !sent.containsKey(batch));
        out.writeInt(payloads.size());
        for (Payload payload : payloads) {
          out.writeInt(payload.count());
          out.writeInt(payload.length());
          out.write(payload.bytes(), payload.offset(), payload.length());
        }
        out.flush();
        return bytes.toByteArray();
      } catch (IOException | RuntimeException e) {
        throw ExportException.permanent("encode_error", "cannot encode the batch: " + e, e);
      }
    }

    @Override
    public void sendEncoded(byte[] record, String token) throws Exception {
      List<Payload> payloads = new ArrayList<>();
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
          int items = in.readInt();
          byte[] body = new byte[in.readInt()];
          in.readFully(body);
          payloads.add(new Payload(body, items));
        }
      } catch (IOException | NegativeArraySizeException e) {
        throw ExportException.permanent("spool_format", "a spool record cannot be read: " + e, e);
      }
      int done = sentRecords.getOrDefault(token, 0);
      for (int i = done; i < payloads.size(); i++) {
        send(payloads.get(i));
        sentRecords.put(token, i + 1);
      }
    }

    @Override
    public void finishedEncoded(String token) {
      sentRecords.remove(token);
    }
  }

  /** The body of one request, and for traces the number of traces in it. */
  /**
   * One request body, {@code length} bytes of {@code bytes} from {@code offset}, and the count that
   * goes in its header.
   */
  private record Payload(byte[] bytes, int offset, int length, int count) {
    Payload(byte[] body, int count) {
      this(body, 0, body.length, count);
    }
  }

  private static <T, E> E staged(SinkContext context, SinkContext.StagedExporter<T, E> exporter) {
    return exporter
        .requestTimeout(context.requestTimeout().multipliedBy(REQUESTS_PER_BATCH))
        .build();
  }

  @Override
  public SpanExporter createSpanExporter(SinkContext context) {
    if (otlpIntake != null) {
      return otlpIntake.spanExporter(context);
    }
    DatadogHttp http = new DatadogHttp(context.requestTimeout(), settings.agentProxy());
    TraceEncoder encoder = new TraceEncoder(settings);
    IgnoredResources ignored = new IgnoredResources(settings);
    URI agent = settings.agentUrl();
    URI uri =
        "unix".equals(agent.getScheme())
            ? URI.create("unix://" + agent.getPath() + "?/v0.4/traces")
            : agent.resolve("/v0.4/traces");
    ChunkedDestination<SpanData> destination =
        new ChunkedDestination<>() {
          @Override
          List<Payload> payloads(List<SpanData> batch, boolean firstLook) {
            List<TraceEncoder.Payload> encoded = encoder.encode(batch);
            List<Payload> payloads = new ArrayList<>(encoded.size());
            for (TraceEncoder.Payload payload : encoded) {
              payloads.add(
                  new Payload(
                      payload.bytes(), payload.offset(), payload.length(), payload.traces()));
            }
            return payloads;
          }

          @Override
          void send(Payload payload) throws Exception {
            try {
              http.send(
                  "PUT",
                  uri,
                  Map.of(
                      "Content-Type",
                      "application/msgpack",
                      "X-Datadog-Trace-Count",
                      Integer.toString(payload.count()),
                      "Datadog-Meta-Lang",
                      "java",
                      "Datadog-Meta-Lang-Version",
                      System.getProperty("java.version"),
                      "Datadog-Meta-Tracer-Version",
                      TRACER_VERSION),
                  payload.bytes(),
                  payload.offset(),
                  payload.length(),
                  false);
            } catch (Exception e) {
              // the client may still be reading the body: the next batch goes to a new buffer
              encoder.abandonBuffer();
              throw e;
            }
          }
        };
    SinkContext.StagedExporter<SpanData, SpanExporter> exporter =
        context.spanExporter("datadog_span_exporter", destination);
    ExportStats stats = exporter.stats();
    SpanExporter staged = staged(context, exporter);
    // ignored traces are left out before the stage: never queued, spooled or counted as exported
    return ignored.isEmpty() ? staged : ignored.filtering(staged, stats);
  }

  @Override
  public MetricExporter createMetricExporter(SinkContext context) {
    if (otlpIntake != null) {
      return otlpIntake.metricExporter(context);
    }
    DatadogHttp http = new DatadogHttp(context.requestTimeout(), settings.metricsProxy());
    SeriesEncoder encoder = new SeriesEncoder(settings);
    URI uri = settings.metricsUrl().resolve("/api/v2/series");
    URI sketchUri = settings.metricsUrl().resolve("/api/beta/sketches");
    ExportStats[] stats = new ExportStats[1];
    ChunkedDestination<MetricData> destination =
        new ChunkedDestination<>() {
          @Override
          List<Payload> payloads(List<MetricData> batch, boolean firstLook) {
            SeriesEncoder.Result result =
                encoder.encode(batch, System.currentTimeMillis() * 1_000_000L);
            if (firstLook) {
              stats[0].recordDropped(result.pointsOutOfWindow(), "out_of_window");
              stats[0].recordDropped(
                  result.nonFinite(), "non_finite", "NaN or infinite values Datadog cannot store");
            }
            List<Payload> payloads = new ArrayList<>();
            result.chunks().forEach(chunk -> payloads.add(new Payload(chunk.body(), SERIES_BODY)));
            result.sketchPayloads().forEach(body -> payloads.add(new Payload(body, SKETCHES_BODY)));
            return payloads;
          }

          @Override
          void send(Payload payload) throws Exception {
            boolean sketches = payload.count() == SKETCHES_BODY;
            http.send(
                "POST",
                sketches ? sketchUri : uri,
                Map.of(
                    "Content-Type",
                    sketches ? "application/x-protobuf" : "application/json",
                    "DD-API-KEY",
                    settings.apiKey()),
                payload.bytes(),
                payload.offset(),
                payload.length(),
                // sketches go uncompressed, as the Datadog exporter sends them
                !sketches);
          }
        };
    SinkContext.StagedExporter<MetricData, MetricExporter> exporter =
        context.metricExporter(
            "datadog_metric_exporter",
            destination,
            AggregationTemporalitySelector.deltaPreferred());
    stats[0] = exporter.stats();
    return staged(context, exporter);
  }

  @Override
  public LogRecordExporter createLogRecordExporter(SinkContext context) {
    if (otlpIntake != null) {
      return otlpIntake.logRecordExporter(context);
    }
    DatadogHttp http = new DatadogHttp(context.requestTimeout(), settings.logsProxy());
    LogEncoder encoder = new LogEncoder(settings);
    URI uri = settings.logsUrl().resolve("/api/v2/logs");
    ChunkedDestination<LogRecordData> destination =
        new ChunkedDestination<>() {
          @Override
          List<Payload> payloads(List<LogRecordData> batch, boolean firstLook) {
            return encoder.encode(batch).chunks().stream()
                .map(chunk -> new Payload(chunk.body(), 0))
                .toList();
          }

          @Override
          void send(Payload payload) throws Exception {
            http.send(
                "POST",
                uri,
                Map.of("Content-Type", "application/json", "DD-API-KEY", settings.apiKey()),
                payload.bytes(),
                payload.offset(),
                payload.length(),
                true);
          }
        };
    return staged(context, context.logRecordExporter("datadog_log_exporter", destination));
  }

  @Override
  public String toString() {
    return "DatadogSink{" + description() + "}";
  }
}
