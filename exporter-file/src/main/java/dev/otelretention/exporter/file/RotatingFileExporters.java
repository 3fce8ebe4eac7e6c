package dev.otelretention.exporter.file;

import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.ExportStats;
import dev.otelretention.export.Signal;
import dev.otelretention.otlpjson.OtlpJsonEncoder;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Entry point for the rotating OTLP/JSON file exporters.
 *
 * <pre>{@code
 * RotatingFileExporters.Builder files = RotatingFileExporters.builder()
 *     .directory(Path.of("/var/log/myapp/telemetry"))
 *     .rotation(RotationPolicy.builder().maxFileSize(50 << 20).compression(Compression.ZSTD).build());
 * SpanExporter spans = files.buildSpanExporter();      // traces.jsonl
 * TelemetrySink sink = files.buildSink();              // all three signals, for TelemetryRetention
 * }</pre>
 *
 * <p>Each signal goes to its own file in the directory: {@code traces.jsonl}, {@code
 * metrics.jsonl}, {@code logs.jsonl}. Files and directories the exporters create are readable by
 * their owner only.
 */
public final class RotatingFileExporters {
  /**
   * Prefix of the environment settings, e.g. {@code otel.retention.file.max-size} / {@code
   * OTEL_RETENTION_FILE_MAX_SIZE}.
   */
  public static final String CONFIG_PREFIX = "otel.retention.file.";

  /** Default directory, relative to the working directory. */
  public static final String DEFAULT_DIRECTORY = "telemetry";

  private RotatingFileExporters() {}

  /**
   * A builder with the defaults: directory {@code telemetry}, default rotation, flush every second.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The file name of a signal, e.g. {@code traces.jsonl}. */
  public static String fileName(Signal signal) {
    return signal.baseName() + ".jsonl";
  }

  static OtlpJsonFileSpanExporter spanExporter(FileSettings settings, ExportStats stats) {
    return new OtlpJsonFileSpanExporter(
        new JsonLinesOutput<>(
            settings,
            fileName(Signal.TRACES),
            stats,
            OtlpJsonEncoder::writeSpans,
            SpanData::getResource,
            s -> 1,
            TraceIndexes.spans()));
  }

  static OtlpJsonFileMetricExporter metricExporter(
      FileSettings settings, AggregationTemporalitySelector temporality, ExportStats stats) {
    return new OtlpJsonFileMetricExporter(
        new JsonLinesOutput<>(
            settings,
            fileName(Signal.METRICS),
            stats,
            OtlpJsonEncoder::writeMetrics,
            MetricData::getResource,
            m -> m.getData().getPoints().size(),
            null),
        temporality);
  }

  static OtlpJsonFileLogRecordExporter logRecordExporter(FileSettings settings, ExportStats stats) {
    return new OtlpJsonFileLogRecordExporter(
        new JsonLinesOutput<>(
            settings,
            fileName(Signal.LOGS),
            stats,
            OtlpJsonEncoder::writeLogs,
            LogRecordData::getResource,
            l -> 1,
            TraceIndexes.LOG_RECORDS));
  }

