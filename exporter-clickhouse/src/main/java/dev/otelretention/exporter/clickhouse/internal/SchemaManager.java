package dev.otelretention.exporter.clickhouse.internal;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.ExportException;
import dev.otelretention.exporter.clickhouse.internal.schema.Identifiers;
import dev.otelretention.exporter.clickhouse.internal.schema.InsertTarget;
import dev.otelretention.exporter.clickhouse.internal.schema.ManagedTable;
import dev.otelretention.exporter.clickhouse.internal.schema.RetentionSettings;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import dev.otelretention.exporter.clickhouse.internal.schema.ServerVersion;
import dev.otelretention.exporter.clickhouse.internal.schema.TelemetryTable;
import dev.otelretention.exporter.clickhouse.internal.schema.TtlRetention;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Brings the live tables in line with the configured schema and retention: creates what is missing,
 * adds missing columns, applies a changed TTL with {@code MODIFY TTL}, and reports what it cannot
 * reconcile (a column of another type) without touching it. Every step is idempotent, so several
 * instances may start at once.
 */
public final class SchemaManager {
  private static final Logger logger = Logger.getLogger(SchemaManager.class.getName());

  private final ClickHouseConnection connection;
  private final Schema schema;
  private final boolean createSchema;

  /**
   * How often expired partitions are dropped while exporting: often enough that no row outlives its
   * TTL by much more than the day its partition spans, rarely enough to cost nothing.
   */
  public static final Duration SWEEP_INTERVAL = Duration.ofHours(1);

  /**
   * A changed TTL applies to new parts and to merges; old parts keep the expiry they were written
   * with instead of being rewritten (materializing a TTL rewrites a column of every part), and the
   * sweeper drops them once their whole partition has expired.
   */
  private static final Map<String, String> NO_TTL_MATERIALIZATION =
      Map.of("materialize_ttl_after_modify", "0");

  private final DdlRunner ddl;
  private final LiveTables live;
  private final ExpiredPartitionSweeper sweeper;
  private volatile long nextSweepNanos;
  private volatile MigrationReport report;

  private volatile Map<TelemetryTable, InsertTarget> insertTargets;
  private volatile Map<TelemetryTable, InsertTarget> otherLayoutTargets;

  public SchemaManager(ClickHouseConnection connection, Schema schema, boolean createSchema) {
    this.connection = connection;
    this.schema = schema;
    this.createSchema = createSchema;
    this.ddl = new DdlRunner(connection, schema.hasCluster());
    this.live = new LiveTables(connection, schema);
    this.sweeper = new ExpiredPartitionSweeper(live, ddl, schema);
  }

  /**
   * Drops expired partitions when {@link #SWEEP_INTERVAL} has passed since the last sweep, if this
   * exporter manages the schema; a failure is logged and tried again at the next interval, never
   * passed to the export that triggered it.
   */
  public void sweepIfDue() {
    if (!createSchema || report == null || System.nanoTime() - nextSweepNanos < 0) {
      return;
    }
    synchronized (this) {
      if (System.nanoTime() - nextSweepNanos < 0) {
        return;
      }
      nextSweepNanos = System.nanoTime() + SWEEP_INTERVAL.toNanos();
    }
    sweepNow();
  }

  /** Drops expired partitions now; returns what it dropped and why it skipped a table. */
  public MigrationReport sweepNow() {
    List<String> applied = new ArrayList<>();
    List<String> unreconciled = new ArrayList<>();
    for (ManagedTable table : schema.managedTables()) {
      try {
        sweep(table, applied, unreconciled);
      } catch (ExportException e) {
        unreconciled.add(
            Identifiers.qualified(schema.database(), table.storageName())
                + ": expired partitions not dropped: "
                + e.getMessage());
      }
    }
    ddl.drainPending(unreconciled);
    for (String change : applied) {
      logger.info("otel-retention: ClickHouse retention: " + change);
    }
    for (String problem : unreconciled) {
      logger.warning("otel-retention: ClickHouse retention: " + problem);
    }
    MigrationReport current = report;
    return new MigrationReport(
        applied, unreconciled, current == null ? "unknown" : current.serverVersion());
  }

  /** The result of the last successful run, or {@code null} before one. */
  public MigrationReport report() {
    return report;
  }

