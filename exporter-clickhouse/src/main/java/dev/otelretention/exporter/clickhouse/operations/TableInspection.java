package dev.otelretention.exporter.clickhouse.operations;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.export.ExportException;
import dev.otelretention.exporter.clickhouse.internal.TableInspector;
import dev.otelretention.exporter.clickhouse.internal.schema.Identifiers;
import dev.otelretention.exporter.clickhouse.internal.schema.ManagedTable;
import dev.otelretention.exporter.clickhouse.internal.schema.TelemetryTable;
import dev.otelretention.sink.CapacitySample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Read-only views of the telemetry tables: the retention report, capacity samples, partitions and
 * checksums. Obtained from {@link ClickHouseOperations#inspection()}; nothing here changes data.
 */
public final class TableInspection {
  private final OperationTables tables;
  private final TableInspector inspector;

  TableInspection(OperationTables tables) {
    this.tables = tables;
    this.inspector =
        new TableInspector(tables.connection(), tables.schema(), tables.schemaManager());
  }

  /**
   * The retention report of every telemetry table, with ingest per day over the last {@code days}
   * days.
   *
   * @throws ExportException if a query fails
   */
  public RetentionReport report(int days) throws ExportException {
    if (days < 1) {
      throw new IllegalArgumentException("days must be at least 1, got " + days);
    }
    List<RetentionReport.TableReport> reports = new ArrayList<>();
    for (ManagedTable table : tables.schema().managedTables()) {
      reports.add(RetentionReport.TableReport.of(inspector.usage(table, days)));
    }
    return new RetentionReport(tables.schema().database(), Instant.now(), days, reports);
  }

  /**
   * Rows per service, instance ({@code service.instance.id}) and host ({@code host.name}) in each
   * telemetry table over the last {@code days} days, most first, at most {@code limit} per table:
   * who writes how much, to find the noisy instance of a fleet.
   *
   * @throws IllegalArgumentException if {@code days} or {@code limit} is below 1
   * @throws ExportException if a query fails
   */
  public List<SourceIngest> ingestBySource(int days, int limit) throws ExportException {
    if (days < 1) {
      throw new IllegalArgumentException("days must be at least 1, got " + days);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    List<SourceIngest> sources = new ArrayList<>();
    for (TelemetryTable table : TelemetryTable.values()) {
      if (table == TelemetryTable.TRACE_ID_TS || !exists(table)) {
        continue;
      }
      String time = table.timeColumn();
      for (GenericRecord row :
          tables
              .connection()
              .query(
                  "SELECT ServiceName AS service,"
                      + " ResourceAttributes['service.instance.id'] AS instance,"
                      + " ResourceAttributes['host.name'] AS host, count() AS n,"
                      + " n / sum(n) OVER () AS share"
                      + " FROM "
                      + tables.schema().qualifiedName(table)
                      + " WHERE "
                      + time
                      + " >= now() - toIntervalDay({days:UInt32})"
                      + " GROUP BY service, instance, host ORDER BY n DESC, service, instance"
                      + " LIMIT {limit:UInt32}",
                  Map.of("days", days, "limit", limit))) {
        sources.add(
            new SourceIngest(
                tables.schema().tableName(table),
                row.getString("service"),
                row.getString("instance"),
                row.getString("host"),
                row.getLong("n"),
                row.getDouble("share")));
      }
    }
    return sources;
  }

  private boolean exists(TelemetryTable table) throws ExportException {
    return tables.schemaManager().tableExists(tables.schema().tableName(table));
  }

  /**
   * Capacity samples for alerts: per existing table its compressed bytes, projected bytes and bytes
   * per day over the last {@code days} days; per server disk its free and total bytes ({@code
   * disk:<name>}).
   *
   * @throws ExportException if a query fails
   */
  public List<CapacitySample> capacitySamples(int days) throws ExportException {
    return inspector.capacitySamples(days);
  }

  /**
   * The partitions of {@code table} that overlap {@code range} ({@code null} for all), oldest
   * first.
   *
   * @throws IllegalArgumentException if the table is not a telemetry table or rollup of this
   *     configuration
   * @throws ExportException if a query fails
   */
  public List<PartitionInfo> partitions(String table, PartitionRange range) throws ExportException {
    return tables.partitions(tables.resolve(table), range);
  }

  /**
   * Row count and checksum of each table that exists, over the partitions of {@code range} ({@code
   * null} for all rows); aggregating tables (the trace-id lookup, the rollups) are read {@code
   * FINAL}, so that merges do not change the figures.
   *
   * @throws ExportException if a query fails
   */
  public List<TableChecksum> checksums(List<String> names, PartitionRange range)
      throws ExportException {
    List<TableChecksum> checksums = new ArrayList<>();
    for (ManagedTable table : tables.existing(names)) {
      String where = "";
      if (range != null) {
        List<String> ids = new ArrayList<>();
        for (PartitionInfo partition : tables.partitions(table, range)) {
          ids.add(Identifiers.literal(partition.partitionId()));
        }
        where =
            ids.isEmpty() ? " WHERE 0" : " WHERE _partition_id IN (" + String.join(", ", ids) + ")";
      }
      GenericRecord row =
          tables
              .connection()
              .query(
                  "SELECT count() AS n, toString(sum(cityHash64(*))) AS checksum"
                      + " FROM "
                      + tables.storage(table)
                      + (table.aggregating() ? " FINAL" : "")
                      + where,
                  Map.of())
              .get(0);
      checksums.add(new TableChecksum(table.name(), row.getLong("n"), row.getString("checksum")));
    }
    return checksums;
  }
}
