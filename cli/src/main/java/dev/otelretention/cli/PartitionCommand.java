package dev.otelretention.cli;

import picocli.CommandLine.ArgGroup;

/** A planned command on the partitions of a range of days, which it requires. */
abstract class PartitionCommand extends PlannedCommand {
  @ArgGroup(exclusive = false, multiplicity = "1")
  DayRange range;
}
