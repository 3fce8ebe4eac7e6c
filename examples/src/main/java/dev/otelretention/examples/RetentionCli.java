package dev.otelretention.examples;

import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.exporter.clickhouse.TtlMove;
import dev.otelretention.exporter.clickhouse.operations.BackupTarget;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.OperationPlan;
import dev.otelretention.exporter.clickhouse.operations.OperationResult;
import dev.otelretention.exporter.clickhouse.operations.PartitionInfo;
import dev.otelretention.exporter.clickhouse.operations.PartitionRange;
import dev.otelretention.exporter.clickhouse.operations.RestoreMode;
import dev.otelretention.exporter.clickhouse.operations.RetentionReport;
import dev.otelretention.exporter.clickhouse.operations.TableChecksum;
import dev.otelretention.exporter.clickhouse.replay.ClickHouseReplay;
import dev.otelretention.exporter.clickhouse.replay.ReplayProgress;
import dev.otelretention.exporter.clickhouse.replay.ReplayResult;
import dev.otelretention.exporter.file.FileRetentionReport;
import dev.otelretention.exporter.file.OtlpJsonFiles;
import dev.otelretention.exporter.file.RotatingFileExporters;
import dev.otelretention.exporter.file.RotationPolicy;
import dev.otelretention.sink.EnvironmentConfig;
import dev.otelretention.sink.Signal;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The operators' command line, {@code otel-retention}: retention report, partitions and checksums, backup and
 * restore, archive, moves and drops of partitions, and replay of telemetry files into ClickHouse. ClickHouse
 * settings come from the options or the {@code CLICKHOUSE_*} / {@code OTEL_RETENTION_CLICKHOUSE_*} environment, so
 * the command sees the same tables as the application. Destructive commands print their plan and do nothing
 * without {@code --confirm}; {@code --dry-run} prints the plan (with its SQL) and stops.
 */
@Command(name = "otel-retention", mixinStandardHelpOptions = true,
    subcommands = {
        RetentionCli.Report.class, RetentionCli.Partitions.class, RetentionCli.Checksums.class, RetentionCli.Backup.class,
        RetentionCli.Restore.class, RetentionCli.Archive.class, RetentionCli.Unarchive.class, RetentionCli.Move.class,
        RetentionCli.Drop.class, RetentionCli.Replay.class},
    description = "Retention operations for otel-retention telemetry.")
