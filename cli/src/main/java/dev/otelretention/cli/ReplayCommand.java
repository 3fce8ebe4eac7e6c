package dev.otelretention.cli;

import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.exporter.file.OtlpJsonFiles;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.replay.ClickHouseReplay;
import dev.otelretention.replay.ReplayProgress;
import dev.otelretention.replay.ReplayResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code replay}: telemetry files into ClickHouse, each file once, with a progress bar on the error
 * stream.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Load telemetry files (current and rotated, compressed or not) into ClickHouse, each file once.")
final class ReplayCommand implements Callable<Integer> {
  private static final int PROGRESS_WIDTH = 30;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ClickHouseOptions clickhouse;

  @Option(
      names = "--files",
      description = "directory of rotating files (traces.jsonl, metrics.jsonl, logs.jsonl)")
  Path directory;

  @Option(names = "--file", description = "an active file, replayed with its backups (repeatable)")
  List<Path> activeFiles = new ArrayList<>();

  @Option(names = "--dry-run", description = "say what would be loaded, load nothing")
  boolean dryRun;

  @Option(names = "--json", description = "print one JSON object per file instead of a table")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (directory == null && activeFiles.isEmpty()) {
      err.println("nothing to replay: give --files DIRECTORY and/or --file PATH");
      return OtelRetentionCli.USAGE;
    }
    List<Path> files = new ArrayList<>();
    if (directory != null) {
      for (Signal signal : Signal.values()) {
        files.addAll(
            OtlpJsonFiles.files(directory.resolve(RotatingFileExporters.fileName(signal))));
      }
    }
    for (Path active : activeFiles) {
      files.addAll(OtlpJsonFiles.files(active));
    }
    ClickHouseExporters.Builder settings = clickhouse.settings(EnvironmentConfig.fromSystem());
    ReplayResult result;
    try (ClickHouseReplay replay =
        ClickHouseReplay.builder(settings).listener(p -> progress(err, p)).build()) {
      result = dryRun ? replay.dryRun(files) : replay.replay(files);
    }
    err.println();
    if (json) {
      for (ReplayResult.FileOutcome file : result.files()) {
        out.println(
            JsonLine.of("file")
                .with("file", file.file().toString())
                .with("status", file.status().name().toLowerCase(Locale.ROOT))
                .with("records", file.records())
                .with("items", file.items())
                .with("loadedBefore", file.alreadyLoaded())
                .with("skippedLines", file.skippedLines()));
      }
      return OtelRetentionCli.OK;
    }
    for (ReplayResult.FileOutcome file : result.files()) {
      out.println(
          String.format(
              Locale.ROOT,
              "%-8s %-60s %,8d records %,10d items%s",
              file.status().name().toLowerCase(Locale.ROOT),
              file.file().getFileName(),
              file.records(),
              file.items(),
              file.alreadyLoaded() > 0
                  ? String.format(Locale.ROOT, " (%,d records loaded before)", file.alreadyLoaded())
                  : ""));
      for (String line : file.skippedLines()) {
        out.println("         skipped " + line);
      }
    }
    out.println(
        String.format(
            Locale.ROOT,
            "%,d items loaded from %d file(s)",
            result.items(),
            result.files().size()));
    return OtelRetentionCli.OK;
  }

  private static void progress(PrintWriter err, ReplayProgress progress) {
    int filled = (int) Math.round(progress.fraction() * PROGRESS_WIDTH);
    err.print(
        String.format(
            Locale.ROOT,
            "\r[%s%s] %3d%%  file %d/%d  %,d items",
            "#".repeat(filled),
            " ".repeat(PROGRESS_WIDTH - filled),
            Math.round(progress.fraction() * 100),
            progress.fileIndex(),
            progress.files(),
            progress.items()));
    err.flush();
  }
}
