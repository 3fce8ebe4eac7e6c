package dev.otelretention.exporter.clickhouse.operations;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.export.ExportException;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters;
import dev.otelretention.exporter.clickhouse.ClickHouseSettings;
import dev.otelretention.exporter.clickhouse.TtlMove;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import dev.otelretention.exporter.clickhouse.internal.SchemaManager;
import dev.otelretention.exporter.clickhouse.internal.TableInspector;
import dev.otelretention.exporter.clickhouse.internal.schema.Identifiers;
import dev.otelretention.exporter.clickhouse.internal.schema.ManagedTable;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import dev.otelretention.sink.CapacitySample;
import dev.otelretention.sink.ConfigException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Operations on the telemetry tables for operators, over its own connection. Start with {@link #report}:
 * what each table holds, how fast it grows, whether its live TTL still matches the configuration, and how much
 * disk it will use at the configured retention. Backups, restores and partition moves are planned first
 * ({@code plan*}), shown, and then run with {@link #execute(OperationPlan, boolean)}, which refuses a destructive
 * plan without a confirmation.
 *
 * <p>Tables are named as queries name them ({@code otel_traces}, {@code otel_metrics_sum_1m}, ...); an empty list
 * means every telemetry table (and rollup, when enabled) that exists.
 */
public final class ClickHouseOperations implements AutoCloseable {
  private final ClickHouseConnection connection;
  private final Schema schema;
  private final SchemaManager schemaManager;
  private final TableInspector inspector;

  private ClickHouseOperations(ClickHouseSettings settings) {
    this.schema = settings.schema();
    this.connection = new ClickHouseConnection(settings.connection(), Duration.ofMinutes(5));
    this.schemaManager = new SchemaManager(connection, schema, false);
    this.inspector = new TableInspector(connection, schema, schemaManager);
  }

  /** Connects with an exporter's settings (endpoint, credentials, database, table names and TTLs). */
  public static ClickHouseOperations connect(ClickHouseSettings settings) {
    return new ClickHouseOperations(Objects.requireNonNull(settings, "settings"));
  }

  /**
   * Connects with the settings of an exporter builder, as {@link ClickHouseExporters.Builder#buildSettings()}
   * makes them now.
   *
   * @throws ConfigException if no endpoint is set, or the settings are inconsistent
   */
  public static ClickHouseOperations connect(ClickHouseExporters.Builder settings) {
    return connect(Objects.requireNonNull(settings, "settings").buildSettings());
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
    TableInspector.Usage usage = inspector.usage(table, days);
    return new RetentionReport.TableReport(usage.table(), usage.exists(), usage.rows(), usage.compressedBytes(),
        usage.uncompressedBytes(), usage.partitions(), usage.oldest(), usage.newest(), usage.configuredTtl(),
        usage.liveTtl(), usage.rowsPerDay(), usage.projectedBytes());
  }

  /**
   * Capacity samples for alerts: per existing table its compressed bytes, projected bytes and bytes per day over
   * the last {@code days} days; per server disk its free and total bytes ({@code disk:<name>}).
   *
   * @throws ExportException if a query fails
   */
  public List<CapacitySample> capacitySamples(int days) throws ExportException {
    return inspector.capacitySamples(days);
  }


  /**
   * The partitions of {@code table} that overlap {@code range} ({@code null} for all), oldest first.
   *
   * @throws IllegalArgumentException if the table is not a telemetry table or rollup of this configuration
   * @throws ExportException if a query fails
   */
  public List<PartitionInfo> partitions(String table, PartitionRange range) throws ExportException {
    ManagedTable managed = resolve(table);
    return partitions(managed, managed.storageName(), range);
  }

  private List<PartitionInfo> partitions(ManagedTable table, String storageName, PartitionRange range)
      throws ExportException {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("database", schema.database());
    parameters.put("table", storageName);
    List<PartitionInfo> partitions = new ArrayList<>();
    for (GenericRecord row : connection.query(
        "SELECT partition, partition_id, sum(rows) AS rows, sum(bytes_on_disk) AS bytes,"
            + " arrayStringConcat(arraySort(groupUniqArray(disk_name)), ',') AS disks FROM system.parts"
            + " WHERE active AND database = {database:String} AND table = {table:String}"
            + " GROUP BY partition, partition_id HAVING rows > 0 ORDER BY partition_id", parameters)) {
      LocalDate[] days = table.partitionUnit().days(row.getString("partition"));
      if (range == null || range.overlaps(days[0], days[1])) {
        partitions.add(new PartitionInfo(table.name(), row.getString("partition"), row.getString("partition_id"),
            days[0], days[1], row.getLong("rows"), row.getLong("bytes"), List.of(row.getString("disks").split(","))));
      }
    }
    return partitions;
  }

  /**
   * Row count and checksum of each table that exists, over the partitions of {@code range} ({@code null} for all
   * rows); aggregating tables (the trace-id lookup, the rollups) are read {@code FINAL}, so that merges do not
   * change the figures.
   *
   * @throws ExportException if a query fails
   */
  public List<TableChecksum> checksums(List<String> tables, PartitionRange range) throws ExportException {
    List<TableChecksum> checksums = new ArrayList<>();
    for (ManagedTable table : existing(resolve(tables))) {
      String where = "";
      if (range != null) {
        List<String> ids = new ArrayList<>();
        for (PartitionInfo partition : partitions(table, table.storageName(), range)) {
          ids.add(Identifiers.literal(partition.partitionId()));
        }
        where = ids.isEmpty() ? " WHERE 0" : " WHERE _partition_id IN (" + String.join(", ", ids) + ")";
      }
      GenericRecord row = connection.query("SELECT count() AS n, toString(sum(cityHash64(*))) AS checksum FROM "
          + storage(table) + (table.aggregating() ? " FINAL" : "") + where, Map.of()).get(0);
      checksums.add(new TableChecksum(table.name(), row.getLong("n"), row.getString("checksum")));
    }
    return checksums;
  }

  /**
   * Plans a backup of {@code tables} (empty for all), or of their partitions in {@code range}, to {@code target}.
   * Not destructive; the engine refuses a target that already holds a backup.
   *
   * @throws ExportException if listing the tables or partitions fails
   */
  public OperationPlan planBackup(BackupTarget target, List<String> tables, PartitionRange range)
      throws ExportException {
    Objects.requireNonNull(target, "target");
    List<String> items = new ArrayList<>();
    long partitions = 0;
    for (ManagedTable table : existing(resolve(tables))) {
      String item = "TABLE " + storage(table);
      if (range != null) {
        List<String> names = new ArrayList<>();
        for (PartitionInfo partition : partitions(table, table.storageName(), range)) {
          names.add(Identifiers.literal(partition.partition()));
        }
        if (names.isEmpty()) {
          continue;
        }
        partitions += names.size();
        item += " PARTITIONS " + String.join(", ", names);
      }
      items.add(item);
    }
    String what = items.size() + " table(s)" + (range == null ? "" : " (" + partitions + " partition(s) of " + range + ")");
    OperationPlan.Builder plan = OperationPlan.builder("back up " + what + " of " + schema.database() + " to " + target, false)
        .secret(target.secret());
    if (!items.isEmpty()) {
      plan.backupOrRestore("BACKUP " + String.join(", ", items) + schema.onCluster() + " TO " + target.sql());
    }
    return plan.build();
  }

  /**
   * Plans a restore of {@code tables} (empty for every table of this configuration), or of their partitions in
   * {@code range}, from the backup at {@code source}. {@link RestoreMode#REPLACE} drops the tables (or the
   * partitions of the range) first, {@link RestoreMode#APPEND} adds to what is there; both are destructive.
   *
   * @throws ExportException if listing the tables or partitions fails
   */
  public OperationPlan planRestore(BackupTarget source, List<String> tables, PartitionRange range, RestoreMode mode)
      throws ExportException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(mode, "mode");
    List<ManagedTable> selected = resolve(tables);
    String what = selected.size() + " table(s)" + (range == null ? "" : " (partitions of " + range + ")");
    OperationPlan.Builder plan = OperationPlan.builder(
        "restore " + what + " of " + schema.database() + " from " + source + (mode == RestoreMode.INTO_EMPTY ? ""
            : mode == RestoreMode.REPLACE ? ", replacing what is there" : ", adding to what is there"),
        mode != RestoreMode.INTO_EMPTY).secret(source.secret());
    List<String> items = new ArrayList<>();
    for (ManagedTable table : selected) {
      String item = "TABLE " + storage(table);
      if (range != null) {
        List<String> names = new ArrayList<>();
        for (String name : table.partitionUnit().names(range.from(), range.to())) {
          names.add(Identifiers.literal(name));
        }
        item += " PARTITIONS " + String.join(", ", names);
      }
      items.add(item);
      if (mode == RestoreMode.REPLACE) {
        if (range == null) {
          plan.statement("DROP TABLE IF EXISTS " + storage(table) + schema.onCluster() + " SYNC");
        } else {
          for (PartitionInfo partition : partitions(table, table.storageName(), range)) {
            plan.statement("ALTER TABLE " + storage(table) + schema.onCluster() + " DROP PARTITION ID "
                + Identifiers.literal(partition.partitionId()));
          }
        }
      }
      if (!table.ttl().isZero()) {
        plan.warning(table.name() + " keeps rows for " + describe(table.ttl()) + ": restored rows older than that are"
            + " deleted again by the next merge");
      }
    }
    if (mode == RestoreMode.REPLACE && range == null) {
      plan.warning("inserts into a table fail while it is dropped and restored; exporters retry them");
    }
    String settings = mode == RestoreMode.APPEND || range != null ? " SETTINGS allow_non_empty_tables = true" : "";
    if (mode == RestoreMode.INTO_EMPTY && range != null) {
      plan.warning("only partitions of the range are restored; the engine adds them to whatever the tables hold");
    }
    plan.backupOrRestore("RESTORE " + String.join(", ", items) + schema.onCluster() + " FROM " + source.sql() + settings);
    return plan.build();
  }

  /**
   * Plans moving the partitions of {@code range} out of {@code tables} (empty for all) into archive tables
   * ({@code <table>_archive}, same structure, no TTL; created when missing). Destructive: queries of the live
   * tables no longer see the rows.
   *
   * @throws ExportException if listing the tables or partitions fails
   */
  public OperationPlan planArchive(List<String> tables, PartitionRange range) throws ExportException {
    Objects.requireNonNull(range, "range");
    OperationPlan.Builder plan = OperationPlan.builder(
        "move partitions of " + range + " into archive tables (<table>_archive)", true);
    for (ManagedTable table : existing(resolve(tables))) {
      List<PartitionInfo> partitions = partitions(table, table.storageName(), range);
      if (partitions.isEmpty()) {
        continue;
      }
      String archive = Identifiers.qualified(schema.database(), table.storageName() + "_archive");
      boolean exists = tableExists(table.storageName() + "_archive");
      if (!exists) {
        plan.statement("CREATE TABLE IF NOT EXISTS " + archive + schema.onCluster() + " AS " + storage(table));
      }
      if ((!exists && !table.ttlExpression().isEmpty())
          || (exists && !schemaManager.currentTtl(table.storageName() + "_archive").isEmpty())) {
        plan.statement("ALTER TABLE " + archive + schema.onCluster() + " REMOVE TTL");
      }
      for (PartitionInfo partition : partitions) {
        plan.statement("ALTER TABLE " + storage(table) + schema.onCluster() + " MOVE PARTITION ID "
            + Identifiers.literal(partition.partitionId()) + " TO TABLE " + archive);
      }
    }
    if (!plan.build().isEmpty()) {
      plan.warning("archive tables keep their rows until dropped: they have no TTL");
    }
    return plan.build();
  }

  /**
   * Plans moving the partitions of {@code range} back from the archive tables into {@code tables} (empty for all).
   * Destructive in that it changes what the live tables hold.
   *
   * @throws ExportException if listing the tables or partitions fails
   */
  public OperationPlan planUnarchive(List<String> tables, PartitionRange range) throws ExportException {
    return planUnarchive(tables, range, false);
  }

  /**
   * Plans bringing the partitions of {@code range} back from the archive tables into {@code tables} (empty for
   * all): moved ({@code MOVE PARTITION ... TO TABLE}), or with {@code keepArchive} copied ({@code ATTACH PARTITION
   * ... FROM}), so that the archive still holds them. Destructive in that it changes what the live tables hold; a
   * partition the live table still has rows in gets them twice when copied, and the plan warns of it.
   *
   * @throws ExportException if listing the tables or partitions fails
   */
  public OperationPlan planUnarchive(List<String> tables, PartitionRange range, boolean keepArchive)
      throws ExportException {
    Objects.requireNonNull(range, "range");
    OperationPlan.Builder plan = OperationPlan.builder((keepArchive ? "copy" : "move") + " partitions of " + range
        + " from the archive tables back into the live tables", true);
    for (ManagedTable table : existing(resolve(tables))) {
      if (!tableExists(table.storageName() + "_archive")) {
        continue;
      }
      String archive = Identifiers.qualified(schema.database(), table.storageName() + "_archive");
      List<String> live = new ArrayList<>();
      for (PartitionInfo partition : partitions(table, table.storageName(), range)) {
        live.add(partition.partitionId());
      }
      for (PartitionInfo partition : partitions(table, table.storageName() + "_archive", range)) {
        String id = Identifiers.literal(partition.partitionId());
        if (keepArchive) {
          plan.statement("ALTER TABLE " + storage(table) + schema.onCluster() + " ATTACH PARTITION ID " + id
              + " FROM " + archive);
        } else {
          plan.statement("ALTER TABLE " + archive + schema.onCluster() + " MOVE PARTITION ID " + id + " TO TABLE "
              + storage(table));
        }
        if (live.contains(partition.partitionId())) {
          plan.warning(table.name() + " already has rows in partition " + partition.partition()
              + ": they stay, and the archived rows are added to them");
        }
      }
      if (!table.ttl().isZero()) {
        plan.warning(table.name() + " keeps rows for " + describe(table.ttl()) + ": rows older than that are deleted"
            + " again by the next merge");
      }
    }
    return plan.build();
  }

  /**
   * Plans moving the partitions of {@code range} of {@code tables} (empty for all) to another volume or disk of
   * their storage policy. Destructive in that the data changes place.
   *
   * @throws ExportException if listing the tables or partitions fails
   */
  public OperationPlan planMove(List<String> tables, PartitionRange range, TtlMove.Target target, String name)
      throws ExportException {
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(target, "target");
    Identifiers.validate(target == TtlMove.Target.VOLUME ? "volume" : "disk", name);
    String where = target.name() + " " + Identifiers.literal(name);
    OperationPlan.Builder plan = OperationPlan.builder("move partitions of " + range + " to " + where, true);
    for (ManagedTable table : existing(resolve(tables))) {
      for (PartitionInfo partition : partitions(table, table.storageName(), range)) {
        plan.statement("ALTER TABLE " + storage(table) + schema.onCluster() + " MOVE PARTITION ID "
            + Identifiers.literal(partition.partitionId()) + " TO " + where);
      }
    }
    return plan.build();
  }

  /**
   * Plans dropping the partitions of {@code range} of {@code tables} (empty for all). Destructive.
   *
   * @throws ExportException if listing the tables or partitions fails
   */
  public OperationPlan planDrop(List<String> tables, PartitionRange range) throws ExportException {
    Objects.requireNonNull(range, "range");
    OperationPlan.Builder plan = OperationPlan.builder("drop partitions of " + range, true);
    long rows = 0;
    for (ManagedTable table : existing(resolve(tables))) {
      for (PartitionInfo partition : partitions(table, table.storageName(), range)) {
        rows += partition.rows();
        plan.statement("ALTER TABLE " + storage(table) + schema.onCluster() + " DROP PARTITION ID "
            + Identifiers.literal(partition.partitionId()));
      }
    }
    if (rows > 0) {
      plan.warning(String.format(java.util.Locale.ROOT, "%,d rows are deleted for good", rows));
    }
    return plan.build();
  }

  /**
   * Runs {@code plan}, statement by statement; a backup or restore is started {@code ASYNC} and followed in
   * {@code system.backups} until it ends (at most an hour).
   *
   * @param confirmed must be true for a destructive plan, after it was shown to whoever asked for it
   * @throws IllegalStateException if the plan is destructive and not confirmed
   * @throws ExportException if a statement fails; the statements before it have run
   */
  public OperationResult execute(OperationPlan plan, boolean confirmed) throws ExportException {
    return execute(plan, confirmed, Duration.ofHours(1));
  }

  /**
   * Runs {@code plan} as {@link #execute(OperationPlan, boolean)} does, waiting at most {@code timeout} for each
   * backup or restore.
   */
  public OperationResult execute(OperationPlan plan, boolean confirmed, Duration timeout) throws ExportException {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(timeout, "timeout");
    if (plan.destructive() && !confirmed) {
      throw new IllegalStateException("'" + plan.summary() + "' is destructive: review the plan and confirm it");
    }
    List<String> outcomes = new ArrayList<>();
    for (OperationPlan.Step step : plan.steps()) {
      try {
        if (step.kind() == OperationPlan.Kind.BACKUP_OR_RESTORE) {
          outcomes.add(followBackup(connection.query(step.sql() + " ASYNC", Map.of()).get(0).getString("id"), timeout));
        } else {
          connection.execute(step.sql());
          outcomes.add("ok");
        }
      } catch (ExportException e) {
        throw e.isRetryable()
            ? ExportException.retryable(e.errorType(), plan.mask(e.getMessage()), null)
            : ExportException.permanent(e.errorType(), plan.mask(e.getMessage()), null);
      }
    }
    return new OperationResult(plan.summary(), outcomes);
  }

  private String followBackup(String id, Duration timeout) throws ExportException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Object> parameters = Map.of("id", id);
    long pause = 50;
    while (true) {
      List<GenericRecord> rows = connection.query("SELECT status, error, num_files, total_size FROM system.backups"
          + " WHERE id = {id:String}", parameters);
      String status = rows.isEmpty() ? "UNKNOWN" : rows.get(0).getString("status");
      if (status.endsWith("_FAILED") || status.endsWith("_CANCELLED")) {
        String error = rows.get(0).getString("error");
        int newline = error.indexOf('\n');
        int stack = error.indexOf(", Stack trace");
        int end = stack >= 0 ? stack : newline >= 0 ? newline : error.length();
        throw ExportException.permanent("clickhouse_" + status.toLowerCase(java.util.Locale.ROOT),
            status + ": " + error.substring(0, end), null);
      }
      if (status.equals("BACKUP_CREATED") || status.equals("RESTORED")) {
        return String.format(java.util.Locale.ROOT, "%s %,d files, %,d bytes (id %s)", status,
            rows.get(0).getLong("num_files"), rows.get(0).getLong("total_size"), id);
      }
      if (System.nanoTime() > deadline) {
        throw ExportException.retryable("timeout", status + " still running after " + timeout + " (id " + id + ")", null);
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ExportException.retryable("interrupted", "interrupted while waiting for " + id, e);
      }
      pause = Math.min(1000, pause * 2);
    }
  }

  /** {@code 7 days}, {@code 36 hours}, ... */
  static String describe(Duration duration) {
    long seconds = duration.getSeconds();
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + (seconds == 86_400 ? " day" : " days");
    }
    if (seconds % 3600 == 0) {
      return seconds / 3600 + " hours";
    }
    return seconds % 60 == 0 ? seconds / 60 + " minutes" : seconds + " seconds";
  }

  private String storage(ManagedTable table) {
    return Identifiers.qualified(schema.database(), table.storageName());
  }

  private boolean tableExists(String storageName) throws ExportException {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("database", schema.database());
    parameters.put("table", storageName);
    return connection.query("SELECT count() AS n FROM system.tables WHERE database = {database:String}"
        + " AND name = {table:String}", parameters).get(0).getLong("n") > 0;
  }

  private List<ManagedTable> existing(List<ManagedTable> tables) throws ExportException {
    List<ManagedTable> existing = new ArrayList<>();
    for (ManagedTable table : tables) {
      if (tableExists(table.storageName())) {
        existing.add(table);
      }
    }
    return existing;
  }

  private ManagedTable resolve(String name) {
    Objects.requireNonNull(name, "table");
    List<String> known = new ArrayList<>();
    for (ManagedTable table : schema.managedTables()) {
      if (table.name().equals(name)) {
        return table;
      }
      known.add(table.name());
    }
    throw new IllegalArgumentException("unknown table '" + name + "'; the tables are " + String.join(", ", known));
  }

  private List<ManagedTable> resolve(List<String> names) {
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

  @Override
  public void close() {
    connection.close();
  }
}
