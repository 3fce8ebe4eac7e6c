package dev.otelretention;

import dev.otelretention.capacity.CapacityThresholds;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.config.Profile;
import dev.otelretention.export.MemoryLimiter;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import dev.otelretention.export.SpoolSettings;
import dev.otelretention.internal.CapacityMonitor;
import dev.otelretention.internal.PipelineDefaults;
import dev.otelretention.internal.QueueGate;
import dev.otelretention.internal.SelfMonitoring;
import dev.otelretention.internal.SinkSelector;
import dev.otelretention.logs.ApplicationLogs;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import dev.otelretention.sink.TelemetrySinkProvider;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/**
 * Builder of {@link TelemetryRetention}. Precedence of every setting: a value set here, then the
 * environment ({@code otel.retention.*} system properties or {@code OTEL_RETENTION_*} variables),
 * then the profile.
 */
public final class TelemetryRetentionBuilder {
  private static final Logger logger = Logger.getLogger(TelemetryRetention.class.getName());

  /**
   * The sinks get 90% of the shutdown timeout, so that the SDK's own shutdown still ends within it.
   */
  private static final int SINK_SHARE_OF_SHUTDOWN_PERCENT = 90;

  private EnvironmentConfig config;
  private Profile profile;
  private String serviceName;
  private String serviceVersion;
  private String environment;
  private final AttributesBuilder resourceAttributes = Attributes.builder();
  private final List<TelemetrySink> sinks = new ArrayList<>();
  private Duration batchTimeout;
  private Integer maxBatchSize;
  private Integer maxQueueSize;
  private Duration metricInterval;
  private Long memoryLimitBytes;
  private Long memorySpikeBytes;
  private Duration requestTimeout;
  private Integer sendingQueueSize;
  private Long sendingQueueBytes;
  private RetryPolicy retryPolicy;
  private Duration shutdownTimeout = PipelineDefaults.SHUTDOWN_TIMEOUT;
  private boolean registerGlobal;
  private boolean shutdownHook = true;
  private CapacityThresholds capacityThresholds;
  private SpoolSettings spool;
  private boolean noSpool;
  private List<ApplicationLogs.Framework> logFrameworks;

  TelemetryRetentionBuilder() {}

  /**
   * Where environment settings come from (default: system properties and environment variables).
   */
  public TelemetryRetentionBuilder config(EnvironmentConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    return this;
  }

  /** The profile (default: {@code OTEL_RETENTION_PROFILE}, else {@link Profile#DEVELOPMENT}). */
  public TelemetryRetentionBuilder profile(Profile profile) {
    this.profile = Objects.requireNonNull(profile, "profile");
    return this;
  }

  /**
   * {@code service.version} (default: {@code OTEL_RETENTION_SERVICE_VERSION} or {@code
   * OTEL_SERVICE_VERSION}).
   */
  public TelemetryRetentionBuilder serviceVersion(String serviceVersion) {
    this.serviceVersion = notBlank(serviceVersion, "serviceVersion");
    return this;
  }

  /**
   * {@code deployment.environment.name}, normalized as the design note's platform does: {@code
   * DEV}, {@code DEVELOPMENT} and {@code STAGING} become {@code dev}, anything else is lower-cased
   * (default: the variable named by {@code otel.retention.environment.variable}, default {@code
   * OTEL_RETENTION_ENVIRONMENT}).
   */
  public TelemetryRetentionBuilder environment(String environment) {
    this.environment = notBlank(environment, "environment");
    return this;
  }

  /**
   * {@code service.name} (default: {@code OTEL_SERVICE_NAME}, else the SDK's {@code
   * unknown_service:java}).
   */
  public TelemetryRetentionBuilder serviceName(String serviceName) {
    this.serviceName = notBlank(serviceName, "serviceName");
    return this;
  }

  /** Adds a resource attribute (added to those of {@code OTEL_RESOURCE_ATTRIBUTES}). */
  public TelemetryRetentionBuilder resourceAttribute(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    resourceAttributes.put(key, value);
    return this;
  }

  /** Adds a sink; with none added, one is chosen from the environment. */
  public TelemetryRetentionBuilder addSink(TelemetrySink sink) {
    sinks.add(Objects.requireNonNull(sink, "sink"));
    return this;
  }

  /**
   * Longest wait before a batch of spans or logs is exported, positive (profile default: 1 s / 10
   * s).
   */
  public TelemetryRetentionBuilder batchTimeout(Duration batchTimeout) {
    this.batchTimeout = positive(batchTimeout, "batchTimeout");
    return this;
  }

