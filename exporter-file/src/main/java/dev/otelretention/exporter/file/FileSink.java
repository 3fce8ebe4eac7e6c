package dev.otelretention.exporter.file;

import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.Signal;
import dev.otelretention.sink.CapacityProbe;
import dev.otelretention.sink.CapacityProbe.CapacitySample;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The rotating-file sink: traces, metrics and logs as OTLP/JSON lines in {@code traces.jsonl},
 * {@code metrics.jsonl} and {@code logs.jsonl}. Create it with {@link
 * RotatingFileExporters.Builder#buildSink()}.
 */
final class FileSink implements TelemetrySink {
  private final FileSettings settings;
  private final AggregationTemporalitySelector temporality;

  FileSink(FileSettings settings, AggregationTemporalitySelector temporality) {
    this.settings = settings;
    this.temporality = temporality;
  }

  @Override
  public String name() {
    return "file";
  }

  @Override
  public String description() {
    RotationPolicy rotation = settings.rotation();
    return "rotating OTLP/JSON files in "
        + settings.directory().toAbsolutePath()
        + " (max "
        + formatSize(rotation.maxFileSize())
        + " per file, "
        + rotation.maxBackups()
        + " backups, "
        + (rotation.maxAge().isZero()
            ? "kept forever"
            : "kept " + EnvironmentConfig.format(rotation.maxAge()))
        + (rotation.compression() == Compression.NONE
            ? ""
            : ", " + rotation.compression().name().toLowerCase(Locale.ROOT))
        + ")";
  }

  static String formatSize(long bytes) {
    if (bytes % (1L << 30) == 0) {
      return (bytes >> 30) + " GiB";
    }
    if (bytes % (1L << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes % (1L << 10) == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " bytes";
  }

  @Override
  public SpanExporter createSpanExporter(SinkContext context) {
    return RotatingFileExporters.spanExporter(
        settings, context.stats(Signal.TRACES, "otlp_file_span_exporter"));
  }

  @Override
  public MetricExporter createMetricExporter(SinkContext context) {
    return RotatingFileExporters.metricExporter(
        settings, temporality, context.stats(Signal.METRICS, "otlp_file_metric_exporter"));
  }

  @Override
  public LogRecordExporter createLogRecordExporter(SinkContext context) {
    return RotatingFileExporters.logRecordExporter(
        settings, context.stats(Signal.LOGS, "otlp_file_log_exporter"));
  }

  /**
   * Measures each telemetry file with its backups (bytes now, the most the rotation policy lets
   * them use) and the disk of the directory (free and total bytes).
   */
  @Override
  public CapacityProbe capacityProbe(SinkContext context) {
    return this::sampleCapacity;
  }

  private List<CapacitySample> sampleCapacity() throws IOException {
    Path directory = settings.directory().toAbsolutePath();
    List<CapacitySample> samples = new ArrayList<>();
    List<Path> directories = new ArrayList<>();
    directories.add(directory);
    if (settings.groupBy() != null && Files.isDirectory(directory)) {
      try (Stream<Path> groups = Files.list(directory)) {
        groups.filter(Files::isDirectory).sorted().forEach(directories::add);
      }
    }
    for (Path folder : directories) {
      for (Signal signal : Signal.values()) {
        Path file = folder.resolve(RotatingFileExporters.fileName(signal));
        FileRetentionReport report = FileRetentionReport.of(file, settings.rotation());
        if (report.files() > 0) {
          samples.add(
              CapacitySample.storage(
                  directory.relativize(file.toAbsolutePath()).toString(),
                  report.bytes(),
                  report.projectedBytes(),
                  Double.NaN));
        }
      }
    }
    if (Files.isDirectory(directory)) {
      FileStore store = Files.getFileStore(directory);
      samples.add(
          CapacitySample.disk("disk:" + directory, store.getUsableSpace(), store.getTotalSpace()));
    }
    return samples;
  }

  @Override
  public String toString() {
    return "FileSink{" + description() + "}";
  }
}
