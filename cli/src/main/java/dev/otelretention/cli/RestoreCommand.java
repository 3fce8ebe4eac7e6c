package dev.otelretention.cli;

import dev.otelretention.exporter.clickhouse.operations.BackupPlanner.RestoreMode;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.OperationPlan;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code restore}: tables, or their partitions of a range of days, from a backup. */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = "Restore tables, or their partitions of a day range, from a backup.")
final class RestoreCommand extends PlannedCommand {
  @Option(
      names = "--target",
      required = true,
      description = "the backup: disk:NAME:PATH, file:PATH or s3:URL")
  String target;

  @Option(
      names = "--mode",
      defaultValue = "into-empty",
      description =
          "into-empty (refused where data exists), replace (drop first) or append (default: ${DEFAULT-VALUE})")
  String mode;

  @ArgGroup(exclusive = false)
  DayRange range;

  @Override
  OperationPlan plan(ClickHouseOperations operations) throws Exception {
    RestoreMode restoreMode;
    try {
      restoreMode = RestoreMode.valueOf(mode.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--mode must be into-empty, replace or append, got '" + mode + "'", e);
    }
    return operations
        .backups()
        .planRestore(BackupCommand.target(target), tables, DayRange.of(range), restoreMode);
  }
}