  /** Most items per exported batch, at least 1 (profile default: 1,024 / 8,192). */
  public TelemetryRetentionBuilder maxBatchSize(int maxBatchSize) {
    this.maxBatchSize = atLeast(maxBatchSize, 1, "maxBatchSize");
    return this;
  }

  /**
   * Most spans (and, separately, log records) waiting to be batched (default: max(2,048, 4 × batch
   * size)).
   */
  public TelemetryRetentionBuilder maxQueueSize(int maxQueueSize) {
    this.maxQueueSize = atLeast(maxQueueSize, 1, "maxQueueSize");
    return this;
  }

  /** Interval between metric exports, positive (profile default: 10 s / 60 s). */
  public TelemetryRetentionBuilder metricInterval(Duration metricInterval) {
    this.metricInterval = positive(metricInterval, "metricInterval");
    return this;
  }

  /**
   * Bounds queued telemetry: items are refused (and counted) once the queued bytes would exceed
   * {@code limitBytes - spikeBytes} (profile default: none / 1,024 MiB with 256 MiB spike).
   */
  public TelemetryRetentionBuilder memoryLimit(long limitBytes, long spikeBytes) {
    MemoryLimiter.of(limitBytes, spikeBytes);
    this.memoryLimitBytes = limitBytes;
    this.memorySpikeBytes = spikeBytes;
    return this;
  }

  /** Removes the memory bound, whatever the profile says. */
  public TelemetryRetentionBuilder noMemoryLimit() {
    this.memoryLimitBytes = 0L;
    this.memorySpikeBytes = 0L;
    return this;
  }

  /** Timeout of one export request of a network sink, positive (default 5 s). */
  public TelemetryRetentionBuilder requestTimeout(Duration requestTimeout) {
    this.requestTimeout = positive(requestTimeout, "requestTimeout");
    return this;
  }

  /** Capacity of a network sink's sending queue in batches, at least 1 (default 100). */
  public TelemetryRetentionBuilder sendingQueueSize(int sendingQueueSize) {
    this.sendingQueueSize = atLeast(sendingQueueSize, 1, "sendingQueueSize");
    return this;
  }

  /** Capacity of a network sink's sending queue in estimated bytes, positive (default 256 MiB). */
  public TelemetryRetentionBuilder sendingQueueBytes(long sendingQueueBytes) {
    if (sendingQueueBytes < 1) {
      throw new ConfigException("sendingQueueBytes must be positive, got " + sendingQueueBytes);
    }
    this.sendingQueueBytes = sendingQueueBytes;
    return this;
  }

  /** Retry policy of network sinks (default: 5 s initial, 30 s max interval, 300 s max elapsed). */
  public TelemetryRetentionBuilder retryPolicy(RetryPolicy retryPolicy) {
    this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    return this;
  }

