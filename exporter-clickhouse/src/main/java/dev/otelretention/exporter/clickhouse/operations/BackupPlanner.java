package dev.otelretention.exporter.clickhouse.operations;

import dev.otelretention.export.ExportException;
import dev.otelretention.exporter.clickhouse.internal.schema.Identifiers;
import dev.otelretention.exporter.clickhouse.internal.schema.ManagedTable;
import dev.otelretention.exporter.clickhouse.operations.TableInspection.PartitionInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Plans backups and restores of the telemetry tables, whole or by partition, to and from a {@link
 * BackupTarget}. Obtained from {@link ClickHouseOperations#backups()}; the plans run with {@link
 * ClickHouseOperations#execute(OperationPlan, boolean)}, which follows each backup or restore in
 * {@code system.backups} until it ends.
 */
public final class BackupPlanner {
  private final OperationTables tables;

  BackupPlanner(OperationTables tables) {
    this.tables = tables;
  }

  /**
   * Plans a backup of {@code names} (empty for all), or of their partitions in {@code range}, to
   * {@code target}. Not destructive; the engine refuses a target that already holds a backup.
   *
   * @throws ExportException if listing the tables or partitions fails
   */
  public OperationPlan planBackup(BackupTarget target, List<String> names, PartitionRange range)
      throws ExportException {
    Objects.requireNonNull(target, "target");
    List<String> items = new ArrayList<>();
    long partitions = 0;
    for (ManagedTable table : tables.existing(names)) {
      String item = "TABLE " + tables.storage(table);
      if (range != null) {
        List<String> partitionNames = new ArrayList<>();
        for (PartitionInfo partition : tables.partitions(table, range)) {
          partitionNames.add(Identifiers.literal(partition.partition()));
        }
        if (partitionNames.isEmpty()) {
          continue;
        }
        partitions += partitionNames.size();
        item += " PARTITIONS " + String.join(", ", partitionNames);
      }
      items.add(item);
    }
    String what =
        items.size()
            + " table(s)"
            + (range == null ? "" : " (" + partitions + " partition(s) of " + range + ")");
    OperationPlan.Builder plan =
        OperationPlan.builder(
                "back up " + what + " of " + tables.schema().database() + " to " + target, false)
            .secret(target.secret());
    if (!items.isEmpty()) {
      plan.backupOrRestore(
          "BACKUP " + String.join(", ", items) + tables.onCluster() + " TO " + target.sql());
    }
    return plan.build();
  }

  /**
   * Plans a restore of {@code names} (empty for every table of this configuration), or of their
   * partitions in {@code range}, from the backup at {@code source}. {@link RestoreMode#REPLACE}
   * drops the tables (or the partitions of the range) first, {@link RestoreMode#APPEND} adds to
   * what is there; both are destructive.
   *
   * @throws ExportException if listing the tables or partitions fails
   */
  public OperationPlan planRestore(
      BackupTarget source, List<String> names, PartitionRange range, RestoreMode mode)
      throws ExportException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(mode, "mode");
    List<ManagedTable> selected = tables.resolve(names);
    String what =
        selected.size() + " table(s)" + (range == null ? "" : " (partitions of " + range + ")");
    OperationPlan.Builder plan =
        OperationPlan.builder(
                "restore "
                    + what
                    + " of "
                    + tables.schema().database()
                    + " from "
                    + source
                    + (mode == RestoreMode.INTO_EMPTY
                        ? ""
                        : mode == RestoreMode.REPLACE
                            ? ", replacing what is there"
                            : ", adding to what is there"),
                mode != RestoreMode.INTO_EMPTY)
            .secret(source.secret());
    List<String> items = new ArrayList<>();
    for (ManagedTable table : selected) {
      String item = "TABLE " + tables.storage(table);
      if (range != null) {
        List<String> partitionNames = new ArrayList<>();
        for (String name : table.partitionUnit().names(range.from(), range.to())) {
          partitionNames.add(Identifiers.literal(name));
        }
        item += " PARTITIONS " + String.join(", ", partitionNames);
      }
      items.add(item);
      if (mode == RestoreMode.REPLACE) {
        if (range == null) {
          plan.statement(
              "DROP TABLE IF EXISTS " + tables.storage(table) + tables.onCluster() + " SYNC");
        } else {
          for (PartitionInfo partition : tables.partitions(table, range)) {
            plan.statement(
                tables.alterPartition(tables.storage(table), "DROP", partition.partitionId(), ""));
          }
        }
      }
      if (!table.ttl().isZero()) {
        plan.warning(OperationTables.ttlWarning(table, "restored rows"));
      }
    }
    if (mode == RestoreMode.REPLACE && range == null) {
      plan.warning(
          "inserts into a table fail while it is dropped and restored; exporters retry them");
    }
    String settings =
        mode == RestoreMode.APPEND || range != null
            ? " SETTINGS allow_non_empty_tables = true"
            : "";
    if (mode == RestoreMode.INTO_EMPTY && range != null) {
      plan.warning(
          "only partitions of the range are restored; the engine adds them to whatever the tables hold");
    }
    plan.backupOrRestore(
        "RESTORE "
            + String.join(", ", items)
            + tables.onCluster()
            + " FROM "
            + source.sql()
            + settings);
    return plan.build();
  }

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
}
