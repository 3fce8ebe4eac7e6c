package dev.otelretention.sink;

import dev.otelretention.export.MemoryLimiter;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.SpoolSettings;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What core hands a {@link TelemetrySink} when it creates exporters: the pipeline settings of the active
 * profile and a place to register {@link ExportStats}. Instances are created by core.
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
  private final List<ExportStats> stats = Collections.synchronizedList(new ArrayList<>());

  /**
   * Creates a context with in-memory sending queues and a 10 s shutdown timeout. Called by core; sink
   * implementations receive it.
   *
   * @param sinkName unique name of the sink instance, e.g. {@code file} or {@code clickhouse#2}
   * @param resource the resource all telemetry carries
   * @param config system properties and environment variables
   * @param memoryLimiter the shared bound on queued telemetry
   * @param retryPolicy retry settings for network sinks
   * @param requestTimeout timeout of one export request for network sinks
   * @param sendingQueueSize capacity of a network sink's sending queue, in batches
   * @param sendingQueueBytes capacity of a network sink's sending queue, in estimated bytes
   */
  public SinkContext(
      String sinkName,
      Resource resource,
      EnvironmentConfig config,
      MemoryLimiter memoryLimiter,
      RetryPolicy retryPolicy,
      Duration requestTimeout,
      int sendingQueueSize,
      long sendingQueueBytes) {
    this(sinkName, resource, config, memoryLimiter, retryPolicy, requestTimeout, sendingQueueSize, sendingQueueBytes, null,
        Duration.ofSeconds(10));
  }

  /**
   * Creates a context with every setting. Called by core.
   *
   * @param spool the spool settings, or {@code null} for in-memory sending queues
   * @param shutdownTimeout how long a sink may take to send what it holds at shutdown
   */
  public SinkContext(
      String sinkName,
      Resource resource,
      EnvironmentConfig config,
      MemoryLimiter memoryLimiter,
      RetryPolicy retryPolicy,
      Duration requestTimeout,
      int sendingQueueSize,
      long sendingQueueBytes,
      SpoolSettings spool,
      Duration shutdownTimeout) {
    this.spool = spool;
    this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    this.sinkName = Objects.requireNonNull(sinkName, "sinkName");
    this.resource = Objects.requireNonNull(resource, "resource");
    this.config = Objects.requireNonNull(config, "config");
    this.memoryLimiter = Objects.requireNonNull(memoryLimiter, "memoryLimiter");
    this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.sendingQueueSize = sendingQueueSize;
    this.sendingQueueBytes = sendingQueueBytes;
  }

  /**
   * A context with the default pipeline settings (queue 100 batches / 256 MiB, 5 s timeout, default retry, no
   * memory bound), for exporters used outside {@code TelemetryRetention}, e.g. through autoconfigure.
   */
  public static SinkContext standalone(String sinkName) {
    return new SinkContext(sinkName, Resource.empty(), EnvironmentConfig.of(java.util.Map.of()), MemoryLimiter.unlimited(),
        RetryPolicy.getDefault(), Duration.ofSeconds(5), 100, 256L << 20);
  }

  /**
   * A context for exporters created outside {@code TelemetryRetention} by OpenTelemetry autoconfigure (the
   * Java agent, the Spring Boot starter), from the {@code otel.retention.*} settings: the profile
   * ({@code otel.retention.profile}, default DEVELOPMENT), the request timeout and sending queue, and the
   * durable spool ({@code otel.retention.spool.*}; on by default in PRODUCTION), whose deliveries combine up to the
   * profile's batch size and wait up to its batch timeout. No memory bound: the batch processors are the SDK's.
   *
   * @throws ConfigException if a setting is invalid
   */
  public static SinkContext fromEnvironment(String sinkName, EnvironmentConfig env) {
    dev.otelretention.Profile profile =
        env.getEnum("otel.retention.profile", dev.otelretention.Profile.class, dev.otelretention.Profile.DEVELOPMENT);
    SpoolSettings.Builder spool = SpoolSettings.fromEnvironment(env, profile.spool());
    if (spool != null) {
      spool.deliveries(profile.maxBatchSize(), profile.batchTimeout());
    }
    return new SinkContext(sinkName, Resource.empty(), env, MemoryLimiter.unlimited(), RetryPolicy.getDefault(),
        env.getDuration("otel.retention.request.timeout", Duration.ofSeconds(5)),
        env.getInt("otel.retention.sending.queue.size", 100),
        env.getSize("otel.retention.sending.queue.bytes", 256L << 20),
        spool == null ? null : spool.build(), Duration.ofSeconds(10));
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

  /** Retry settings for network sinks (defaults: 5 s initial, 30 s max interval, 300 s max elapsed). */
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

  /**
   * The durable spool of this sink's exporter for {@code signal} ({@code <spool directory>/<sink>/<signal>}), or
   * {@code null} when batches wait in memory. Network sinks pass it to {@code ExportStage.Builder.spool}.
   */
  public SpoolSettings spool(Signal signal) {
    return spool == null ? null : spool.forStage(sinkName, signal.baseName());
  }

  /**
   * Creates and registers statistics for one exporter of this sink, named {@code <sink>/<signal>}.
   *
   * @param signal the signal the exporter handles
   * @param componentType the exporter kind, e.g. {@code otlp_file_span_exporter}
   */
  public ExportStats stats(Signal signal, String componentType) {
    ExportStats created = new ExportStats(sinkName + "/" + signal.baseName(), componentType, signal);
    stats.add(created);
    return created;
  }

  /** All statistics registered so far, in registration order. */
  public List<ExportStats> registeredStats() {
    synchronized (stats) {
      return List.copyOf(stats);
    }
  }
}