  /** How long {@link TelemetryRetention#close()} may take, positive (default 10 s). */
  public TelemetryRetentionBuilder shutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = positive(shutdownTimeout, "shutdownTimeout");
    return this;
  }

  /**
   * Measures the space every sink's data takes each interval and raises alerts over these
   * thresholds, as {@code otel_retention.capacity.*} metrics and log lines (default: from {@code
   * otel.retention.capacity.*}, off when none is set).
   */
  public TelemetryRetentionBuilder capacityAlerts(CapacityThresholds thresholds) {
    this.capacityThresholds = Objects.requireNonNull(thresholds, "thresholds");
    return this;
  }

  /**
   * Network sinks (ClickHouse, Datadog) keep accepted batches in this durable spool on disk until
   * the destination acknowledged them, across outages, restarts and crashes (default: on in the
   * PRODUCTION profile, under {@code otel.retention.spool.directory}, default {@code
   * ./telemetry-spool}).
   */
  public TelemetryRetentionBuilder spool(SpoolSettings settings) {
    this.spool = Objects.requireNonNull(settings, "settings");
    this.noSpool = false;
    return this;
  }

  /** Network sinks keep accepted batches in memory only, whatever the profile says. */
  public TelemetryRetentionBuilder noSpool() {
    this.spool = null;
    this.noSpool = true;
    return this;
  }

  /**
   * Routes the application's Logback and/or Log4j 2 events (whichever is present, or those named)
   * into this instance's logs, through OpenTelemetry's appenders added to the root logger: with
   * trace and span ids, logger name, thread, severity, exception and MDC / ThreadContext entries
   * (default: from {@code otel.retention.logs.capture} = {@code auto}, {@code logback}, {@code
   * log4j} or {@code none}, default none). OpenTelemetry appenders declared in {@code logback.xml}
   * or {@code log4j2.xml} get the SDK either way.
   */
  public TelemetryRetentionBuilder captureApplicationLogs(ApplicationLogs.Framework... frameworks) {
    this.logFrameworks = List.of(Objects.requireNonNull(frameworks, "frameworks"));
    return this;
  }

  /** Also installs the SDK as {@code GlobalOpenTelemetry} (default false). */
  public TelemetryRetentionBuilder registerGlobal(boolean registerGlobal) {
    this.registerGlobal = registerGlobal;
    return this;
  }

  /** Closes the instance from a JVM shutdown hook if the application did not (default true). */
  public TelemetryRetentionBuilder closeOnJvmShutdown(boolean shutdownHook) {
    this.shutdownHook = shutdownHook;
    return this;
  }

  /**
   * Builds and starts the SDK.
   *
   * @throws ConfigException if a setting from the environment is invalid or no sink is available
   */
  public TelemetryRetention build() {
    EnvironmentConfig env = config != null ? config : EnvironmentConfig.fromSystem();
    Profile activeProfile =
        profile != null
            ? profile
            : env.getEnum("otel.retention.profile", Profile.class, Profile.DEVELOPMENT);
    SdkAssembly.Batching batching = batching(env, activeProfile);
    MemoryLimiter limiter =
        SdkAssembly.memoryLimiter(env, activeProfile, memoryLimitBytes, memorySpikeBytes);
    SinkContext.Builder sinkSettings = sinkSettings(env, activeProfile, batching, limiter);
    Resource resource =
        ServiceResource.resource(
            env, serviceName, serviceVersion, environment, resourceAttributes.build());
    CapacityThresholds thresholds =
        capacityThresholds != null ? capacityThresholds : CapacityThresholds.fromEnvironment(env);
    String profileLine =
        "profile "
            + activeProfile.name().toLowerCase(Locale.ROOT)
            + (profile != null
                ? " (set in code)"
                : env.isSet("otel.retention.profile")
                    ? " (" + env.nameOf("otel.retention.profile") + ")"
                    : " (the default)");
    SdkAssembly.SinkExporters exporters =
        SdkAssembly.createExporters(
            activeSinks(env, profileLine), sinkSettings.resource(resource), thresholds);
    SinkContext pipeline = sinkSettings.sinkName("pipeline").build(); // the settings every sink got

    QueueGate spanGate = new QueueGate(Signal.TRACES, limiter, batching.queueSize());
    QueueGate logGate = new QueueGate(Signal.LOGS, limiter, batching.queueSize());
    OpenTelemetrySdk sdk =
        SdkAssembly.startSdk(
            resource, exporters, batching, pipeline, spanGate, logGate, registerGlobal);
    List<QueueGate> gates = List.of(spanGate, logGate);
    List<AutoCloseable> monitoring =
        new ArrayList<>(
            SelfMonitoring.register(sdk.getMeterProvider(), exporters.stats(), gates, limiter));
    AutoCloseable applicationLogs = SdkAssembly.applicationLogs(env, sdk, logFrameworks);
    CapacityMonitor capacity = null;
    if (thresholds != null) {
      capacity = new CapacityMonitor(exporters.probes(), thresholds);
      monitoring.addAll(capacity.register(sdk.getMeterProvider().get(SelfMonitoring.SCOPE)));
      capacity.start();
    }
    TelemetryRetention telemetry =
        new TelemetryRetention(
            sdk,
            activeProfile,
            exporters.descriptions(),
            exporters.stats(),
            gates,
            limiter,
            monitoring,
            shutdownTimeout,
            capacity,
            applicationLogs);
    if (shutdownHook) {
      telemetry.registerShutdownHook();
    }
    return telemetry;
  }

  private SdkAssembly.Batching batching(EnvironmentConfig env, Profile activeProfile) {
    Duration delay =
        batchTimeout != null
            ? batchTimeout
            : env.getDuration("otel.retention.batch.timeout", activeProfile.batchTimeout());
    int size =
        maxBatchSize != null
            ? maxBatchSize
            : env.getInt("otel.retention.batch.size", activeProfile.maxBatchSize());
    String sizeSetting = setting(maxBatchSize, "maxBatchSize", env, "otel.retention.batch.size");
    atLeast(size, 1, sizeSetting);
    positive(delay, setting(batchTimeout, "batchTimeout", env, "otel.retention.batch.timeout"));
    int queueSize =
        maxQueueSize != null
            ? maxQueueSize
            : env.getInt("otel.retention.queue.size", Math.max(2048, 4 * size));
    if (queueSize < size) {
      throw new ConfigException(
          setting(maxQueueSize, "maxQueueSize", env, "otel.retention.queue.size")
              + " ("
              + queueSize
              + ") must be at least "
              + sizeSetting
              + " ("
              + size
              + ")");
    }
    Duration metricEvery =
        metricInterval != null
            ? metricInterval
            : env.getDuration("otel.retention.metric.interval", activeProfile.metricInterval());
    positive(
        metricEvery,
        setting(metricInterval, "metricInterval", env, "otel.retention.metric.interval"));
    return new SdkAssembly.Batching(delay, size, queueSize, metricEvery);
  }

  /**
   * The settings every sink gets: the environment's, with what was set on this builder over them.
   */
  private SinkContext.Builder sinkSettings(
      EnvironmentConfig env,
      Profile activeProfile,
      SdkAssembly.Batching batching,
      MemoryLimiter limiter) {
    SinkContext.Builder settings =
        SinkContext.builder()
            .configure(env)
            .profile(activeProfile)
            .memoryLimiter(limiter)
            .retryPolicy(retryPolicy != null ? retryPolicy : RetryPolicy.getDefault())
            .spool(spool(env, activeProfile, batching.size(), batching.delay()))
            .shutdownTimeout(
                shutdownTimeout.multipliedBy(SINK_SHARE_OF_SHUTDOWN_PERCENT).dividedBy(100));
    if (requestTimeout != null) {
      settings.requestTimeout(requestTimeout);
    }
    if (sendingQueueSize != null) {
      settings.sendingQueueSize(sendingQueueSize);
    }
    if (sendingQueueBytes != null) {
      settings.sendingQueueBytes(sendingQueueBytes);
    }
    return settings;
  }

  /** The sinks added to this builder, or else the one the environment selects. */
  private List<TelemetrySink> activeSinks(EnvironmentConfig env, String profileLine) {
    if (!sinks.isEmpty()) {
      for (TelemetrySink sink : sinks) {
        logger.info(
            "otel-retention: exporting to "
                + sink.description()
                + " (added in code), "
                + profileLine);
      }
      return List.copyOf(sinks);
    }
    List<TelemetrySinkProvider> providers = new ArrayList<>();
    ServiceLoader.load(
            TelemetrySinkProvider.class, TelemetryRetentionBuilder.class.getClassLoader())
        .forEach(providers::add);
    SinkSelector.Selection selection = SinkSelector.select(env, providers);
    TelemetrySink sink = selection.provider().create(env);
    logger.info(
        "otel-retention: exporting to "
            + sink.description()
            + " ("
            + selection.reason()
            + "), "
            + profileLine);
    return List.of(sink);
  }

  /**
   * The spool settings, or {@code null} without a spool. Unless set explicitly, deliveries from the
   * spool combine up to the batch size and wait up to the batch timeout: telemetry is persisted
   * often and sent big.
   */
  private SpoolSettings spool(
      EnvironmentConfig env, Profile activeProfile, int batchSize, Duration batchDelay) {
    if (noSpool) {
      return null;
    }
    SpoolSettings.Builder settings =
        spool != null
            ? spool.toBuilder()
            : SpoolSettings.fromEnvironment(env, activeProfile.spool());
    if (settings == null) {
      return null;
    }
    if (!settings.hasDeliveries()) {
      settings.deliveries(batchSize, batchDelay);
    }
    return settings.build();
  }

  private static String notBlank(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  private static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new ConfigException(name + " must be positive, got " + EnvironmentConfig.format(value));
    }
    return value;
  }

  /**
   * How a value was set, for its errors: the builder method when it was set in code, else the
   * variable or property of {@code key} as the environment gave it.
   */
  private static String setting(
      Object setInCode, String method, EnvironmentConfig env, String key) {
    return setInCode != null ? method : env.nameOf(key);
  }

  private static int atLeast(int value, int min, String name) {
    if (value < min) {
      throw new ConfigException(name + " must be at least " + min + ", got " + value);
    }
    return value;
  }
}
