package dev.otelretention.sink;

import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.config.Profile;
import dev.otelretention.export.ExportDestination;
import dev.otelretention.export.ExportStats;
import dev.otelretention.export.MemoryLimiter;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import dev.otelretention.export.SpoolSettings;
import dev.otelretention.internal.PipelineDefaults;
import dev.otelretention.internal.export.ExportStage;
import dev.otelretention.internal.export.ExportStageBuilder;
import dev.otelretention.internal.export.StagedExporters;
import dev.otelretention.internal.export.TelemetrySizes;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.DefaultAggregationSelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What core hands a {@link TelemetrySink} when it creates exporters: the pipeline settings of the
 * active profile, staged exporters built with them ({@link #spanExporter} and its siblings), and a
 * place to register {@link ExportStats}. Immutable apart from the registered statistics; made by
 * core with {@link #builder()}.
 */
public final class SinkContext {
  private final String sinkName;
  private final Resource resource;
  private final EnvironmentConfig config;
  private final MemoryLimiter memoryLimiter;
  private final RetryPolicy retryPolicy;
  private final Duration requestTimeout;
  private final int sendingQueueSize;
  private final long sendingQueueBytes;
  private final SpoolSettings spool;
  private final Duration shutdownTimeout;
  private final Profile profile;
  private final List<ExportStats> stats = Collections.synchronizedList(new ArrayList<>());

  private SinkContext(Builder builder) {
    this.sinkName = builder.sinkName;
    this.resource = builder.resource;
    this.config = builder.config;
    this.memoryLimiter = builder.memoryLimiter;
    this.retryPolicy = builder.retryPolicy;
    this.requestTimeout = builder.requestTimeout;
    this.sendingQueueSize = builder.sendingQueueSize;
    this.sendingQueueBytes = builder.sendingQueueBytes;
    this.spool = builder.spool;
    this.shutdownTimeout = builder.shutdownTimeout;
    this.profile = builder.profile;
  }

  /**
   * A builder with the default pipeline settings, no memory bound, the default retry policy and no
   * spool.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A context with the default pipeline settings (queue 100 batches / 256 MiB, 5 s timeout, default
   * retry, no memory bound), for exporters used outside {@code TelemetryRetention}, e.g. through
   * autoconfigure.
   */
  public static SinkContext standalone(String sinkName) {
    return builder().sinkName(sinkName).build();
  }

  /**
   * A context for exporters created outside {@code TelemetryRetention} by OpenTelemetry
   * autoconfigure (the Java agent, the Spring Boot starter), from the {@code otel.retention.*}
   * settings: the profile ({@code otel.retention.profile}, default DEVELOPMENT), the request
   * timeout and sending queue, and the durable spool ({@code otel.retention.spool.*}; on by default
   * in PRODUCTION), whose deliveries combine up to the profile's batch size and wait up to its
   * batch timeout. No memory bound: the batch processors are the SDK's.
   *
   * @throws ConfigException if a setting is invalid
   */
  public static SinkContext fromEnvironment(String sinkName, EnvironmentConfig env) {
    Profile profile = env.getEnum("otel.retention.profile", Profile.class, Profile.DEVELOPMENT);
    SpoolSettings.Builder spool = SpoolSettings.fromEnvironment(env, profile.spool());
    if (spool != null) {
      spool.deliveries(profile.maxBatchSize(), profile.batchTimeout());
    }
    return builder()
        .sinkName(sinkName)
        .configure(env)
        .profile(profile)
        .spool(spool == null ? null : spool.build())
        .build();
  }

  /** Unique name of this sink instance. */
  public String sinkName() {
    return sinkName;
  }

  /** The resource all telemetry carries. */
  public Resource resource() {
    return resource;
  }

  /** System properties and environment variables. */
  public EnvironmentConfig config() {
    return config;
  }

  /** The bound on queued telemetry shared by every sink of one {@code TelemetryRetention}. */
  public MemoryLimiter memoryLimiter() {
    return memoryLimiter;
  }

  /**
   * Retry settings for network sinks (defaults: 5 s initial, 30 s max interval, 300 s max elapsed).
   */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** Timeout of one export request for network sinks (default 5 s). */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** Capacity of a network sink's sending queue, in batches (default 100). */
  public int sendingQueueSize() {
    return sendingQueueSize;
  }

  /** Capacity of a network sink's sending queue in estimated bytes (default 256 MiB). */
  public long sendingQueueBytes() {
    return sendingQueueBytes;
  }

  /** How long a sink may take to send what it holds when it is shut down (default 10 s). */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** The profile the pipeline runs with (DEVELOPMENT unless set). */
  public Profile profile() {
    return profile;
  }

  /**
   * The durable spool of this sink's exporter for {@code signal} ({@code <spool
   * directory>/<sink>/<signal>}), or {@code null} when batches wait in memory.
   */
  public SpoolSettings spool(Signal signal) {
    return spool == null ? null : spool.forStage(sinkName, signal.baseName());
  }

  /**
   * A span exporter whose batches wait in this sink's sending queue (or its spool) and reach {@code
   * destination} through the retry policy, with the pipeline settings applied: sending queue
   * (batches and bytes), memory bound, retry policy, request timeout, shutdown timeout and spool.
   * The sink adds what is its own on the returned builder and builds the exporter.
   *
   * @param componentType the exporter kind in its statistics, e.g. {@code clickhouse_span_exporter}
   */
  public StagedExporter<SpanData, SpanExporter> spanExporter(
      String componentType, ExportDestination<SpanData> destination) {
    return new StagedExporter<>(
        stage(Signal.TRACES, componentType, destination).sizeEstimator(TelemetrySizes::span),
        StagedExporters::spanExporter);
  }

  /**
   * A metric exporter whose batches wait in this sink's sending queue, as {@link #spanExporter}
   * describes; it asks the SDK for {@code temporality}.
   */
  public StagedExporter<MetricData, MetricExporter> metricExporter(
      String componentType,
      ExportDestination<MetricData> destination,
      AggregationTemporalitySelector temporality) {
    return metricExporter(
        componentType, destination, temporality, DefaultAggregationSelector.getDefault());
  }

  /**
   * A metric exporter as {@link #metricExporter(String, ExportDestination,
   * AggregationTemporalitySelector)} describes that also asks for {@code aggregation} by default
   * (e.g. exponential histograms).
   */
  public StagedExporter<MetricData, MetricExporter> metricExporter(
      String componentType,
      ExportDestination<MetricData> destination,
      AggregationTemporalitySelector temporality,
      DefaultAggregationSelector aggregation) {
    Objects.requireNonNull(temporality, "temporality");
    Objects.requireNonNull(aggregation, "aggregation");
    return new StagedExporter<>(
        stage(Signal.METRICS, componentType, destination).sizeEstimator(TelemetrySizes::metric),
        stage -> StagedExporters.metricExporter(stage, temporality, aggregation));
  }

  /**
   * A log-record exporter whose batches wait in this sink's sending queue, as {@link #spanExporter}
   * describes.
   */
  public StagedExporter<LogRecordData, LogRecordExporter> logRecordExporter(
      String componentType, ExportDestination<LogRecordData> destination) {
    return new StagedExporter<>(
        stage(Signal.LOGS, componentType, destination).sizeEstimator(TelemetrySizes::log),
        StagedExporters::logRecordExporter);
  }

  private <T> ExportStageBuilder<T> stage(
      Signal signal, String componentType, ExportDestination<T> destination) {
    Objects.requireNonNull(componentType, "componentType");
    Objects.requireNonNull(destination, "destination");
    return ExportStage.builder(destination, stats(signal, componentType))
        .queueSize(sendingQueueSize)
        .maxQueueBytes(sendingQueueBytes)
        .retryPolicy(retryPolicy)
        .requestTimeout(requestTimeout)
        .memoryLimiter(memoryLimiter)
        .spool(spool(signal))
        .shutdownTimeout(shutdownTimeout);
  }

  /**
   * Creates and registers statistics for one exporter of this sink, named {@code <sink>/<signal>}.
   *
   * @param signal the signal the exporter handles
   * @param componentType the exporter kind, e.g. {@code otlp_file_span_exporter}
   */
  public ExportStats stats(Signal signal, String componentType) {
    ExportStats created =
        new ExportStats(sinkName + "/" + signal.baseName(), componentType, signal);
    stats.add(created);
    return created;
  }

  /** All statistics registered so far, in registration order. */
  public List<ExportStats> registeredStats() {
    synchronized (stats) {
      return List.copyOf(stats);
    }
  }

  /**
   * The exporter of one signal a sink is building on its {@link SinkContext}: the pipeline settings
   * are applied; the sink sets what is its own and calls {@link #build()} once.
   *
   * @param <T> the telemetry items of the signal
   * @param <E> the SDK exporter built
   */
  public static final class StagedExporter<T, E> {
    private final ExportStageBuilder<T> stage;
    private final Function<ExportStage<T>, E> wrap;
    private boolean built;

    private StagedExporter(ExportStageBuilder<T> stage, Function<ExportStage<T>, E> wrap) {
      this.stage = stage;
      this.wrap = wrap;
    }

    /** Threads sending batches in parallel, at least 1 (default 1). */
    public StagedExporter<T, E> senders(int senders) {
      stage.consumers(senders);
      return this;
    }

    /**
     * How long one batch may take to reach the destination before it is tried again, positive
     * (default the context's request timeout); longer when one batch takes several requests.
     */
    public StagedExporter<T, E> requestTimeout(Duration requestTimeout) {
      stage.requestTimeout(requestTimeout);
      return this;
    }

    /** Runs once after the exporter has shut down and its last batch was sent or given up. */
    public StagedExporter<T, E> onStopped(Runnable onStopped) {
      stage.onStopped(onStopped);
      return this;
    }

    /**
     * The statistics of this exporter, registered with the context, for a destination that records
     * drops of its own (e.g. points the backend would refuse).
     */
    public ExportStats stats() {
      return stage.stats();
    }

    /**
     * The exporter; its threads start now.
     *
     * @throws IllegalStateException if it was built already
     */
    public E build() {
      if (built) {
        throw new IllegalStateException("this exporter was built already");
      }
      built = true;
      return wrap.apply(stage.build());
    }
  }

  /**
   * Builder of {@link SinkContext}; {@link #build()} may be called again after changes, e.g. once
   * per sink.
   */
  public static final class Builder {
    private String sinkName;
    private Resource resource = Resource.empty();
    private EnvironmentConfig config = EnvironmentConfig.of(Map.of());
    private MemoryLimiter memoryLimiter = MemoryLimiter.unlimited();
    private RetryPolicy retryPolicy = RetryPolicy.getDefault();
    private Duration requestTimeout = PipelineDefaults.REQUEST_TIMEOUT;
    private int sendingQueueSize = PipelineDefaults.SENDING_QUEUE_BATCHES;
    private long sendingQueueBytes = PipelineDefaults.SENDING_QUEUE_BYTES;
    private SpoolSettings spool;
    private Duration shutdownTimeout = PipelineDefaults.SHUTDOWN_TIMEOUT;
    private Profile profile = Profile.DEVELOPMENT;

    private Builder() {}

    /**
     * The profile the pipeline runs with (default DEVELOPMENT), for sinks whose own defaults depend
     * on it.
     */
    public Builder profile(Profile profile) {
      this.profile = Objects.requireNonNull(profile, "profile");
      return this;
    }

    /** Unique name of the sink instance, e.g. {@code file} or {@code clickhouse#2} (required). */
    public Builder sinkName(String sinkName) {
      this.sinkName = Objects.requireNonNull(sinkName, "sinkName");
      return this;
    }

    /** The resource all telemetry carries (default empty). */
    public Builder resource(Resource resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /**
     * Takes {@code env} as the sink's configuration, and from it the request timeout ({@code
     * otel.retention.request.timeout}) and the sending queue ({@code
     * otel.retention.sending.queue.size}, {@code otel.retention.sending.queue.bytes}), each with
     * its default when unset.
     *
     * @throws ConfigException if one of those settings is invalid
     */
    public Builder configure(EnvironmentConfig env) {
      this.config = Objects.requireNonNull(env, "env");
      requestTimeout(PipelineDefaults.REQUEST_TIMEOUT);
      sendingQueueSize(PipelineDefaults.SENDING_QUEUE_BATCHES);
      sendingQueueBytes(PipelineDefaults.SENDING_QUEUE_BYTES);
      env.apply(
          "otel.retention.request.timeout", EnvironmentConfig::parseDuration, this::requestTimeout);
      env.apply(
          "otel.retention.sending.queue.size", EnvironmentConfig::parseInt, this::sendingQueueSize);
      env.apply(
          "otel.retention.sending.queue.bytes",
          EnvironmentConfig::parseSize,
          this::sendingQueueBytes);
      return this;
    }

    /** The bound on queued telemetry shared by every sink (default unlimited). */
    public Builder memoryLimiter(MemoryLimiter memoryLimiter) {
      this.memoryLimiter = Objects.requireNonNull(memoryLimiter, "memoryLimiter");
      return this;
    }

    /** Retry settings for network sinks (default {@link RetryPolicy#getDefault()}). */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /** Timeout of one export request, positive (default 5 s). */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive(requestTimeout, "the request timeout");
      return this;
    }

    /** Capacity of a network sink's sending queue in batches, at least 1 (default 100). */
    public Builder sendingQueueSize(int sendingQueueSize) {
      if (sendingQueueSize < 1) {
        throw new ConfigException(
            "the sending queue must hold at least 1 batch, got " + sendingQueueSize);
      }
      this.sendingQueueSize = sendingQueueSize;
      return this;
    }

    /**
     * Capacity of a network sink's sending queue in estimated bytes, positive (default 256 MiB).
     */
    public Builder sendingQueueBytes(long sendingQueueBytes) {
      if (sendingQueueBytes < 1) {
        throw new ConfigException(
            "otel.retention.sending.queue.bytes must be positive, got " + sendingQueueBytes);
      }
      this.sendingQueueBytes = sendingQueueBytes;
      return this;
    }

    /** The durable spool, or {@code null} for in-memory sending queues (default). */
    public Builder spool(SpoolSettings spool) {
      this.spool = spool;
      return this;
    }

    /** How long a sink may take to send what it holds at shutdown, positive (default 10 s). */
    public Builder shutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = positive(shutdownTimeout, "the shutdown timeout");
      return this;
    }

    /**
     * A context with the current settings.
     *
     * @throws IllegalStateException if no sink name is set
     */
    public SinkContext build() {
      if (sinkName == null) {
        throw new IllegalStateException("a SinkContext needs a sink name");
      }
      return new SinkContext(this);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new ConfigException(
            name + " must be positive, got " + EnvironmentConfig.format(value));
      }
      return value;
    }
  }
}
