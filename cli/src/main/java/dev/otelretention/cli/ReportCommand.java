package dev.otelretention.cli;

import dev.otelretention.capacity.CapacityThresholds;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.RetentionReport;
import dev.otelretention.exporter.clickhouse.operations.RetentionReport.SourceIngest;
import dev.otelretention.exporter.clickhouse.operations.TableInspection.PartitionInfo;
import dev.otelretention.exporter.file.FileRetentionReport;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.exporter.file.RotationPolicy;
import dev.otelretention.sink.CapacityProbe.CapacitySample;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code report}: the retention report of the ClickHouse tables and/or of a directory of rotating
 * files.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Rows, bytes, time range, ingest per day, projected use and TTL drift of the telemetry.")
final class ReportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ClickHouseOptions clickhouse;

  @Option(
      names = "--days",
      defaultValue = "7",
      description = "window of the ingest figures in days (default: ${DEFAULT-VALUE})")
  int days;

  @Option(names = "--files", description = "directory of rotating telemetry files to report on")
  Path files;

  @Option(names = "--json", description = "print JSON lines instead of a table")
  boolean json;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description =
          "write the report as one self-contained HTML page (charts, partitions, alerts) to FILE"
              + " instead of printing it")
  Path html;

  @Option(
      names = "--by-source",
      description =
          "also list rows per service, instance (service.instance.id) and host in each table over"
              + " the window, most first")
  boolean bySource;

  @Option(
      names = "--top",
      defaultValue = "10",
      description = "with --by-source, the sources listed per table (default: ${DEFAULT-VALUE})")
  int top;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    EnvironmentConfig environment = EnvironmentConfig.fromSystem();
    boolean haveClickHouse = clickhouse.configured(environment);
    if (!haveClickHouse && files == null) {
      spec.commandLine()
          .getErr()
          .println("nothing to report on: give --clickhouse-endpoint and/or --files");
      return OtelRetentionCli.USAGE;
    }
    if (html != null) {
      return writeHtml(environment, haveClickHouse);
    }
    // the files first: they need no connection, so an unreachable server does not hide them
    if (files != null) {
      for (FileRetentionReport report : fileReports(environment)) {
        out.println(json ? report.toJson() : report.toLine());
      }
      out.flush();
    }
    if (haveClickHouse) {
      try (ClickHouseOperations operations =
          ClickHouseOperations.connectReadOnly(clickhouse.settings(environment))) {
        RetentionReport report = operations.inspection().report(days);
        out.print(json ? report.toJson() + System.lineSeparator() : report.toTable());
        if (bySource) {
          List<SourceIngest> sources = operations.inspection().ingestBySource(days, top);
          if (json) {
            sources.forEach(source -> out.println(source.toJson()));
          } else {
            out.println();
            out.print(SourceIngest.toTable(sources));
          }
        }
      }
    }
    return OtelRetentionCli.OK;
  }

  /** The report of each signal's rotating files, under the environment's rotation policy. */
  private List<FileRetentionReport> fileReports(EnvironmentConfig environment) throws IOException {
    RotationPolicy policy = RotatingFileExporters.builder().configure(environment).rotationPolicy();
    List<FileRetentionReport> reports = new ArrayList<>();
    for (Signal signal : Signal.values()) {
      reports.add(
          FileRetentionReport.of(files.resolve(RotatingFileExporters.fileName(signal)), policy));
    }
    return reports;
  }

  private int writeHtml(EnvironmentConfig environment, boolean haveClickHouse) throws Exception {
    HtmlReport.FileSets fileSets = null;
    if (files != null) {
      List<FileRetentionReport> reports = fileReports(environment);
      Map<String, FileActivity> activity = new LinkedHashMap<>();
      if (Files.isDirectory(files)) {
        for (Signal signal : Signal.values()) {
          String name = RotatingFileExporters.fileName(signal);
          activity.put(name, FileActivity.read(files.resolve(name), signal));
        }
      }
      long free = Files.isDirectory(files) ? Files.getFileStore(files).getUsableSpace() : -1;
      fileSets = new HtmlReport.FileSets(files.toString(), reports, activity, free, days);
    }
    HtmlReport.Tables tables = null;
    if (haveClickHouse) {
      try (ClickHouseOperations operations =
          ClickHouseOperations.connectReadOnly(clickhouse.settings(environment))) {
        RetentionReport report = operations.inspection().report(days);
        Map<String, List<PartitionInfo>> partitions = new LinkedHashMap<>();
        Map<String, List<PartitionInfo>> archived = new LinkedHashMap<>();
        for (RetentionReport.TableReport table : report.tables()) {
          if (table.exists()) {
            partitions.put(table.table(), operations.inspection().partitions(table.table(), null));
            archived.put(
                table.table(), operations.inspection().archivedPartitions(table.table(), null));
          }
        }
        List<CapacitySample> disks = new ArrayList<>();
        List<CapacitySample> stores = new ArrayList<>();
        for (CapacitySample sample : operations.inspection().capacitySamples(days)) {
          (sample.store().startsWith("disk:") ? disks : stores).add(sample);
        }
        tables = new HtmlReport.Tables(report, partitions, archived, disks, stores);
      }
    }
    String page =
        HtmlReport.render(
            tables, fileSets, CapacityThresholds.fromEnvironment(environment), Instant.now());
    Files.deleteIfExists(html);
    if (html.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          html, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(html, page, StandardCharsets.UTF_8);
    spec.commandLine().getErr().println("report written to " + html);
    return OtelRetentionCli.OK;
  }
}
