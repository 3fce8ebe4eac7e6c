package dev.otelretention.exporter.clickhouse.operations;

import java.time.LocalDate;
import java.util.List;

/**
 * One partition of a table, from the server's {@code system.parts}.
 *
 * @param table the table name
 * @param partition the partition as the server shows it, e.g. {@code 2026-11-24} or {@code 202611}
 * @param partitionId its id, as used by {@code PARTITION ID}
 * @param firstDay the first day it covers
 * @param lastDay the last day it covers
 * @param rows rows in its active parts
 * @param bytes bytes on disk of its active parts
 * @param disks the disks its parts are on
 */
public record PartitionInfo(
    String table,
    String partition,
    String partitionId,
    LocalDate firstDay,
    LocalDate lastDay,
    long rows,
    long bytes,
    List<String> disks) {
  /** Copies the list. */
  public PartitionInfo {
    disks = List.copyOf(disks);
  }
}