  /** Builder of the file exporters and the file sink. */
  public static final class Builder {
    private Path directory = Path.of(DEFAULT_DIRECTORY);
    private RotationPolicy rotation = RotationPolicy.getDefault();
    private Duration flushInterval = Duration.ofSeconds(1);
    private String groupBy;
    private int maxGroups = 64;
    private int bufferSize = 256 * 1024;
    private AggregationTemporalitySelector temporality =
        AggregationTemporalitySelector.alwaysCumulative();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Directory of the files, created (owner-only) if missing (default {@code telemetry}). */
    public Builder directory(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Rotation and retention (default {@link RotationPolicy#getDefault()}: 100 MiB, 7 days, 5
     * backups).
     */
    public Builder rotation(RotationPolicy rotation) {
      this.rotation = Objects.requireNonNull(rotation, "rotation");
      return this;
    }

    /**
     * How often buffered lines are written to the file, not negative (default 1 s); zero writes
     * every export call at once.
     */
    public Builder flushInterval(Duration flushInterval) {
      Objects.requireNonNull(flushInterval, "flushInterval");
      if (flushInterval.isNegative()) {
        throw new IllegalArgumentException(
            "the flush interval must not be negative, got "
                + EnvironmentConfig.format(flushInterval));
      }
      this.flushInterval = flushInterval;
      return this;
    }

    /**
     * Writes one set of files per value of this resource attribute (e.g. {@code service.name}),
     * each in a subdirectory named after the value (default: no grouping).
     */
    public Builder groupByResourceAttribute(String attributeKey) {
      Objects.requireNonNull(attributeKey, "attributeKey");
      if (attributeKey.isBlank()) {
        throw new IllegalArgumentException("the attribute to group files by must not be blank");
      }
      this.groupBy = attributeKey;
      return this;
    }

    /**
     * Most groups with files of their own, at least 1; later values share the group {@code
     * _overflow} (default 64).
     */
    public Builder maxGroups(int maxGroups) {
      if (maxGroups < 1) {
        throw new IllegalArgumentException(
            "the number of file groups must be at least 1, got " + maxGroups);
      }
      this.maxGroups = maxGroups;
      return this;
    }

    /** Size of the write buffer of each file, 4 KiB to 64 MiB (default 256 KiB). */
    public Builder bufferSize(int bytes) {
      if (bytes < 4096 || bytes > (64 << 20)) {
        throw new IllegalArgumentException(
            "the write buffer must be between 4KiB and 64MiB, got "
                + EnvironmentConfig.formatSize(bytes));
      }
      this.bufferSize = bytes;
      return this;
    }

    /** Aggregation temporality of the metric exporter (default cumulative). */
    public Builder aggregationTemporality(AggregationTemporalitySelector temporality) {
      this.temporality = Objects.requireNonNull(temporality, "temporality");
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Applies settings found under {@code prefix} (e.g. {@code otel.retention.file.}): {@code
     * directory}, {@code max-size}, {@code max-age}, {@code max-backups}, {@code daily}, {@code
     * max-total-size}, {@code compression}, {@code local-time}, {@code flush-interval}, {@code
     * group-by}. Sizes and durations need their unit ({@code 100MB}, {@code 7d}). Unset keys keep
     * their current values.
     *
     * @throws ConfigException naming the variable or property as it was set when a value is invalid
     */
    public Builder configure(EnvironmentConfig config, String prefix) {
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(prefix, "prefix");
      config.apply(prefix + "directory", value -> directory(Path.of(value)));
      RotationPolicy.Builder policy = rotation.toBuilder();
      config.apply(prefix + "max-size", EnvironmentConfig::parseSize, policy::maxFileSize);
      config.apply(prefix + "max-age", EnvironmentConfig::parseDuration, policy::maxAge);
      config.apply(prefix + "max-backups", EnvironmentConfig::parseInt, policy::maxBackups);
      config.apply(prefix + "daily", EnvironmentConfig::parseBoolean, policy::dailyRotation);
      config.apply(prefix + "max-total-size", EnvironmentConfig::parseSize, policy::maxTotalSize);
      config.apply(prefix + "compression", Builder::parseCompression, policy::compression);
      config.apply(prefix + "local-time", EnvironmentConfig::parseBoolean, policy::localTime);
      try {
        rotation(policy.build());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            "the file settings "
                + config.nameOf(prefix + "max-size")
                + ", "
                + config.nameOf(prefix + "max-total-size")
                + ", "
                + config.nameOf(prefix + "max-backups")
                + " and "
                + config.nameOf(prefix + "compression")
                + " do not fit together: "
                + e.getMessage(),
            e);
      }
      config.apply(
          prefix + "flush-interval", EnvironmentConfig::parseDuration, this::flushInterval);
      config.apply(prefix + "group-by", this::groupByResourceAttribute);
      return this;
    }

    /**
     * Applies {@code otel.retention.file.*} settings from system properties and environment
     * variables.
     */
    public Builder configure(EnvironmentConfig config) {
      return configure(config, CONFIG_PREFIX);
    }

    /** The rotation policy this builder holds (after {@link #configure}, the configured one). */
    public RotationPolicy rotationPolicy() {
      return rotation;
    }

    FileSettings settings() {
      return new FileSettings(
          directory, rotation, flushInterval, groupBy, maxGroups, bufferSize, clock);
    }

    /**
     * Builds the span exporter writing {@code traces.jsonl}.
     *
     * @throws ConfigException if the file cannot be created or opened for writing
     */
    public SpanExporter buildSpanExporter() {
      return buildSpanExporter(
          new ExportStats("file/traces", "otlp_file_span_exporter", Signal.TRACES));
    }

    /** Builds the span exporter, recording into {@code stats}. */
    public SpanExporter buildSpanExporter(ExportStats stats) {
      return spanExporter(settings(), stats);
    }

    /**
     * Builds the metric exporter writing {@code metrics.jsonl}.
     *
     * @throws ConfigException if the file cannot be created or opened for writing
     */
    public MetricExporter buildMetricExporter() {
      return buildMetricExporter(
          new ExportStats("file/metrics", "otlp_file_metric_exporter", Signal.METRICS));
    }

    /** Builds the metric exporter, recording into {@code stats} (counted in data points). */
    public MetricExporter buildMetricExporter(ExportStats stats) {
      return metricExporter(settings(), temporality, stats);
    }

    /**
     * Builds the log-record exporter writing {@code logs.jsonl}.
     *
     * @throws ConfigException if the file cannot be created or opened for writing
     */
    public LogRecordExporter buildLogRecordExporter() {
      return buildLogRecordExporter(
          new ExportStats("file/logs", "otlp_file_log_exporter", Signal.LOGS));
    }

    /** Builds the log-record exporter, recording into {@code stats}. */
    public LogRecordExporter buildLogRecordExporter(ExportStats stats) {
      return logRecordExporter(settings(), stats);
    }

    /**
     * Builds a sink with all three exporters, for {@code
     * TelemetryRetention.builder().addSink(...)}. The sink keeps the settings as they are now;
     * later changes to this builder do not reach it.
     */
    public TelemetrySink buildSink() {
      return new FileSink(settings(), temporality);
    }

    private static Compression parseCompression(String name, String value) {
      try {
        return Compression.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name + "=" + value + ": must be none, gzip or zstd", e);
      }
    }
  }
}
