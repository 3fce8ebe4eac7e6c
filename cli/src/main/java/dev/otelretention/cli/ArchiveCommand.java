package dev.otelretention.cli;

import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.OperationPlan;
import picocli.CommandLine.Command;

/** {@code archive}: partitions of a range of days into archive tables. */
@Command(
    name = "archive",
    mixinStandardHelpOptions = true,
    description =
        "Move the partitions of a day range into <table>_archive tables (kept without TTL).")
final class ArchiveCommand extends PartitionCommand {
  @Override
  OperationPlan plan(ClickHouseOperations operations) throws Exception {
    return operations.partitionMoves().planArchive(tables, DayRange.of(range));
  }
}
