package dev.otelretention.examples;

import dev.otelretention.HealthReport;
import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.file.OtlpJsonFiles;
import dev.otelretention.exporter.file.OtlpJsonRecord;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.logs.ApplicationLogs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The embedded default: a small simulated web shop whose traces, metrics and logs go to rotating
 * OTLP/JSON files with zero configuration. Run it for {@code -Ddemo.seconds=N} seconds (default
 * 10).
 *
 * <p>Everything comes from the environment ({@code OTEL_RETENTION_*}, {@code OTEL_SERVICE_NAME});
 * the demo only shrinks the file size limit to 1 MiB, unless set, so that rotation shows within
 * seconds.
 */
public final class FileDemo {
  private FileDemo() {}

  /** Runs the demo; {@code -Ddemo.seconds} sets how long. */
  public static void main(String[] args) throws IOException {
    long seconds = Long.getLong("demo.seconds", 10);
    if (System.getProperty(RotatingFileExporters.CONFIG_PREFIX + "max-size") == null
        && System.getenv("OTEL_RETENTION_FILE_MAX_SIZE") == null) {
      System.setProperty(RotatingFileExporters.CONFIG_PREFIX + "max-size", "1MiB");
    }
    if (System.getProperty("otel.service.name") == null
        && System.getenv("OTEL_SERVICE_NAME") == null) {
      System.setProperty("otel.service.name", "demo-shop");
    }
    run(Duration.ofSeconds(seconds), System.out);
  }

  /** What a run produced. */
  record Summary(long requests, HealthReport health, Path directory) {}

  static Summary run(Duration duration, PrintStream out) throws IOException {
    Path directory =
        Path.of(
                EnvironmentConfig.fromSystem()
                    .get(
                        RotatingFileExporters.CONFIG_PREFIX + "directory",
                        RotatingFileExporters.DEFAULT_DIRECTORY))
            .toAbsolutePath();
    out.println("otel-retention demo: simulating a shop for " + duration.toSeconds() + " s");
    long requests;
    HealthReport health;
    // the environment picks the sink; the shop's Logback lines join the telemetry, correlated with
    // its spans
    try (TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .captureApplicationLogs(ApplicationLogs.Framework.LOGBACK)
            .build()) {
      requests =
          ShopSimulation.run(
              telemetry.openTelemetry(), duration, () -> telemetry.flush(Duration.ofSeconds(30)));
      telemetry.flush(Duration.ofSeconds(10));
      health = telemetry.health();
    }
    report(out, requests, health, directory);
    return new Summary(requests, health, directory);
  }

  private static void report(PrintStream out, long requests, HealthReport health, Path directory)
      throws IOException {
    out.println();
    out.println("simulated " + requests + " requests");
    for (SinkHealth sink : health.sinks()) {
      out.printf(
          "  %-13s exported %,9d %s, dropped %d%n",
          sink.component(), sink.exported(), itemName(sink.signal()), sink.dropped());
    }
    out.println();
    out.println("files in " + directory + ":");
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.sorted().toList()) {
        out.printf("  %-58s %,11d bytes%n", file.getFileName(), Files.size(file));
      }
    }
    Path traces = directory.resolve(RotatingFileExporters.fileName(Signal.TRACES));
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(traces)) {
      long lines = 0;
      String first = null;
      for (OtlpJsonRecord record : (Iterable<OtlpJsonRecord>) () -> reader) {
        lines++;
        if (first == null) {
          first = record.json();
        }
      }
      out.println();
      out.println(
          "traces: "
              + lines
              + " OTLP/JSON lines readable across "
              + OtlpJsonFiles.files(traces).size()
              + " files (the retention policy keeps the newest 5 backups of each file)");
      if (first != null) {
        out.println(
            "first line starts: " + first.substring(0, Math.min(160, first.length())) + "...");
      }
    }
  }

  private static String itemName(Signal signal) {
    return switch (signal) {
      case TRACES -> "spans";
      case METRICS -> "metric points";
      default -> "log records";
    };
  }
}
