package dev.otelretention.exporter.clickhouse.operations;

/** What a restore does with data already in the tables. */
public enum RestoreMode {
  /**
   * Restore only into tables (or partitions) that are missing or empty; the engine refuses
   * otherwise (default).
   */
  INTO_EMPTY,
  /** Drop the tables (or the partitions of the range) first, then restore them: destructive. */
  REPLACE,
  /**
   * Add the backed-up rows to what is there, which duplicates rows present in both: destructive.
   */
  APPEND
}
