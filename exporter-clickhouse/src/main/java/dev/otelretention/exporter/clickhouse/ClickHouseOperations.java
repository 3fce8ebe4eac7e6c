package dev.otelretention.exporter.clickhouse;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.export.ExportException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Operations on the telemetry tables for operators, over its own connection. Start with {@link #report}:
 * what each table holds, how fast it grows, whether its live TTL still matches the configuration, and how much
 * disk it will use at the configured retention.
 */
public final class ClickHouseOperations implements AutoCloseable {
  private final ClickHouseConnection connection;
  private final Schema schema;
  private final SchemaManager schemaManager;

  private ClickHouseOperations(ClickHouseExporters.Builder settings) {
    this.schema = settings.schema();
    this.connection = new ClickHouseConnection(settings, Duration.ofSeconds(30));
    this.schemaManager = new SchemaManager(connection, schema, false);
  }

  /**
   * Connects with the settings of an exporter builder (endpoint, credentials, database, table names and TTLs).
   *
   * @throws dev.otelretention.sink.ConfigException if no endpoint is set
   */
  public static ClickHouseOperations connect(ClickHouseExporters.Builder settings) {
    Objects.requireNonNull(settings, "settings");
    if (settings.endpoint() == null) {
      throw new dev.otelretention.sink.ConfigException("a ClickHouse endpoint is required");
    }
    return new ClickHouseOperations(settings);
  }

  /**
   * The retention report of every telemetry table, with ingest per day over the last {@code days} days.
   *
   * @throws ExportException if a query fails
   */
  public RetentionReport report(int days) throws ExportException {
    if (days < 1) {
      throw new IllegalArgumentException("days must be at least 1, got " + days);
    }
    List<RetentionReport.TableReport> tables = new ArrayList<>();
    for (ManagedTable table : schema.managedTables()) {
      tables.add(tableReport(table, days));
    }
    return new RetentionReport(schema.database(), Instant.now(), days, tables);
  }

  private RetentionReport.TableReport tableReport(ManagedTable table, int days) throws ExportException {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("database", schema.database());
    parameters.put("table", table.storageName());
    List<GenericRecord> exists = connection.query(
        "SELECT count() AS n FROM system.tables WHERE database = {database:String} AND name = {table:String}", parameters);
    String name = table.name();
    String configured = table.ttlExpression();
    if (exists.get(0).getLong("n") == 0) {
      return new RetentionReport.TableReport(name, false, 0, 0, 0, 0, null, null, configured, "", Map.of(), null);
    }
    GenericRecord parts = connection.query(
        "SELECT sum(rows) AS rows, sum(data_compressed_bytes) AS compressed, sum(data_uncompressed_bytes) AS uncompressed,"
            + " uniqExact(partition) AS partitions FROM system.parts"
            + " WHERE active AND database = {database:String} AND table = {table:String}", parameters).get(0);
    String time = table.timeColumn();
    String qualified = Identifiers.qualified(schema.database(), table.storageName());
    GenericRecord range = connection.query(
        "SELECT toUnixTimestamp(min(" + time + ")) AS oldest, toUnixTimestamp(max(" + time + ")) AS newest, count() AS n FROM "
            + qualified, Map.of()).get(0);
    Map<LocalDate, Long> perDay = new LinkedHashMap<>();
    for (GenericRecord day : connection.query(
        "SELECT toString(toDate(" + time + ")) AS day, count() AS n FROM " + qualified + " WHERE " + time
            + " >= now() - toIntervalDay(" + days + ") GROUP BY day ORDER BY day", Map.of())) {
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
    return new RetentionReport.TableReport(
        name,
        true,
        rows,
        compressed,
        parts.getLong("uncompressed"),
        parts.getLong("partitions"),
        hasRows ? Instant.ofEpochSecond(range.getLong("oldest")) : null,
        hasRows ? Instant.ofEpochSecond(range.getLong("newest")) : null,
        configured,
        schemaManager.currentTtl(table.storageName()),
        perDay,
        projected);
  }

  @Override
  public void close() {
    connection.close();
  }
}
