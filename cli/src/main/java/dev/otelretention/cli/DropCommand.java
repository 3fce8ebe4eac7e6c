package dev.otelretention.cli;

import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.OperationPlan;
import picocli.CommandLine.Command;

/** {@code drop}: partitions of a range of days, for good. */
@Command(
    name = "drop",
    mixinStandardHelpOptions = true,
    description = "Drop the partitions of a day range.")
final class DropCommand extends PartitionCommand {
  @Override
  OperationPlan plan(ClickHouseOperations operations) throws Exception {
    return operations.partitionMoves().planDrop(tables, DayRange.of(range));
  }
}
