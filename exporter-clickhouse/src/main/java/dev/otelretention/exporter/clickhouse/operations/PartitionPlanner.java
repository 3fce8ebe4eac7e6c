package dev.otelretention.exporter.clickhouse.operations;

import dev.otelretention.export.ExportException;
import dev.otelretention.exporter.clickhouse.TtlMove;
import dev.otelretention.exporter.clickhouse.internal.schema.Identifiers;
import dev.otelretention.exporter.clickhouse.internal.schema.ManagedTable;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import dev.otelretention.exporter.clickhouse.internal.schema.TtlRetention;
import dev.otelretention.exporter.clickhouse.operations.TableInspection.PartitionInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Plans moving partitions of the telemetry tables: into archive tables and back, to another volume
 * or disk, or out of existence, and changing how long the tables keep them. Obtained from {@link
 * ClickHouseOperations#partitionMoves()}; every plan here but a longer TTL is destructive and runs
 * only confirmed through {@link ClickHouseOperations#execute(OperationPlan, boolean)}.
 */
public final class PartitionPlanner {
  private final OperationTables tables;

  PartitionPlanner(OperationTables tables) {
    this.tables = tables;
  }

  /**
   * Plans moving the partitions of {@code range} out of {@code names} (empty for all) into archive
   * tables ({@code <table>_archive}, same structure, no TTL; created when missing). Destructive:
   * queries of the live tables no longer see the rows.
   *
   * @throws ExportException if listing the tables or partitions fails
   */
  public OperationPlan planArchive(List<String> names, PartitionRange range)
      throws ExportException {
    Objects.requireNonNull(range, "range");
    OperationPlan.Builder plan =
        OperationPlan.builder(
            "move partitions of " + range + " into archive tables (<table>_archive)", true);
    for (ManagedTable table : tables.existing(names)) {
      List<PartitionInfo> partitions = tables.partitions(table, range);
      if (partitions.isEmpty()) {
        continue;
      }
      String archive = archive(table);
      boolean exists = tables.exists(table.storageName() + "_archive");
      if (!exists) {
        plan.statement(
            "CREATE TABLE IF NOT EXISTS "
                + archive
                + tables.onCluster()
                + " AS "
                + tables.storage(table));
      }
      if ((!exists && !table.ttlExpression().isEmpty())
          || (exists && !tables.live().ttl(table.storageName() + "_archive").isEmpty())) {
        plan.statement("ALTER TABLE " + archive + tables.onCluster() + " REMOVE TTL");
      }
      for (PartitionInfo partition : partitions) {
        plan.statement(
            tables.alterPartition(
                tables.storage(table), "MOVE", partition.partitionId(), " TO TABLE " + archive));
      }
    }
    if (!plan.build().isEmpty()) {
      plan.warning("archive tables keep their rows until dropped: they have no TTL");
    }
    return plan.build();
  }

  /**
   * Plans moving the partitions of {@code range} back from the archive tables into {@code names}
   * (empty for all). Destructive in that it changes what the live tables hold.
   *
   * @throws ExportException if listing the tables or partitions fails
   */
  public OperationPlan planUnarchive(List<String> names, PartitionRange range)
      throws ExportException {
    return planUnarchive(names, range, false);
  }

  /**
   * Plans bringing the partitions of {@code range} back from the archive tables into {@code names}
   * (empty for all): moved ({@code MOVE PARTITION ... TO TABLE}), or with {@code keepArchive}
   * copied ({@code ATTACH PARTITION ... FROM}), so that the archive still holds them. Destructive
   * in that it changes what the live tables hold; a partition the live table still has rows in gets
   * them twice when copied, and the plan warns of it.
   *
   * @throws ExportException if listing the tables or partitions fails
   */
  public OperationPlan planUnarchive(List<String> names, PartitionRange range, boolean keepArchive)
      throws ExportException {
    Objects.requireNonNull(range, "range");
    OperationPlan.Builder plan =
        OperationPlan.builder(
            (keepArchive ? "copy" : "move")
                + " partitions of "
                + range
                + " from the archive tables back into the live tables",
            true);
    for (ManagedTable table : tables.existing(names)) {
      if (!tables.exists(table.storageName() + "_archive")) {
        continue;
      }
      String archive = archive(table);
      String live = tables.storage(table);
      List<String> liveIds = new ArrayList<>();
      for (PartitionInfo partition : tables.partitions(table, range)) {
        liveIds.add(partition.partitionId());
      }
      for (PartitionInfo partition :
          tables.partitions(table, table.storageName() + "_archive", range)) {
        if (keepArchive) {
          plan.statement(
              tables.alterPartition(live, "ATTACH", partition.partitionId(), " FROM " + archive));
        } else {
          plan.statement(
              tables.alterPartition(archive, "MOVE", partition.partitionId(), " TO TABLE " + live));
        }
        if (liveIds.contains(partition.partitionId())) {
          plan.warning(
              table.name()
                  + " already has rows in partition "
                  + partition.partition()
                  + ": they stay, and the archived rows are added to them");
        }
      }
      if (!table.ttl().isZero()) {
        plan.warning(OperationTables.ttlWarning(table, "rows"));
      }
    }
    return plan.build();
  }

  /**
   * Plans moving the partitions of {@code range} of {@code names} (empty for all) to another volume
   * or disk of their storage policy. Destructive in that the data changes place.
   *
   * @throws ExportException if listing the tables or partitions fails
   */
  public OperationPlan planMove(
      List<String> names, PartitionRange range, TtlMove.Target target, String name)
      throws ExportException {
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(target, "target");
    Identifiers.validate(target == TtlMove.Target.VOLUME ? "volume" : "disk", name);
    String where = target.name() + " " + Identifiers.literal(name);
    OperationPlan.Builder plan =
        OperationPlan.builder("move partitions of " + range + " to " + where, true);
    for (ManagedTable table : tables.existing(names)) {
      for (PartitionInfo partition : tables.partitions(table, range)) {
        plan.statement(
            tables.alterPartition(
                tables.storage(table), "MOVE", partition.partitionId(), " TO " + where));
      }
    }
    return plan.build();
  }

  /**
   * Plans dropping the partitions of {@code range} of {@code names} (empty for all). Destructive.
   *
   * @throws ExportException if listing the tables or partitions fails
   */
  public OperationPlan planDrop(List<String> names, PartitionRange range) throws ExportException {
    Objects.requireNonNull(range, "range");
    OperationPlan.Builder plan = OperationPlan.builder("drop partitions of " + range, true);
    long rows = 0;
    for (ManagedTable table : tables.existing(names)) {
      for (PartitionInfo partition : tables.partitions(table, range)) {
        rows += partition.rows();
        plan.statement(
            tables.alterPartition(tables.storage(table), "DROP", partition.partitionId(), ""));
      }
    }
    if (rows > 0) {
      plan.warning(String.format(Locale.ROOT, "%,d rows are deleted for good", rows));
    }
    return plan.build();
  }

  /**
   * Plans giving {@code names} (empty for all) the retention {@code ttl} (zero: keep forever),
   * keeping the tables' moves to other volumes or disks. Only the operator shortens a table every
   * writer shares: an exporter keeps a longer live TTL unless told it may shorten. Shortening is
   * destructive: the plan names each partition dropped at once, all of whose rows are past the new
   * TTL, with its rows, and counts the older rows of partitions that still hold newer ones, which
   * go once their partition has expired whole. Lengthening is not destructive.
   *
   * @throws IllegalArgumentException if {@code ttl} is negative or under a second
   * @throws ExportException if reading the tables fails
   */
  public OperationPlan planTtl(List<String> names, Duration ttl) throws ExportException {
    TtlRetention.check(ttl);
    String retention = Schema.describeRetention(ttl);
    boolean shortens = false;
    List<String> statements = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (ManagedTable table : tables.existing(names)) {
      String current = tables.live().ttl(table.storageName());
      List<String> clauses = new ArrayList<>(TtlRetention.keepingClauses(current));
      if (!ttl.isZero()) {
        clauses.add(table.ttlTime() + " + " + Schema.interval(ttl));
      }
      String wanted = String.join(", ", clauses);
      if (TtlRetention.sameTtl(current, wanted)) {
        continue;
      }
      Duration live = TtlRetention.of(current);
      if (TtlRetention.shortens(ttl, live)) {
        shortens = true;
        long droppedRows = 0;
        for (PartitionInfo partition : tables.partitionsPast(table, ttl)) {
          droppedRows += partition.rows();
          statements.add(
              tables.alterPartition(tables.storage(table), "DROP", partition.partitionId(), ""));
          warnings.add(
              String.format(
                  Locale.ROOT,
                  "%s: partition %s goes now, all %,d rows of it older than %s",
                  table.name(),
                  partition.partition(),
                  partition.rows(),
                  retention));
        }
        long older = tables.rowsOlderThan(table, ttl);
        warnings.add(
            String.format(
                Locale.ROOT,
                "%s keeps rows for %s instead of %s: %,d rows are deleted for good, %,d of them now"
                    + " and the rest once their partition holds nothing newer",
                table.name(),
                retention,
                TtlRetention.describe(live),
                older,
                Math.min(older, droppedRows)));
      }
      statements.add(
          "ALTER TABLE "
              + tables.storage(table)
              + tables.onCluster()
              + (wanted.isEmpty() ? " REMOVE TTL" : " MODIFY TTL " + wanted));
    }
    OperationPlan.Builder plan =
        OperationPlan.builder("set the retention to " + retention, shortens);
    warnings.forEach(plan::warning);
    statements.forEach(plan::statement);
    return plan.build();
  }

  private String archive(ManagedTable table) {
    return Identifiers.qualified(tables.schema().database(), table.storageName() + "_archive");
  }
}
