package dev.otelretention.cli;

import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.OperationPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code unarchive}: partitions of a range of days back from the archive tables. */
@Command(
    name = "unarchive",
    mixinStandardHelpOptions = true,
    description =
        "Move (or with --keep-archive copy) the partitions of a day range back from the archive tables.")
final class UnarchiveCommand extends PartitionCommand {
  @Option(
      names = "--keep-archive",
      description = "copy the partitions back (ATTACH PARTITION ... FROM) and keep them archived")
  boolean keepArchive;

  @Override
  OperationPlan plan(ClickHouseOperations operations) throws Exception {
    return operations.partitionMoves().planUnarchive(tables, DayRange.of(range), keepArchive);
  }
}
