package dev.otelretention.exporter.clickhouse.internal;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.export.ExportException;
import dev.otelretention.exporter.clickhouse.internal.schema.Identifiers;
import dev.otelretention.exporter.clickhouse.internal.schema.ManagedTable;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import dev.otelretention.sink.CapacityProbe.CapacitySample;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the tables of a schema hold on the server (rows, bytes, partitions, time range, ingest per
 * day, the TTL projection) and the server's disks: the measurements behind the retention report and
 * the capacity probe.
 */
public final class TableInspector {
  private final ClickHouseConnection connection;
  private final Schema schema;
  private final LiveTables live;

  /** Inspects the tables of {@code schema} over {@code connection}. */
  public TableInspector(ClickHouseConnection connection, Schema schema, LiveTables live) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.schema = Objects.requireNonNull(schema, "schema");
    this.live = Objects.requireNonNull(live, "live");
  }

  /**
   * What one table holds.
   *
   * @param table the table's name in the configuration
   * @param exists whether it exists on the server
   * @param rows rows in active parts
   * @param compressedBytes compressed bytes of active parts
   * @param uncompressedBytes uncompressed bytes of active parts
   * @param partitions partitions with active parts
   * @param oldest the oldest row's time, or {@code null} when empty
   * @param newest the newest row's time, or {@code null} when empty
   * @param configuredTtl the TTL the configuration asks for
   * @param liveTtl the TTL the server has
   * @param rowsPerDay rows per day over the inspected days
   * @param projectedBytes bytes at the TTL at the inspected ingest, or {@code null} without a TTL
   *     or rows
   */
  public record Usage(
      String table,
      boolean exists,
      long rows,
      long compressedBytes,
      long uncompressedBytes,
      long partitions,
      Instant oldest,
      Instant newest,
      String configuredTtl,
      String liveTtl,
      Map<LocalDate, Long> rowsPerDay,
      Long projectedBytes) {}

  /**
   * What {@code table} holds, with ingest per day over the last {@code days} days.
   *
   * @throws ExportException if a query fails
   */
  public Usage usage(ManagedTable table, int days) throws ExportException {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("database", schema.database());
    parameters.put("table", table.storageName());
    String name = table.name();
    String configured = table.ttlExpression();
    if (!live.exists(table.storageName())) {
      return new Usage(name, false, 0, 0, 0, 0, null, null, configured, "", Map.of(), null);
    }
    GenericRecord parts =
        connection
            .query(
                "SELECT sum(rows) AS rows, sum(data_compressed_bytes) AS compressed, sum(data_uncompressed_bytes) AS uncompressed,"
                    + " uniqExact(partition) AS partitions FROM "
                    + schema.systemParts()
                    + " WHERE active AND database = {database:String} AND table = {table:String}",
                parameters,
                schema.reportReadSettings())
            .get(0);
    String time = table.timeColumn();
    String qualified = Identifiers.qualified(schema.database(), table.storageName());
    GenericRecord range =
        connection
            .query(
                "SELECT toUnixTimestamp(min("
                    + time
                    + ")) AS oldest, toUnixTimestamp(max("
                    + time
                    + ")) AS newest, count() AS n FROM "
                    + qualified,
                Map.of(),
                schema.reportReadSettings())
            .get(0);
    Map<LocalDate, Long> perDay = new LinkedHashMap<>();
    for (GenericRecord day :
        connection.query(
            "SELECT toString(toDate("
                + time
                + ")) AS day, count() AS n FROM "
                + qualified
                + " WHERE "
                + time
                + " >= now() - toIntervalDay("
                + days
                + ") GROUP BY day ORDER BY day",
            Map.of(),
            schema.reportReadSettings())) {
      perDay.put(LocalDate.parse(day.getString("day")), day.getLong("n"));
    }
    long rows = parts.getLong("rows");
    long compressed = parts.getLong("compressed");
    boolean hasRows = range.getLong("n") > 0;
    Long projected = null;
    long ttlDays = table.ttl().toDays();
    if (!table.ttl().isZero() && rows > 0) {
      double bytesPerRow = (double) compressed / rows;
      double rowsPerDay = perDay.values().stream().mapToLong(Long::longValue).sum() / (double) days;
      projected = Math.round(bytesPerRow * rowsPerDay * Math.max(1, ttlDays));
    }
    return new Usage(
        name,
        true,
        rows,
        compressed,
        parts.getLong("uncompressed"),
        parts.getLong("partitions"),
        hasRows ? Instant.ofEpochSecond(range.getLong("oldest")) : null,
        hasRows ? Instant.ofEpochSecond(range.getLong("newest")) : null,
        configured,
        live.ttl(table.storageName()),
        perDay,
        projected);
  }

  /**
   * Capacity samples: per existing table its compressed bytes, projected bytes and bytes per day
   * over the last {@code days} days; per server disk its free and total bytes ({@code
   * disk:<name>}).
   *
   * @throws ExportException if a query fails
   */
  public List<CapacitySample> capacitySamples(int days) throws ExportException {
    List<CapacitySample> samples = new ArrayList<>();
    for (ManagedTable managed : schema.managedTables()) {
      Usage table = usage(managed, days);
      if (!table.exists()) {
        continue;
      }
      double perDay =
          table.rowsPerDay().values().stream().mapToLong(Long::longValue).sum() / (double) days;
      double growth = table.rows() == 0 ? 0 : perDay * table.compressedBytes() / table.rows();
      samples.add(
          CapacitySample.storage(
              table.table(),
              table.compressedBytes(),
              table.projectedBytes() == null ? -1 : table.projectedBytes(),
              growth));
    }
    // on a cluster, every server's disks of one name added up: the space the cluster has left
    String disks =
        schema.cluster() == null
            ? "system.disks"
            : "clusterAllReplicas(" + Identifiers.literal(schema.cluster()) + ", system.disks)";
    for (GenericRecord disk :
        connection.query(
            "SELECT name, sum(free_space) AS free_space, sum(total_space) AS total_space FROM "
                + disks
                + " GROUP BY name ORDER BY name",
            Map.of(),
            schema.reportReadSettings())) {
      samples.add(
          CapacitySample.disk(
              "disk:" + disk.getString("name"),
              disk.getLong("free_space"),
              disk.getLong("total_space")));
    }
    return samples;
  }
}
