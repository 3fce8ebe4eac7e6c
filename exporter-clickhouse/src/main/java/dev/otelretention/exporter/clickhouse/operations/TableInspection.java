package dev.otelretention.exporter.clickhouse.operations;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.export.ExportException;
import dev.otelretention.exporter.clickhouse.internal.ClusterShards;
import dev.otelretention.exporter.clickhouse.internal.TableInspector;
import dev.otelretention.exporter.clickhouse.internal.schema.Identifiers;
import dev.otelretention.exporter.clickhouse.internal.schema.ManagedTable;
import dev.otelretention.exporter.clickhouse.internal.schema.TelemetryTable;
import dev.otelretention.exporter.clickhouse.operations.RetentionReport.SourceIngest;
import dev.otelretention.sink.CapacityProbe.CapacitySample;
import dev.otelretention.traces.Trace;
import dev.otelretention.traces.TraceFilter;
import dev.otelretention.traces.TraceLog;
import dev.otelretention.traces.TraceSpan;
import dev.otelretention.traces.TraceSummary;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Read-only views of the telemetry tables: the retention report, ingest by source, traces, capacity
 * samples, partitions and checksums. Obtained from {@link ClickHouseOperations#inspection()};
 * nothing here changes data.
 */
public final class TableInspection {
  private final OperationTables tables;
  private final TableInspector inspector;

  TableInspection(OperationTables tables) {
    this.tables = tables;
    this.inspector = new TableInspector(tables.connection(), tables.schema(), tables.live());
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
    return new RetentionReport(
        tables.schema().database(),
        Instant.now(),
        days,
        reports,
        ClusterShards.unanswered(tables.connection(), tables.schema()));
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
      boolean json = jsonAttributes(table);
      for (GenericRecord row :
          tables
              .connection()
              .query(
                  "SELECT ServiceName AS service, "
                      + resourceAttribute(json, "service.instance.id")
                      + " AS instance, "
                      + resourceAttribute(json, "host.name")
                      + " AS host, count() AS n,"
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

  /**
   * The traces {@code filter} lets through, the most recent first, from the spans table: trace id,
   * root span (the earliest span without a parent), its service, start, duration, span count and
   * error spans.
   *
   * @throws ExportException if a query fails
   */
  public List<TraceSummary> traces(TraceFilter filter) throws ExportException {
    Objects.requireNonNull(filter, "filter");
    if (!exists(TelemetryTable.TRACES)) {
      return List.of();
    }
    Map<String, Object> parameters = new HashMap<>();
    StringBuilder where = new StringBuilder(" WHERE 1");
    if (filter.since() != null) {
      where.append(" AND Timestamp >= fromUnixTimestamp64Nano({since:Int64})");
      parameters.put("since", nanos(filter.since()));
    }
    if (filter.until() != null) {
      where.append(" AND Timestamp < fromUnixTimestamp64Nano({until:Int64})");
      parameters.put("until", nanos(filter.until()));
    }
    StringBuilder having = new StringBuilder(" HAVING duration >= {minDuration:UInt64}");
    parameters.put("minDuration", filter.minDuration().toNanos());
    if (filter.service() != null) {
      having.append(" AND countIf(ServiceName = {service:String}) > 0");
      parameters.put("service", filter.service());
    }
    if (filter.errorsOnly()) {
      having.append(" AND errors > 0");
    }
    parameters.put("limit", filter.limit());
    List<TraceSummary> traces = new ArrayList<>();
    for (GenericRecord row :
        tables
            .connection()
            .query(
                "SELECT TraceId AS trace,"
                    + " toUnixTimestamp64Nano(min(Timestamp)) AS start,"
                    + " toUInt64(greatest(0, max(toUnixTimestamp64Nano(Timestamp) + toInt64(Duration)) - start)) AS duration,"
                    + " argMin(SpanName, (ParentSpanId != '', Timestamp)) AS rootName,"
                    + " argMin(ServiceName, (ParentSpanId != '', Timestamp)) AS rootService,"
                    + " count() AS spans,"
                    + " countIf(StatusCode IN ('Error', 'STATUS_CODE_ERROR')) AS errors"
                    + " FROM "
                    + tables.schema().qualifiedName(TelemetryTable.TRACES)
                    + where
                    + " GROUP BY TraceId"
                    + having
                    + " ORDER BY start DESC, trace LIMIT {limit:UInt32}",
                parameters)) {
      traces.add(
          new TraceSummary(
              row.getString("trace"),
              row.getString("rootName"),
              row.getString("rootService"),
              Instant.ofEpochSecond(0, row.getLong("start")),
              Duration.ofNanos(row.getLong("duration")),
              row.getLong("spans"),
              row.getLong("errors")));
    }
    return traces;
  }

  /**
   * The trace {@code traceId} with its log records, or empty when the spans table has none of its
   * spans. The trace-id lookup table, where it exists, narrows the time range read, as the
   * Collector's and Grafana's trace queries do.
   *
   * @throws IllegalArgumentException if {@code traceId} is not 32 hex digits
   * @throws ExportException if a query fails
   */
  public Optional<Trace> trace(String traceId) throws ExportException {
    String id = Objects.requireNonNull(traceId, "traceId").toLowerCase(Locale.ROOT);
    if (!id.matches("[0-9a-f]{32}")) {
      throw new IllegalArgumentException("a trace id is 32 hex digits, got '" + traceId + "'");
    }
    if (!exists(TelemetryTable.TRACES)) {
      return Optional.empty();
    }
    Map<String, Object> parameters = Map.of("trace", id);
    String window = "";
    if (exists(TelemetryTable.TRACE_ID_TS)) {
      List<GenericRecord> bounds =
          tables
              .connection()
              .query(
                  "SELECT toUnixTimestamp(min(Start)) AS first, toUnixTimestamp(max(End)) AS last,"
                      + " count() AS n FROM "
                      + tables.schema().qualifiedName(TelemetryTable.TRACE_ID_TS)
                      + " WHERE TraceId = {trace:String}",
                  parameters);
      if (!bounds.isEmpty() && bounds.get(0).getLong("n") > 0) {
        window =
            " AND Timestamp >= toDateTime("
                + bounds.get(0).getLong("first")
                + ") - 60 AND Timestamp <= toDateTime("
                + bounds.get(0).getLong("last")
                + ") + 60";
      }
    }
    List<TraceSpan> spans = new ArrayList<>();
    boolean json = jsonAttributes(TelemetryTable.TRACES);
    for (GenericRecord row :
        tables
            .connection()
            .query(
                "SELECT SpanId, ParentSpanId, SpanName, ServiceName,"
                    + " toUnixTimestamp64Nano(Timestamp) AS start, toInt64(Duration) AS duration,"
                    + " StatusCode IN ('Error', 'STATUS_CODE_ERROR') AS error, StatusMessage,"
                    + (json
                        ? " toJSONString(SpanAttributes) AS json"
                        : " mapKeys(SpanAttributes) AS keys, mapValues(SpanAttributes) AS values")
                    + " FROM "
                    + tables.schema().qualifiedName(TelemetryTable.TRACES)
                    + " WHERE TraceId = {trace:String}"
                    + window
                    + " ORDER BY Timestamp",
                parameters)) {
      long start = row.getLong("start");
      spans.add(
          new TraceSpan(
              id,
              row.getString("SpanId"),
              row.getString("ParentSpanId"),
              row.getString("SpanName"),
              row.getString("ServiceName"),
              start,
              start + row.getLong("duration"),
              row.getBoolean("error"),
              row.getString("StatusMessage"),
              json
                  ? JsonAttributeText.attributes(row.getString("json"))
                  : attributes(row.getList("keys"), row.getList("values"))));
    }
    if (spans.isEmpty()) {
      return Optional.empty();
    }
    List<TraceLog> logs = new ArrayList<>();
    if (exists(TelemetryTable.LOGS)) {
      long first = spans.stream().mapToLong(TraceSpan::startEpochNanos).min().orElseThrow();
      long last = spans.stream().mapToLong(TraceSpan::endEpochNanos).max().orElseThrow();
      Map<String, Object> range = new HashMap<>(parameters);
      range.put("from", first - 60_000_000_000L);
      range.put("to", last + 60_000_000_000L);
      for (GenericRecord row :
          tables
              .connection()
              .query(
                  "SELECT toUnixTimestamp64Nano(Timestamp) AS at, SpanId, SeverityText,"
                      + " toString(SeverityNumber) AS number, Body, ServiceName FROM "
                      + tables.schema().qualifiedName(TelemetryTable.LOGS)
                      + " WHERE TraceId = {trace:String}"
                      + " AND Timestamp >= fromUnixTimestamp64Nano({from:Int64})"
                      + " AND Timestamp <= fromUnixTimestamp64Nano({to:Int64})"
                      + " ORDER BY Timestamp",
                  range)) {
        String severity = row.getString("SeverityText");
        logs.add(
            new TraceLog(
                row.getLong("at"),
                row.getString("SpanId"),
                severity.isEmpty() ? row.getString("number") : severity,
                row.getString("Body"),
                row.getString("ServiceName")));
      }
    }
    return Optional.of(new Trace(id, spans, logs));
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  private static Map<String, String> attributes(List<?> keys, List<?> values) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(keys.size(), values.size()); i++) {
      attributes.put(String.valueOf(keys.get(i)), String.valueOf(values.get(i)));
    }
    return attributes;
  }

  /**
   * Whether the live table keeps its attributes in {@code JSON} columns, whatever is configured.
   */
  private boolean jsonAttributes(TelemetryTable table) throws ExportException {
    String type = tables.live().columns(tables.schema().tableName(table)).get("ResourceAttributes");
    return "JSON".equals(type);
  }

  /** A resource attribute as a string, empty where a row has none, read from JSON or Map. */
  private static String resourceAttribute(boolean json, String key) {
    return json
        ? "ifNull(toString(ResourceAttributes." + key + "), '')"
        : "ResourceAttributes['" + key + "']";
  }

  private boolean exists(TelemetryTable table) throws ExportException {
    return tables.live().exists(tables.schema().tableName(table));
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
   * The partitions of {@code table} that were moved to its archive table ({@code <table>_archive},
   * see {@link PartitionPlanner#planArchive}) in {@code range} (all when {@code null}); empty when
   * it has no archive.
   *
   * @throws IllegalArgumentException if {@code table} is not a telemetry table
   * @throws ExportException if a query fails
   */
  public List<PartitionInfo> archivedPartitions(String table, PartitionRange range)
      throws ExportException {
    ManagedTable managed = tables.resolve(table);
    String archive = managed.storageName() + "_archive";
    return tables.exists(archive) ? tables.partitions(managed, archive, range) : List.of();
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

  /**
   * One partition of a table, from the server's {@code system.parts}.
   *
   * @param table the table name
   * @param partition the partition as the server shows it, e.g. {@code 2026-11-24} or {@code
   *     202611}
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
}