  /**
   * Runs once successfully; later calls return at once. Throws (retryably, for network faults) on
   * failure.
   */
  public synchronized MigrationReport ensure() throws ExportException {
    if (report != null) {
      return report;
    }
    List<String> applied = new ArrayList<>();
    List<String> unreconciled = new ArrayList<>();
    ServerVersion version = serverVersion(unreconciled);
    if (schema.jsonAttributes()) {
      ServerVersion.requireJsonType(version);
    }
    if (createSchema) {
      boolean textIndexes = version != null && version.hasTextIndexes();
      if (version != null) {
        logger.info(
            "otel-retention: ClickHouse "
                + version
                + ": new tables get "
                + (textIndexes ? "full-text" : "bloom-filter")
                + " indexes"
                + (schema.jsonAttributes()
                    ? " (the traces and logs tables: JSON attribute columns, the peer's indexes)"
                    : ""));
      }
      ddl.run(schema.createDatabase(), unreconciled);
      for (String statement : schema.createStatements(textIndexes)) {
        ddl.run(statement, unreconciled);
      }
    }
    List<String> unsweptTables = new ArrayList<>();
    for (ManagedTable table : schema.managedTables()) {
      reconcileColumns(table, applied, unreconciled);
      if (createSchema) {
        reconcileStoragePolicy(table, applied, unreconciled);
        reconcileTtl(table, applied, unreconciled);
        reconcileDeduplication(table, applied, unreconciled);
        sweepAtStart(table, applied, unreconciled, unsweptTables);
      }
    }
    nextSweepNanos = System.nanoTime() + SWEEP_INTERVAL.toNanos();
    List<String> waitingHosts = new ArrayList<>();
    ddl.drainPending(waitingHosts);
    Map<TelemetryTable, InsertTarget> targets = new EnumMap<>(TelemetryTable.class);
    Map<TelemetryTable, InsertTarget> otherTargets = new EnumMap<>(TelemetryTable.class);
    for (TelemetryTable table : TelemetryTable.values()) {
      if (table == TelemetryTable.TRACE_ID_TS) {
        continue;
      }
      Map<String, String> columns = live.columns(schema.tableName(table));
      InsertTarget target =
          InsertTarget.of(schema.qualifiedName(table), table, columns, schema.jsonAttributes());
      // spool records written in the other attribute layout
      otherTargets.put(
          table,
          InsertTarget.of(schema.qualifiedName(table), table, columns, !schema.jsonAttributes()));
      if (target.jsonIntoMap()) {
        unreconciled.add(schema.qualifiedName(table) + InsertTarget.JSON_INTO_MAP);
      }
      if (target.mapIntoJson()) {
        unreconciled.add(
            schema.qualifiedName(table)
                + " keeps its attributes in JSON columns and this exporter writes Map attributes:"
                + " their values go in as strings, and once strings and numbers mix in a path a"
                + " comparison with a number fails for the whole table; set jsonAttributes(true)"
                + " (OTEL_RETENTION_CLICKHOUSE_JSON=true)");
      }
      if (!target.missing().isEmpty()) {
        unreconciled.add(
            schema.qualifiedName(table)
                + " is an older layout without "
                + String.join(", ", target.missing())
                + ": those values are not stored");
      }
      targets.put(table, target);
    }
    for (String host : waitingHosts) {
      logger.warning("otel-retention: ClickHouse cluster: " + host);
    }
    unreconciled.addAll(waitingHosts);
    if (!unsweptTables.isEmpty()) {
      String unswept =
          "expired partitions not dropped from "
              + unsweptTables.size()
              + (unsweptTables.size() == 1 ? " table" : " tables")
              + ", the first "
              + unsweptTables.get(0)
              + "; the sweep tries again within the hour, exports go on";
      logger.warning("otel-retention: ClickHouse retention: " + unswept);
      waitingHosts.add(unswept);
      unreconciled.add(unswept);
    }
    MigrationReport result =
        new MigrationReport(
            List.copyOf(applied),
            List.copyOf(unreconciled),
            version == null ? "unknown" : version.toString());
    for (String change : applied) {
      logger.info("otel-retention: ClickHouse schema migration: " + change);
    }
    for (String problem : unreconciled) {
      if (!waitingHosts.contains(problem)) {
        logger.warning(
            "otel-retention: ClickHouse schema differs and was left as it is: " + problem);
      }
    }
    otherLayoutTargets = otherTargets;
    insertTargets = targets;
    report = result;
    return result;
  }

  /** The qualified name of {@code table}, for messages. */
  public String qualifiedName(TelemetryTable table) {
    return schema.qualifiedName(table);
  }

  /** Whether the traces and logs tables keep their attributes in {@code JSON} columns. */
  public boolean jsonAttributes() {
    return schema.jsonAttributes();
  }

  /**
   * Where the rows of {@code table} are inserted, as the live table's columns allow; a direct
   * insert of every column before {@link #ensure()} succeeded.
   */
  public InsertTarget insertTarget(TelemetryTable table) {
    return insertTarget(table, schema.jsonAttributes());
  }