public final class RetentionCli implements Runnable {
  /** Exit status of a destructive command that was not confirmed. */
  static final int NOT_CONFIRMED = 3;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int status = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /** Runs the command line with the given output, returning the exit status. */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new RetentionCli());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
      line.getErr().println("error: " + e.getMessage());
      return 1;
    });
    return commandLine.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where ClickHouse is and which tables the application uses. */
  static final class ClickHouseOptions {
    @Option(names = "--clickhouse-endpoint", description = "ClickHouse HTTP(S) endpoint (default: CLICKHOUSE_ENDPOINT)")
    String endpoint;

    @Option(names = "--clickhouse-user", description = "user (default: CLICKHOUSE_USERNAME or default)")
    String user;

    @Option(names = "--clickhouse-password",
        description = "password (default: CLICKHOUSE_PASSWORD; prefer the variable, options show in process lists)")
    String password;

    @Option(names = "--database", description = "database (default: CLICKHOUSE_DATABASE or otel)")
    String database;

    boolean configured(EnvironmentConfig environment) {
      return endpoint != null || environment.isSet("clickhouse.endpoint");
    }

    ClickHouseExporters.Builder settings(EnvironmentConfig environment) {
      ClickHouseExporters.Builder settings = ClickHouseExporters.builder().configure(environment);
      if (endpoint != null) {
        settings.endpoint(endpoint);
      }
      if (user != null) {
        settings.username(user);
      }
      if (password != null) {
        settings.password(password);
      }
      if (database != null) {
        settings.database(database);
      }
      return settings;
    }

    ClickHouseOperations connect() {
      return ClickHouseOperations.connect(settings(EnvironmentConfig.fromSystem()));
    }
  }

  /** A day range. */
  static final class Range {
    @Option(names = "--since", required = true, description = "first day of the partition range, e.g. 2026-11-01")
    LocalDate since;

    @Option(names = "--until", required = true, description = "last day of the partition range (included)")
    LocalDate until;

    static PartitionRange of(Range range) {
      return range == null ? null : new PartitionRange(range.since, range.until);
    }
  }

  /** Runs a plan: shows it, then stops (dry run), refuses (destructive, not confirmed) or executes it. */
  abstract static class PlannedCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClickHouseOptions clickhouse;

    @Option(names = "--tables", split = ",", description = "tables to work on, e.g. otel_traces,otel_logs (default: all)")
    List<String> tables = new ArrayList<>();

    @Option(names = "--dry-run", description = "print what would run, with the SQL, and stop")
    boolean dryRun;

    @Option(names = "--confirm", description = "run a destructive operation (after reading its plan)")
    boolean confirm;

    abstract OperationPlan plan(ClickHouseOperations operations) throws Exception;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (ClickHouseOperations operations = clickhouse.connect()) {
        OperationPlan plan = plan(operations);
        out.print(plan.describe());
        if (dryRun || plan.isEmpty()) {
          return 0;
        }
        if (plan.destructive() && !confirm) {
          spec.commandLine().getErr().println("destructive: nothing was run; read the plan above and run again with --confirm");
          return NOT_CONFIRMED;
        }
        OperationResult result = operations.execute(plan, confirm);
        for (int i = 0; i < result.outcomes().size(); i++) {
          out.println("done " + (i + 1) + "/" + result.outcomes().size() + ": " + result.outcomes().get(i));
        }
        return 0;
      }
    }

    static BackupTarget target(String text) {
      BackupTarget target = BackupTarget.parse(text);
      String key = System.getenv("AWS_ACCESS_KEY_ID");
      String secret = System.getenv("AWS_SECRET_ACCESS_KEY");
      if (text.startsWith("s3:") && key != null && secret != null) {
        return BackupTarget.s3(text.substring(3), key, secret);
      }
      return target;
    }
  }

  /** {@code report}: the retention report of ClickHouse tables and/or rotating files. */
  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "Rows, bytes, time range, ingest per day, projected use and TTL drift of the telemetry.")
  static final class Report implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClickHouseOptions clickhouse;

    @Option(names = "--days", defaultValue = "7", description = "window of the ingest figures in days (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--files", description = "directory of rotating telemetry files to report on")
    Path files;

    @Option(names = "--json", description = "print JSON lines instead of a table")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      EnvironmentConfig environment = EnvironmentConfig.fromSystem();
      boolean haveClickHouse = clickhouse.configured(environment);
      if (!haveClickHouse && files == null) {
        spec.commandLine().getErr().println("nothing to report on: give --clickhouse-endpoint and/or --files");
        return 2;
      }
      if (haveClickHouse) {
        try (ClickHouseOperations operations = ClickHouseOperations.connect(clickhouse.settings(environment))) {
          RetentionReport report = operations.inspection().report(days);
          out.print(json ? report.toJson() + System.lineSeparator() : report.toTable());
        }
      }
      if (files != null) {
        RotationPolicy policy = RotatingFileExporters.builder().configure(environment).rotationPolicy();
        for (Signal signal : Signal.values()) {
          FileRetentionReport report = FileRetentionReport.of(files.resolve(RotatingFileExporters.fileName(signal)), policy);
          out.println(json ? report.toJson() : report.toLine());
        }
      }
      return 0;
    }
  }

  /** {@code partitions}: the partitions of one table. */
  @Command(name = "partitions", mixinStandardHelpOptions = true, description = "The partitions of a table: rows, bytes, disks.")
  static final class Partitions implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClickHouseOptions clickhouse;

    @Option(names = "--table", required = true, description = "the table, e.g. otel_traces")
    String table;

    @ArgGroup(exclusive = false)
    Range range;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (ClickHouseOperations operations = clickhouse.connect()) {
        out.println(String.format(Locale.ROOT, "%-12s %-10s %14s %16s  %s", "partition", "id", "rows", "bytes", "disks"));
        for (PartitionInfo partition : operations.inspection().partitions(table, Range.of(range))) {
          out.println(String.format(Locale.ROOT, "%-12s %-10s %,14d %,16d  %s", partition.partition(),
              partition.partitionId(), partition.rows(), partition.bytes(), String.join(",", partition.disks())));
        }
      }
      return 0;
    }
  }

  /** {@code checksums}: row counts and checksums, to compare before a backup and after a restore. */
  @Command(name = "checksums", mixinStandardHelpOptions = true,
      description = "Row count and checksum of each table, to compare before a backup and after a restore.")
  static final class Checksums implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClickHouseOptions clickhouse;

    @Option(names = "--tables", split = ",", description = "tables (default: all)")
    List<String> tables = new ArrayList<>();

    @ArgGroup(exclusive = false)
    Range range;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (ClickHouseOperations operations = clickhouse.connect()) {
        for (TableChecksum checksum : operations.inspection().checksums(tables, Range.of(range))) {
          out.println(String.format(Locale.ROOT, "%-40s %,14d rows  checksum %s", checksum.table(), checksum.rows(),
              checksum.checksum()));
        }
      }
      return 0;
    }
  }

  /** A planned command on the partitions of a day range, which it requires. */
  abstract static class PartitionCommand extends PlannedCommand {
    @ArgGroup(exclusive = false, multiplicity = "1")
    Range range;
  }

  /** {@code backup}. */
  @Command(name = "backup", mixinStandardHelpOptions = true,
      description = "Back up tables, or their partitions of a day range, to disk:NAME:PATH, file:PATH or s3:URL.")
  static final class Backup extends PlannedCommand {
    @Option(names = "--target", required = true,
        description = "disk:NAME:PATH, file:PATH or s3:URL (S3 keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)")
    String target;

    @ArgGroup(exclusive = false)
    Range range;

    @Override
    OperationPlan plan(ClickHouseOperations operations) throws Exception {
      return operations.backups().planBackup(target(target), tables, Range.of(range));
    }
  }

  /** {@code restore}. */
  @Command(name = "restore", mixinStandardHelpOptions = true,
      description = "Restore tables, or their partitions of a day range, from a backup.")
  static final class Restore extends PlannedCommand {
    @Option(names = "--target", required = true, description = "the backup: disk:NAME:PATH, file:PATH or s3:URL")
    String target;

    @Option(names = "--mode", defaultValue = "into-empty",
        description = "into-empty (refused where data exists), replace (drop first) or append (default: ${DEFAULT-VALUE})")
    String mode;

    @ArgGroup(exclusive = false)
    Range range;

    @Override
    OperationPlan plan(ClickHouseOperations operations) throws Exception {
      RestoreMode restoreMode;
      try {
        restoreMode = RestoreMode.valueOf(mode.toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--mode must be into-empty, replace or append, got '" + mode + "'", e);
      }
      return operations.backups().planRestore(target(target), tables, Range.of(range), restoreMode);
    }
  }

  /** {@code archive}. */
  @Command(name = "archive", mixinStandardHelpOptions = true,
      description = "Move the partitions of a day range into <table>_archive tables (kept without TTL).")
  static final class Archive extends PartitionCommand {
    @Override
    OperationPlan plan(ClickHouseOperations operations) throws Exception {
      return operations.partitionMoves().planArchive(tables, Range.of(range));
    }
  }

  /** {@code unarchive}. */
  @Command(name = "unarchive", mixinStandardHelpOptions = true,
      description = "Move (or with --keep-archive copy) the partitions of a day range back from the archive tables.")
  static final class Unarchive extends PartitionCommand {
    @Option(names = "--keep-archive", description = "copy the partitions back (ATTACH PARTITION ... FROM) and keep them archived")
    boolean keepArchive;

    @Override
    OperationPlan plan(ClickHouseOperations operations) throws Exception {
      return operations.partitionMoves().planUnarchive(tables, Range.of(range), keepArchive);
    }
  }

  /** {@code move}. */
  @Command(name = "move", mixinStandardHelpOptions = true,
      description = "Move the partitions of a day range to another volume or disk of the storage policy.")
  static final class Move extends PartitionCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Destination destination;

    static final class Destination {
      @Option(names = "--to-volume", description = "volume of the storage policy")
      String volume;

      @Option(names = "--to-disk", description = "disk of the storage policy")
      String disk;
    }

    @Override
    OperationPlan plan(ClickHouseOperations operations) throws Exception {
      return destination.volume != null
          ? operations.partitionMoves().planMove(tables, Range.of(range), TtlMove.Target.VOLUME, destination.volume)
          : operations.partitionMoves().planMove(tables, Range.of(range), TtlMove.Target.DISK, destination.disk);
    }
  }

  /** {@code drop}. */
  @Command(name = "drop", mixinStandardHelpOptions = true, description = "Drop the partitions of a day range.")
  static final class Drop extends PartitionCommand {
    @Override
    OperationPlan plan(ClickHouseOperations operations) throws Exception {
      return operations.partitionMoves().planDrop(tables, Range.of(range));
    }
  }

  /** {@code replay}. */
  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "Load telemetry files (current and rotated, compressed or not) into ClickHouse, each file once.")
  static final class Replay implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClickHouseOptions clickhouse;

    @Option(names = "--files", description = "directory of rotating files (traces.jsonl, metrics.jsonl, logs.jsonl)")
    Path directory;

    @Option(names = "--file", description = "an active file, replayed with its backups (repeatable)")
    List<Path> activeFiles = new ArrayList<>();

    @Option(names = "--dry-run", description = "say what would be loaded, load nothing")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      List<Path> files = new ArrayList<>();
      if (directory != null) {
        for (Signal signal : Signal.values()) {
          files.addAll(OtlpJsonFiles.files(directory.resolve(RotatingFileExporters.fileName(signal))));
        }
      }
      for (Path active : activeFiles) {
        files.addAll(OtlpJsonFiles.files(active));
      }
      if (directory == null && activeFiles.isEmpty()) {
        err.println("nothing to replay: give --files DIRECTORY and/or --file PATH");
        return 2;
      }
      ClickHouseExporters.Builder settings = clickhouse.settings(EnvironmentConfig.fromSystem());
      ReplayResult result;
      try (ClickHouseReplay replay = ClickHouseReplay.builder(settings).listener(p -> progress(err, p)).build()) {
        result = dryRun ? replay.dryRun(files) : replay.replay(files);
      }
      err.println();
      for (ReplayResult.FileOutcome file : result.files()) {
        out.println(String.format(Locale.ROOT, "%-8s %-60s %,8d records %,10d items%s", file.status().name().toLowerCase(Locale.ROOT),
            file.file().getFileName(), file.records(), file.items(),
            file.alreadyLoaded() > 0 ? String.format(Locale.ROOT, " (%,d records loaded before)", file.alreadyLoaded()) : ""));
        for (String line : file.skippedLines()) {
          out.println("         skipped " + line);
        }
      }
      out.println(String.format(Locale.ROOT, "%,d items loaded from %d file(s)", result.items(), result.files().size()));
      return 0;
    }

    private static void progress(PrintWriter err, ReplayProgress progress) {
      int width = 30;
      int filled = (int) Math.round(progress.fraction() * width);
      err.print(String.format(Locale.ROOT, "\r[%s%s] %3d%%  file %d/%d  %,d items", "#".repeat(filled),
          " ".repeat(width - filled), Math.round(progress.fraction() * 100), progress.fileIndex(), progress.files(),
          progress.items()));
      err.flush();
    }
  }

  private RetentionCli() {}
}
