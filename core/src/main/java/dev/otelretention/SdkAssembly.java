package dev.otelretention;

import dev.otelretention.capacity.CapacityThresholds;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.config.Profile;
import dev.otelretention.export.ExportStats;
import dev.otelretention.export.MemoryLimiter;
import dev.otelretention.export.Signal;
import dev.otelretention.export.SpoolSettings;
import dev.otelretention.internal.GatedProcessors;
import dev.otelretention.internal.QueueGate;
import dev.otelretention.logs.ApplicationLogs;
import dev.otelretention.sink.CapacityProbe;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.OpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.SdkLoggerProviderBuilder;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Assembles what {@link TelemetryRetentionBuilder#build()} starts: the sinks' exporters, the SDK
 * with its gated batch processors and metric readers, and the capture of application logs.
 */
final class SdkAssembly {
  private static final Logger logger = Logger.getLogger(TelemetryRetention.class.getName());

  /**
   * Request timeouts the batch processors give one {@code export()} call: the call only hands the
   * batch to the sinks' queues, except when a queue is full and it waits for room.
   */
  private static final int EXPORT_CALL_REQUEST_TIMEOUTS = 2;

  private SdkAssembly() {}

  /** How the SDK's batch processors and metric readers hand telemetry to the sinks. */
  record Batching(Duration delay, int size, int queueSize, Duration metricInterval) {}

  /** What the sinks made: one exporter per signal each, their statistics and capacity probes. */
  record SinkExporters(
      List<SpanExporter> spans,
      List<MetricExporter> metrics,
      List<LogRecordExporter> logs,
      List<ExportStats> stats,
      List<String> descriptions,
      Map<String, CapacityProbe> probes) {}

  /**
   * Asks each sink, under a unique name, for its exporters and, when thresholds are set, its
   * capacity probe.
   */
  static SinkExporters createExporters(
      List<TelemetrySink> activeSinks,
      SinkContext.Builder sinkSettings,
      CapacityThresholds thresholds) {
    SinkExporters exporters =
        new SinkExporters(
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new LinkedHashMap<>());
    Set<String> names = new HashSet<>();
    for (TelemetrySink sink : activeSinks) {
      String name = sink.name();
      for (int i = 2; !names.add(name); i++) {
        name = sink.name() + "#" + i;
      }
      SinkContext context = sinkSettings.sinkName(name).build();
      exporters
          .spans()
          .add(
              Objects.requireNonNull(sink.createSpanExporter(context), "span exporter of " + name));
      exporters
          .logs()
          .add(
              Objects.requireNonNull(
                  sink.createLogRecordExporter(context), "log exporter of " + name));
      exporters
          .metrics()
          .add(
              Objects.requireNonNull(
                  sink.createMetricExporter(context), "metric exporter of " + name));
      exporters.stats().addAll(context.registeredStats());
      exporters.descriptions().add(sink.description());
      if (thresholds != null) {
        CapacityProbe probe = sink.capacityProbe(context);
        if (probe != null) {
          exporters.probes().put(name, probe);
        }
      }
    }
    return exporters;
  }

  /**
   * The SDK with a gated batch processor per signal and a periodic reader per metric exporter. With
   * a spool, ended telemetry is handed over at least every persist interval, so that it is on disk
   * soon; the spool then sends it in big batches.
   */
  static OpenTelemetrySdk startSdk(
      Resource resource,
      SinkExporters exporters,
      Batching batching,
      SinkContext sinks,
      QueueGate spanGate,
      QueueGate logGate,
      boolean registerGlobal) {
    SpoolSettings spoolSettings = sinks.spool(Signal.TRACES);
    Duration handOver =
        spoolSettings == null || spoolSettings.persistInterval().compareTo(batching.delay()) >= 0
            ? batching.delay()
            : spoolSettings.persistInterval();
    Duration exporterTimeout = sinks.requestTimeout().multipliedBy(EXPORT_CALL_REQUEST_TIMEOUTS);
    SpanExporter spanExporter = SpanExporter.composite(exporters.spans());
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder()
            .setResource(resource)
            .addSpanProcessor(
                GatedProcessors.spans(
                    BatchSpanProcessor.builder(GatedProcessors.releasing(spanExporter, spanGate))
                        .setScheduleDelay(handOver)
                        .setMaxExportBatchSize(batching.size())
                        .setMaxQueueSize(batching.queueSize())
                        .setExporterTimeout(exporterTimeout)
                        .build(),
                    spanGate,
                    spanExporter))
            .build();
    LogRecordExporter logExporter = LogRecordExporter.composite(exporters.logs());
    SdkLoggerProviderBuilder loggerBuilder = SdkLoggerProvider.builder().setResource(resource);
    loggerBuilder.addLogRecordProcessor(
        GatedProcessors.logs(
            BatchLogRecordProcessor.builder(GatedProcessors.releasing(logExporter, logGate))
                .setScheduleDelay(handOver)
                .setMaxExportBatchSize(batching.size())
                .setMaxQueueSize(batching.queueSize())
                .setExporterTimeout(exporterTimeout)
                .build(),
            logGate,
            logExporter));
    SdkMeterProviderBuilder meterBuilder = SdkMeterProvider.builder().setResource(resource);
    for (MetricExporter metricExporter : exporters.metrics()) {
      meterBuilder.registerMetricReader(
          PeriodicMetricReader.builder(metricExporter)
              .setInterval(batching.metricInterval())
              .build());
    }
    OpenTelemetrySdkBuilder sdkBuilder =
        OpenTelemetrySdk.builder()
            .setTracerProvider(tracerProvider)
            .setMeterProvider(meterBuilder.build())
            .setLoggerProvider(loggerBuilder.build());
    return registerGlobal ? sdkBuilder.buildAndRegisterGlobal() : sdkBuilder.build();
  }

  static AutoCloseable applicationLogs(
      EnvironmentConfig env, OpenTelemetrySdk sdk, List<ApplicationLogs.Framework> logFrameworks) {
    try {
      ApplicationLogs.installDeclared(sdk);
    } catch (RuntimeException | LinkageError e) {
      logger.log(
          Level.WARNING, "otel-retention: cannot hand the SDK to the declared log appenders", e);
    }
    List<ApplicationLogs.Framework> frameworks = logFrameworks;
    if (frameworks == null) {
      String setting =
          env.get("otel.retention.logs.capture", "none").trim().toLowerCase(Locale.ROOT);
      switch (setting) {
        case "none", "" -> {
          return () -> {};
        }
        case "auto" -> frameworks = List.of();
        default -> {
          frameworks = new ArrayList<>();
          for (String name : setting.split(",")) {
            switch (name.trim()) {
              case "logback":
                frameworks.add(ApplicationLogs.Framework.LOGBACK);
                break;
              case "log4j":
                frameworks.add(ApplicationLogs.Framework.LOG4J);
                break;
              default:
                throw new ConfigException(
                    "otel.retention.logs.capture must be auto, none, logback, log4j or"
                        + " logback,log4j, got '"
                        + setting
                        + "'");
            }
          }
        }
      }
    }
    try {
      return ApplicationLogs.capture(sdk, frameworks);
    } catch (IllegalStateException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /**
   * The bound on queued telemetry: the one set in code ({@code memoryLimitBytes} not null), else
   * the environment's or the profile's; none when the limit is 0.
   */
  static MemoryLimiter memoryLimiter(
      EnvironmentConfig env, Profile activeProfile, Long memoryLimitBytes, Long memorySpikeBytes) {
    long limit;
    long spike;
    if (memoryLimitBytes != null) {
      limit = memoryLimitBytes;
      spike = memorySpikeBytes;
    } else {
      limit = env.getSize("otel.retention.memory.limit", activeProfile.memoryLimitBytes());
      spike =
          env.getSize(
              "otel.retention.memory.spike", Math.min(activeProfile.memorySpikeBytes(), limit / 4));
    }
    if (limit == 0) {
      return MemoryLimiter.unlimited();
    }
    try {
      return MemoryLimiter.of(limit, spike);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          (memoryLimitBytes != null
                  ? "memoryLimit(...)"
                  : env.nameOf("otel.retention.memory.limit")
                      + " and "
                      + env.nameOf("otel.retention.memory.spike"))
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
