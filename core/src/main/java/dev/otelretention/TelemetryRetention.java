package dev.otelretention;

import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.capacity.CapacityStatus;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.config.Profile;
import dev.otelretention.export.ExportStats;
import dev.otelretention.export.MemoryLimiter;
import dev.otelretention.export.Signal;
import dev.otelretention.internal.CapacityMonitor;
import dev.otelretention.internal.QueueGate;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An embedded OpenTelemetry SDK whose traces, metrics and logs go to retention-aware sinks
 * (rotating files, ClickHouse, ...), with no Collector in between.
 *
 * <pre>{@code
 * try (TelemetryRetention telemetry = TelemetryRetention.fromEnvironment()) {
 *   Tracer tracer = telemetry.openTelemetry().getTracer("checkout");
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} flushes everything, then shuts the SDK down, within the shutdown timeout.
 */
public final class TelemetryRetention implements AutoCloseable {
  private static final Logger logger = Logger.getLogger(TelemetryRetention.class.getName());

  private final OpenTelemetrySdk sdk;
  private final List<String> sinkDescriptions;
  private final List<ExportStats> stats;
  private final List<QueueGate> gates;
  private final MemoryLimiter memoryLimiter;
  private final List<AutoCloseable> monitoring;
  private final Duration shutdownTimeout;
  private final Profile profile;
  private final CapacityMonitor capacityMonitor;
  private final AutoCloseable applicationLogs;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Thread shutdownHook;

  TelemetryRetention(
      OpenTelemetrySdk sdk,
      Profile profile,
      List<String> sinkDescriptions,
      List<ExportStats> stats,
      List<QueueGate> gates,
      MemoryLimiter memoryLimiter,
      List<AutoCloseable> monitoring,
      Duration shutdownTimeout,
      CapacityMonitor capacityMonitor,
      AutoCloseable applicationLogs) {
    this.applicationLogs = applicationLogs;
    this.sdk = sdk;
    this.capacityMonitor = capacityMonitor;
    this.profile = profile;
    this.sinkDescriptions = List.copyOf(sinkDescriptions);
    this.stats = List.copyOf(stats);
    this.gates = List.copyOf(gates);
    this.memoryLimiter = memoryLimiter;
    this.monitoring = List.copyOf(monitoring);
    this.shutdownTimeout = shutdownTimeout;
  }

  /**
   * A builder; with no sink added, the sink is chosen from the environment as in {@link
   * #fromEnvironment()}.
   */
  public static TelemetryRetentionBuilder builder() {
    return new TelemetryRetentionBuilder();
  }

  /**
   * Builds an instance configured entirely from system properties and environment variables:
   * ClickHouse when both {@code CLICKHOUSE_ENDPOINT} and {@code CLICKHOUSE_PASSWORD} are set and
   * the ClickHouse exporter is on the classpath, rotating files otherwise. Logs one line saying
   * which sink was chosen and why.
   */
  public static TelemetryRetention fromEnvironment() {
    return builder().build();
  }

  void registerShutdownHook() {
    Thread hook = new Thread(this::closeFromHook, "otel-retention-shutdown-hook");
    shutdownHook = hook;
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The OpenTelemetry instance to create tracers, meters and loggers from. */
  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  /** The underlying SDK, for code that needs SDK-level access. */
  public OpenTelemetrySdk sdk() {
    return sdk;
  }

  /** The active profile. */
  public Profile profile() {
    return profile;
  }

  /** One line per sink describing where telemetry goes. */
  public List<String> sinkDescriptions() {
    return sinkDescriptions;
  }

  /** A snapshot of every exporter's state and of the batch queues, for a health check. */
  public HealthReport health() {
    Map<Signal, Long> memory = new EnumMap<>(Signal.class);
    Map<Signal, Long> full = new EnumMap<>(Signal.class);
    Instant lastRefused = null;
    for (QueueGate gate : gates) {
      memory.put(gate.signal(), gate.refusedMemoryLimit());
      full.put(gate.signal(), gate.refusedQueueFull());
      Instant refused = gate.lastRefusedAt();
      if (refused != null && (lastRefused == null || refused.isAfter(lastRefused))) {
        lastRefused = refused;
      }
    }
    return new HealthReport(
        stats.stream().map(SinkHealth::of).toList(),
        Map.copyOf(memory),
        Map.copyOf(full),
        memoryLimiter.usedBytes(),
        memoryLimiter.isUnlimited() ? Long.MAX_VALUE : memoryLimiter.softLimitBytes(),
        lastRefused);
  }

  /**
   * The last capacity measurement of every store of every sink, with the alerts it raised; empty
   * unless capacity thresholds were configured ({@link
   * TelemetryRetentionBuilder#capacityAlerts(CapacityThresholds)} or {@code
   * otel.retention.capacity.*}).
   */
  public List<CapacityStatus> capacity() {
    return capacityMonitor == null ? List.of() : capacityMonitor.statuses();
  }

  /**
   * Measures every sink now (it also happens every check interval) and returns what {@link
   * #capacity()} returns.
   */
  public List<CapacityStatus> checkCapacity() {
    return capacityMonitor == null ? List.of() : capacityMonitor.check();
  }

  /**
   * Exports everything buffered so far and waits at most {@code timeout}. Logs at {@code FINE}
   * which signal did not finish or failed when it returns false.
   *
   * @return whether every provider flushed successfully in time (false also when the calling thread
   *     is interrupted)
   */
  public boolean flush(Duration timeout) {
    CompletableResultCode traces = sdk.getSdkTracerProvider().forceFlush();
    CompletableResultCode metrics = sdk.getSdkMeterProvider().forceFlush();
    CompletableResultCode logs = sdk.getSdkLoggerProvider().forceFlush();
    long start = System.nanoTime();
    boolean success =
        CompletableResultCode.ofAll(List.of(traces, metrics, logs))
            .join(timeout.toNanos(), TimeUnit.NANOSECONDS)
            .isSuccess();
    if (!success && logger.isLoggable(Level.FINE)) {
      logger.fine(
          "otel-retention: flush returned after "
              + Duration.ofNanos(System.nanoTime() - start).toMillis()
              + " ms of "
              + timeout.toMillis()
              + ": traces "
              + state(traces)
              + ", metrics "
              + state(metrics)
              + ", logs "
              + state(logs)
              + (Thread.currentThread().isInterrupted()
                  ? " (the calling thread is interrupted)"
                  : ""));
    }
    return success;
  }

  private static String state(CompletableResultCode result) {
    return !result.isDone() ? "not finished" : result.isSuccess() ? "done" : "failed";
  }

  /** Flushes, then shuts down, waiting at most the shutdown timeout (default 10 s). Idempotent. */
  @Override
  public void close() {
    Thread hook = shutdownHook;
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down; the hook runs close() itself
      }
    }
    shutdown();
  }

  private void closeFromHook() {
    shutdown();
  }

  private void shutdown() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (capacityMonitor != null) {
      capacityMonitor.close();
    }
    try {
      applicationLogs.close();
    } catch (Exception e) {
      logger.log(Level.FINE, "otel-retention: removing the application log appenders failed", e);
    }
    Map<String, Long> droppedBefore = droppedByReason();
    long start = System.nanoTime();
    long deadline = start + shutdownTimeout.toNanos();
    // Spans and logs first, so that the meter provider's final collection counts everything they
    // exported.
    CompletableResultCode spansAndLogs =
        CompletableResultCode.ofAll(
            List.of(sdk.getSdkTracerProvider().shutdown(), sdk.getSdkLoggerProvider().shutdown()));
    spansAndLogs.join(remaining(deadline), TimeUnit.NANOSECONDS);
    CompletableResultCode metrics =
        sdk.getSdkMeterProvider().shutdown().join(remaining(deadline), TimeUnit.NANOSECONDS);
    for (AutoCloseable registration : monitoring) {
      try {
        registration.close();
      } catch (Exception e) {
        logger.log(Level.FINE, "otel-retention: closing a self-monitoring callback failed", e);
      }
    }
    for (ExportStats stat : stats) {
      stat.problems().close();
    }
    for (QueueGate gate : gates) {
      gate.close();
    }
    String report =
        shutdownReport(
            spansAndLogs.isDone() && metrics.isDone(),
            Duration.ofNanos(System.nanoTime() - start),
            shutdownTimeout,
            droppedBefore,
            droppedByReason());
    if (report != null) {
      logger.warning(report);
    } else if (!spansAndLogs.isSuccess() || !metrics.isSuccess()) {
      logger.fine("otel-retention: shutdown finished; an exporter kept items for the next start");
    }
  }

  /**
   * The warning about a shutdown that timed out or lost items, or {@code null} when it finished in
   * time and nothing was dropped during it (drops from before are not its concern: health and the
   * problem log had them).
   */
  static String shutdownReport(
      boolean finished,
      Duration took,
      Duration timeout,
      Map<String, Long> before,
      Map<String, Long> after) {
    Map<String, Long> during = new TreeMap<>();
    after.forEach(
        (reason, count) -> {
          long delta = count - before.getOrDefault(reason, 0L);
          if (delta > 0) {
            during.put(reason, delta);
          }
        });
    long lost = during.values().stream().mapToLong(Long::longValue).sum();
    if (finished && lost == 0) {
      return null;
    }
    String what =
        lost == 0
            ? "nothing was dropped"
            : lost + (lost == 1 ? " item was dropped " : " items were dropped ") + during;
    return finished
        ? "otel-retention: shutdown finished in " + took.toMillis() + " ms; " + what + " during it"
        : "otel-retention: shutdown did not finish within its timeout of "
            + EnvironmentConfig.format(timeout)
            + "; "
            + what
            + " during it";
  }

  private Map<String, Long> droppedByReason() {
    Map<String, Long> total = new TreeMap<>();
    for (ExportStats stat : stats) {
      stat.droppedByReason().forEach((reason, count) -> total.merge(reason, count, Long::sum));
    }
    return total;
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  @Override
  public String toString() {
    return "TelemetryRetention{profile=" + profile + ", sinks=" + sinkDescriptions + "}";
  }
}
