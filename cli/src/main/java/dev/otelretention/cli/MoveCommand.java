package dev.otelretention.cli;

import dev.otelretention.exporter.clickhouse.TtlMove;
import dev.otelretention.exporter.clickhouse.operations.ClickHouseOperations;
import dev.otelretention.exporter.clickhouse.operations.OperationPlan;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code move}: partitions of a range of days to another volume or disk. */
@Command(
    name = "move",
    mixinStandardHelpOptions = true,
    description =
        "Move the partitions of a day range to another volume or disk of the storage policy.")
final class MoveCommand extends PartitionCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Destination destination;

  /** Exactly one of a volume and a disk. */
  static final class Destination {
    @Option(names = "--to-volume", description = "volume of the storage policy")
    String volume;

    @Option(names = "--to-disk", description = "disk of the storage policy")
    String disk;
  }

  @Override
  OperationPlan plan(ClickHouseOperations operations) throws Exception {
    return destination.volume != null
        ? operations
            .partitionMoves()
            .planMove(tables, DayRange.of(range), TtlMove.Target.VOLUME, destination.volume)
        : operations
            .partitionMoves()
            .planMove(tables, DayRange.of(range), TtlMove.Target.DISK, destination.disk);
  }
}
