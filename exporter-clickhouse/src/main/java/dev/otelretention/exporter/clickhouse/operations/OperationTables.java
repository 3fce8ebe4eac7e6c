package dev.otelretention.exporter.clickhouse.operations;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.export.ExportException;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import dev.otelretention.exporter.clickhouse.internal.LiveTables;
import dev.otelretention.exporter.clickhouse.internal.schema.Identifiers;
import dev.otelretention.exporter.clickhouse.internal.schema.ManagedTable;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import dev.otelretention.exporter.clickhouse.operations.TableInspection.PartitionInfo;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The tables of one configuration as the operations see them: names resolved, existence and
 * partitions queried.
 */
final class OperationTables {
  private final ClickHouseConnection connection;
  private final Schema schema;
  private final LiveTables live;

  OperationTables(ClickHouseConnection connection, Schema schema) {
    this.connection = connection;
    this.schema = schema;
    this.live = new LiveTables(connection, schema);
  }

  ClickHouseConnection connection() {
    return connection;
  }

  Schema schema() {
    return schema;
  }

  LiveTables live() {
    return live;
  }

  /** {@code ON CLUSTER ...} or nothing. */
  String onCluster() {
    return schema.onCluster();
  }

  String storage(ManagedTable table) {
    return Identifiers.qualified(schema.database(), table.storageName());
  }

  boolean exists(String storageName) throws ExportException {
    return live.exists(storageName);
  }

  /** The tables named (all of this configuration when {@code names} is empty) that exist. */
  List<ManagedTable> existing(List<String> names) throws ExportException {
    List<ManagedTable> existing = new ArrayList<>();
    for (ManagedTable table : resolve(names)) {
      if (exists(table.storageName())) {
        existing.add(table);
      }
    }
    return existing;
  }

  ManagedTable resolve(String name) {
    Objects.requireNonNull(name, "table");
    List<String> known = new ArrayList<>();
    for (ManagedTable table : schema.managedTables()) {
      if (table.name().equals(name)) {
        return table;
      }
      known.add(table.name());
    }
    throw new IllegalArgumentException(
        "unknown table '" + name + "'; the tables are " + String.join(", ", known));
  }

  List<ManagedTable> resolve(List<String> names) {
    Objects.requireNonNull(names, "tables");
    if (names.isEmpty()) {
      return schema.managedTables();
    }
    List<ManagedTable> tables = new ArrayList<>();
    for (String name : names) {
      tables.add(resolve(name));
    }
    return tables;
  }

  /**
   * The partitions of the table stored as {@code storageName} (the table or its archive) in {@code
   * range}.
   */
  List<PartitionInfo> partitions(ManagedTable table, String storageName, PartitionRange range)
      throws ExportException {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("database", schema.database());
    parameters.put("table", storageName);
    List<PartitionInfo> partitions = new ArrayList<>();
    for (GenericRecord row :
        connection.query(
            "SELECT partition, partition_id, sum(rows) AS rows, sum(bytes_on_disk) AS bytes,"
                + " arrayStringConcat(arraySort(groupUniqArray(disk_name)), ',') AS disks FROM "
                + schema.systemParts()
                + " WHERE active AND database = {database:String} AND table = {table:String}"
                + " GROUP BY partition, partition_id HAVING rows > 0 ORDER BY partition_id",
            parameters)) {
      LocalDate[] days = table.partitionUnit().days(row.getString("partition"));
      if (range == null || range.overlaps(days[0], days[1])) {
        partitions.add(
            new PartitionInfo(
                table.name(),
                row.getString("partition"),
                row.getString("partition_id"),
                days[0],
                days[1],
                row.getLong("rows"),
                row.getLong("bytes"),
                List.of(row.getString("disks").split(","))));
      }
    }
    return partitions;
  }

  List<PartitionInfo> partitions(ManagedTable table, PartitionRange range) throws ExportException {
    return partitions(table, table.storageName(), range);
  }

  /**
   * {@code ALTER TABLE <table> [ON CLUSTER ...] <verb> PARTITION ID '<id>'<rest>}, the statement of
   * every partition operation.
   */
  String alterPartition(String qualifiedTable, String verb, String partitionId, String rest) {
    return schema.alterPartition(qualifiedTable, verb, partitionId, rest);
  }

  /** The partitions of {@code table} whose every row is older than {@code ttl}. */
  List<PartitionInfo> partitionsPast(ManagedTable table, Duration ttl) throws ExportException {
    Map<String, String> expired = live.partitionsOlderThan(table.storageName(), ttl);
    List<PartitionInfo> partitions = new ArrayList<>();
    for (PartitionInfo partition : partitions(table, null)) {
      if (expired.containsKey(partition.partitionId())) {
        partitions.add(partition);
      }
    }
    return partitions;
  }

  /** The rows of {@code table} (all shards) older than {@code ttl} by its time column. */
  long rowsOlderThan(ManagedTable table, Duration ttl) throws ExportException {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("ttl", ttl.toSeconds());
    return connection
        .query(
            "SELECT count() AS n FROM "
                + Identifiers.qualified(schema.database(), table.name())
                + " WHERE "
                + Identifiers.quote(table.timeColumn())
                + " < now() - toIntervalSecond({ttl:UInt64})",
            parameters)
        .get(0)
        .getLong("n");
  }

  /** The warning that {@code what} older than the table's TTL goes again at the next merge. */
  static String ttlWarning(ManagedTable table, String what) {
    return table.name()
        + " keeps rows for "
        + Schema.describeRetention(table.ttl())
        + ": "
        + what
        + " older than that are deleted again by the next merge";
  }
}
