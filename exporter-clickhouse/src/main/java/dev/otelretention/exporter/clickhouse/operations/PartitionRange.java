package dev.otelretention.exporter.clickhouse.operations;

import java.time.LocalDate;
import java.util.Objects;

/**
 * The days {@code from} to {@code to}, both included: an operation on a partition range takes every
 * partition whose days overlap it (a day of the daily tables, the week of the trace-id table, the
 * month of the hourly rollups).
 *
 * @param from the first day
 * @param to the last day, not before {@code from}
 */
public record PartitionRange(LocalDate from, LocalDate to) {
  /** Checks the bounds. */
  public PartitionRange {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException(
          "a partition range ends before it starts: " + from + " to " + to);
    }
  }

  /** Whether the days {@code first} to {@code last} overlap this range. */
  boolean overlaps(LocalDate first, LocalDate last) {
    return !last.isBefore(from) && !first.isAfter(to);
  }

  @Override
  public String toString() {
    return from + " to " + to;
  }
}