  /**
   * Where rows of {@code table} whose attributes are in the JSON layout ({@code json}) or the Map
   * layout are inserted: a spooled record keeps the layout it was written in.
   */
  public InsertTarget insertTarget(TelemetryTable table, boolean json) {
    Map<TelemetryTable, InsertTarget> targets =
        json == schema.jsonAttributes() ? insertTargets : otherLayoutTargets;
    InsertTarget target = targets == null ? null : targets.get(table);
    return target != null ? target : InsertTarget.direct(schema.qualifiedName(table), table, json);
  }

  /**
   * The server's version, or {@code null} (and a note) when it cannot be read; new tables then get
   * bloom-filter indexes, which every version has.
   */
  private ServerVersion serverVersion(List<String> unreconciled) throws ExportException {
    try {
      List<GenericRecord> rows = connection.query("SELECT version() AS v", Map.of());
      return ServerVersion.parse(rows.get(0).getString("v"));
    } catch (ExportException e) {
      if (e.isRetryable()) {
        throw e;
      }
      unreconciled.add(
          "server version unknown, new tables get bloom-filter indexes: " + e.getMessage());
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      unreconciled.add(
          "server version unknown, new tables get bloom-filter indexes: " + e.getMessage());
    }
    return null;
  }

  /**
   * Adds the columns a table lacks when the schema is managed here; otherwise, and for what cannot
   * be added (nested columns, another type), notes the difference. Rows are still written into such
   * a table, see {@link InsertTarget}.
   */
  private void reconcileColumns(ManagedTable table, List<String> applied, List<String> unreconciled)
      throws ExportException {
    String storage = Identifiers.qualified(schema.database(), table.storageName());
    String distributed = Identifiers.qualified(schema.database(), table.name());
    Map<String, String> liveColumns = live.columns(table.storageName());
    if (liveColumns.isEmpty()) {
      unreconciled.add(storage + " does not exist (createSchema is off)");
      return;
    }
    for (TelemetryTable.AliasColumn alias : table.aliasColumns()) {
      // a column of that name, computed or stored (the older layouts' DEFAULT), serves readers
      if (createSchema && !liveColumns.containsKey(alias.name())) {
        ddl.run(schema.alter(storage, Schema.addColumn(alias)), unreconciled);
        if (schema.hasCluster()) {
          ddl.run(schema.alter(distributed, Schema.addColumn(alias)), unreconciled);
        }
        applied.add(storage + ": added column " + alias.definition());
      }
    }
    for (TelemetryTable.Column column : table.columns()) {
      String type = liveColumns.get(column.name());
      if (type == null) {
        if (!createSchema) {
          continue;
        }
        if (column.name().contains(".")) {
          unreconciled.add(distributed + " has no nested column " + column.name());
          continue;
        }
        ddl.run(schema.alter(storage, Schema.addColumn(column)), unreconciled);
        if (schema.hasCluster()) {
          ddl.run(schema.alter(distributed, Schema.addColumn(column)), unreconciled);
        }
        applied.add(storage + ": added column " + column.name() + " " + column.type());
      } else if (!InsertTarget.sameType(type, column.type())) {
        unreconciled.add(
            storage
                + "."
                + column.name()
                + " is "
                + type
                + ", expected "
                + column.type()
                + " (values are converted on insert)");
      }
    }
  }

  private void reconcileStoragePolicy(
      ManagedTable table, List<String> applied, List<String> unreconciled) throws ExportException {
    String wanted = schema.storagePolicy();
    if (wanted == null) {
      return;
    }
    String storage = Identifiers.qualified(schema.database(), table.storageName());
    String current = live.storagePolicy(table.storageName());
    if (current.isEmpty() || current.equals(wanted)) {
      return;
    }
    try {
      ddl.run(schema.alter(storage, Schema.modifyStoragePolicy(wanted)), unreconciled);
      applied.add(storage + ": storage policy " + current + " -> " + wanted);
    } catch (ExportException e) {
      if (e.isRetryable()) {
        throw e;
      }
      unreconciled.add(
          storage
              + " keeps storage policy "
              + current
              + " (wanted "
              + wanted
              + "): "
              + e.getMessage());
    }
  }

