package dev.otelretention.exporter.clickhouse.internal;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.export.ExportException;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the live tables of a schema's database are, read from the server's system tables: whether a
 * table exists, its TTL, storage policy and partition key, and which partitions are past an age.
 * Only reads: the report and the other read-only operations hold this, never the schema manager
 * that creates, alters and drops.
 */
public final class LiveTables {
  private static final Pattern TTL =
      Pattern.compile("\\bTTL\\s+(.+?)\\s+SETTINGS\\b", Pattern.DOTALL);

  private final ClickHouseConnection connection;
  private final Schema schema;

  public LiveTables(ClickHouseConnection connection, Schema schema) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.schema = Objects.requireNonNull(schema, "schema");
  }

  /** Whether the table {@code name} exists in the schema's database. */
  public boolean exists(String name) throws ExportException {
    return !systemTablesColumn(name, "name").isEmpty();
  }

  /** The {@code CREATE TABLE} statement of the live table, empty when it does not exist. */
  public String createTableQuery(String storageName) throws ExportException {
    return systemTablesColumn(storageName, "create_table_query");
  }

  /**
   * The storage policy of the live table {@code storageName}, empty when the table does not exist.
   */
  public String storagePolicy(String storageName) throws ExportException {
    return systemTablesColumn(storageName, "storage_policy");
  }

  /** The partition key of the live table {@code storageName}, empty when it does not exist. */
  public String partitionKey(String storageName) throws ExportException {
    return systemTablesColumn(storageName, "partition_key");
  }

  /**
   * The TTL expression of the live table {@code storageName}, empty when it has none or does not
   * exist.
   */
  public String ttl(String storageName) throws ExportException {
    Matcher matcher = TTL.matcher(createTableQuery(storageName));
    return matcher.find() ? matcher.group(1).trim() : "";
  }

  /**
   * The partitions of the live table {@code storageName} whose newest row is older than {@code
   * age}: partition id to partition, in id order; what the expired-partition sweep drops for a TTL
   * of that age. The parts' min-max index of the partition key's column gives the newest row of
   * each partition ({@code max_time} for a DateTime column, {@code max_date}, read as its last
   * second, for a Date one).
   */
  public Map<String, String> partitionsOlderThan(String storageName, Duration age)
      throws ExportException {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("database", schema.database());
    parameters.put("table", storageName);
    parameters.put("age", age.toSeconds());
    Map<String, String> partitions = new LinkedHashMap<>();
    for (GenericRecord row :
        connection.query(
            "SELECT partition, partition_id FROM "
                + schema.systemParts()
                + " WHERE active AND database = {database:String} AND table = {table:String}"
                + " GROUP BY partition, partition_id"
                + " HAVING if(max(max_time) > toDateTime(0), max(max_time), toDateTime(max(max_date)) + 86399)"
                + " < now() - toIntervalSecond({age:UInt64})"
                + " ORDER BY partition_id",
            parameters)) {
      partitions.put(row.getString("partition_id"), row.getString("partition"));
    }
    return partitions;
  }

  /** The columns of the live table {@code name}, name to type; empty when it does not exist. */
  public Map<String, String> columns(String name) throws ExportException {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("database", schema.database());
    parameters.put("table", name);
    Map<String, String> columns = new HashMap<>();
    for (GenericRecord row :
        connection.query(
            "SELECT name, type FROM system.columns WHERE database = {database:String} AND table = {table:String}",
            parameters)) {
      columns.put(row.getString("name"), row.getString("type"));
    }
    return columns;
  }

  /**
   * One column of {@code system.tables} for the live table {@code storageName}, empty when it does
   * not exist.
   */
  private String systemTablesColumn(String storageName, String column) throws ExportException {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("database", schema.database());
    parameters.put("table", storageName);
    List<GenericRecord> rows =
        connection.query(
            "SELECT "
                + column
                + " FROM system.tables WHERE database = {database:String} AND name = {table:String}",
            parameters);
    return rows.isEmpty() ? "" : rows.get(0).getString(column);
  }
}
