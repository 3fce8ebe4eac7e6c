package dev.otelretention.cli;

import dev.otelretention.exporter.clickhouse.operations.PartitionRange;
import java.time.LocalDate;
import picocli.CommandLine.Option;

/** A range of days, both included, as {@code --since} and {@code --until}. */
final class DayRange {
  @Option(
      names = "--since",
      required = true,
      description = "first day of the partition range, e.g. 2026-11-01")
  LocalDate since;

  @Option(
      names = "--until",
      required = true,
      description = "last day of the partition range (included)")
  LocalDate until;

  /** The partition range of {@code range}, {@code null} when the options were not given. */
  static PartitionRange of(DayRange range) {
    return range == null ? null : new PartitionRange(range.since, range.until);
  }
}