  /**
   * Applies the configured TTL to a live table unless it would keep rows for less time than the
   * table does now: a shared table's retention is shortened only with this instance's explicit
   * consent ({@link RetentionSettings#shorteningAllowed()}), since it deletes every writer's rows.
   * Otherwise the table keeps its TTL, moves included, and one warning names both values and the
   * setting.
   */
  private void reconcileTtl(ManagedTable table, List<String> applied, List<String> unreconciled)
      throws ExportException {
    String storage = Identifiers.qualified(schema.database(), table.storageName());
    String current = live.ttl(table.storageName());
    String wanted = table.ttlExpression();
    if (TtlRetention.sameTtl(current, wanted)) {
      return;
    }
    Duration live = TtlRetention.of(current);
    RetentionSettings retention = schema.retention();
    if (TtlRetention.shortens(table.ttl(), live) && !retention.shorteningAllowed()) {
      unreconciled.add(
          storage
              + " keeps its TTL ("
              + TtlRetention.describe(live)
              + "): "
              + table.ttlSetting()
              + " asks for "
              + Schema.describeRetention(table.ttl())
              + ", and one instance does not shorten a table every writer shares, which would"
              + " delete their rows. Shorten it with 'otel-retention retention --tables "
              + table.name()
              + " --ttl "
              + EnvironmentConfig.format(table.ttl())
              + "' (it shows what goes before it runs), or give this instance "
              + retention.consentSetting());
      return;
    }
    try {
      if (wanted.isEmpty()) {
        ddl.run(schema.alter(storage, Schema.REMOVE_TTL), unreconciled);
        applied.add(storage + ": removed TTL " + current);
      } else {
        ddl.run(
            schema.alter(storage, Schema.modifyTtl(wanted)), NO_TTL_MATERIALIZATION, unreconciled);
        applied.add(storage + ": TTL " + (current.isEmpty() ? "none" : current) + " -> " + wanted);
      }
    } catch (ExportException e) {
      if (e.isRetryable()) {
        throw e;
      }
      unreconciled.add(
          storage
              + " keeps TTL "
              + (current.isEmpty() ? "none" : current)
              + " (wanted "
              + wanted
              + "): "
              + e.getMessage());
    }
  }

  /** Gives an existing non-replicated table the deduplication window that insert tokens need. */
  private void reconcileDeduplication(
      ManagedTable table, List<String> applied, List<String> unreconciled) throws ExportException {
    String create = live.createTableQuery(table.storageName());
    if (create.isEmpty()
        || create.contains("non_replicated_deduplication_window")
        || create.contains("ENGINE = Replicated")
        || !create.contains("MergeTree")) {
      return;
    }
    String storage = Identifiers.qualified(schema.database(), table.storageName());
    try {
      ddl.run(schema.alter(storage, Schema.ADD_DEDUPLICATION_WINDOW), unreconciled);
      applied.add(storage + ": deduplication window " + Schema.DEDUPLICATION_WINDOW + " inserts");
    } catch (ExportException e) {
      if (e.isRetryable()) {
        throw e;
      }
      unreconciled.add(
          storage
              + " has no deduplication window, so a retried insert may be stored twice: "
              + e.getMessage());
    }
  }

  /** The live tables, read only: what the operations and the report use. */
  public LiveTables live() {
    return live;
  }

  /**
   * The start's sweep: one that cannot list the partitions (a shard of the cluster down) is
   * reported and left to the next sweep, since inserts do not need it.
   *
   * @param unswept receives the table and the first line of why it was not swept
   */
  private void sweepAtStart(
      ManagedTable table, List<String> applied, List<String> unreconciled, List<String> unswept) {
    try {
      sweep(table, applied, unreconciled);
    } catch (ExportException e) {
      String message = e.getMessage();
      int log = message.indexOf(" Log: ");
      unswept.add(
          Identifiers.qualified(schema.database(), table.storageName())
              + " ("
              + (log < 0 ? message : message.substring(0, log))
              + ")");
    }
  }

  /**
   * Drops the partitions past the live table's own TTL, whatever this instance was configured with:
   * a table whose TTL was kept, or set by another instance or the operator, is swept by what it
   * says. A TTL that cannot be read, or none, sweeps nothing.
   */
  private void sweep(ManagedTable table, List<String> applied, List<String> unreconciled)
      throws ExportException {
    Duration ttl = TtlRetention.of(live.ttl(table.storageName()));
    if (ttl != null && !ttl.isZero()) {
      sweeper.sweep(table, ttl, live.partitionKey(table.storageName()), applied, unreconciled);
    }
  }

  /**
   * What a migration did and what it left alone.
   *
   * @param applied changes made, one line each
   * @param unreconciled differences it reported without changing anything
   * @param serverVersion the server's {@code major.minor}, or {@code unknown}
   */
  public record MigrationReport(
      List<String> applied, List<String> unreconciled, String serverVersion) {}
}
