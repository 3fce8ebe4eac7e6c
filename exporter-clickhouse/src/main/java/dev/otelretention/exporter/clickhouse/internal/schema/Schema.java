package dev.otelretention.exporter.clickhouse.internal.schema;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * DDL of the tables in the newest layout of the OpenTelemetry Collector's ClickHouse exporter: same
 * table and column names, types, codecs, ALIAS and MATERIALIZED columns, skip indexes (full-text or
 * bloom filters by server version), partitioning, primary key and ordering, with TTL rendered the
 * way it renders its {@code ttl} option. The revision matched is named in the README.
 */
public final class Schema {

  /** Inserts remembered per table for deduplication by token (the peer's tables have none). */
  public static final int DEDUPLICATION_WINDOW = 1000;

  private final String database;
  private final Map<TelemetryTable, String> tableNames;
  private final Map<TelemetryTable, Duration> ttls;
  private final String cluster;
  private final String engine;
  private final String storagePolicy;
  private final Map<TelemetryTable, List<TierMove>> moves;
  private final Map<RollupTable.Resolution, Duration> rollupTtls;
  private final RetentionSettings retention;
  private final boolean jsonAttributes;

  /**
   * A schema.
   *
   * @param rollupTtls the TTL of each rollup resolution; empty when metric rollups are off
   * @param retention how the TTLs were set, and whether this instance may shorten a live table's
   *     TTL
   * @param jsonAttributes whether the traces and logs tables keep their attributes in {@code JSON}
   *     columns, as the Collector's JSON layout does
   */
  public Schema(
      String database,
      Map<TelemetryTable, String> tableNames,
      Map<TelemetryTable, Duration> ttls,
      String cluster,
      String engine,
      String storagePolicy,
      Map<TelemetryTable, List<TierMove>> moves,
      Map<RollupTable.Resolution, Duration> rollupTtls,
      RetentionSettings retention,
      boolean jsonAttributes) {
    this.jsonAttributes = jsonAttributes;
    this.retention = retention;
    this.rollupTtls = new EnumMap<>(RollupTable.Resolution.class);
    this.rollupTtls.putAll(rollupTtls);
    this.database = database;
    this.tableNames = new EnumMap<>(TelemetryTable.class);
    this.tableNames.putAll(tableNames);
    this.ttls = new EnumMap<>(TelemetryTable.class);
    this.ttls.putAll(ttls);
    this.cluster = cluster;
    this.engine = engine;
    this.storagePolicy = storagePolicy;
    this.moves = new EnumMap<>(TelemetryTable.class);
    moves.forEach((table, list) -> this.moves.put(table, sortedByAge(list)));
  }

  private static List<TierMove> sortedByAge(List<TierMove> moves) {
    List<TierMove> sorted = new ArrayList<>(moves);
    sorted.sort(Comparator.comparing(TierMove::after));
    return List.copyOf(sorted);
  }

  /** How the TTLs were set, and whether this instance may shorten a live table's TTL. */
  /** Whether the traces and logs tables keep their attributes in {@code JSON} columns. */
  public boolean jsonAttributes() {
    return jsonAttributes;
  }

  public RetentionSettings retention() {
    return retention;
  }

  public boolean rollups() {
    return !rollupTtls.isEmpty();
  }

  public Duration rollupTtl(RollupTable table) {
    return rollupTtls.getOrDefault(table.resolution(), Duration.ZERO);
  }

  public String rollupName(RollupTable table) {
    return tableName(table.source()) + table.resolution().suffix();
  }

  public String rollupStorage(RollupTable table) {
    return cluster == null ? rollupName(table) : rollupName(table) + "_local";
  }

  public String qualifiedRollup(RollupTable table) {
    return Identifiers.qualified(database, rollupName(table));
  }

  public String qualifiedRollupStorage(RollupTable table) {
    return Identifiers.qualified(database, rollupStorage(table));
  }

  /** The rollup's TTL: the metric moves that happen before its delete, then the delete. */
  public String rollupTtlExpression(RollupTable table) {
    Duration ttl = rollupTtl(table);
    List<TierMove> kept = new ArrayList<>();
    for (TierMove move : moves(table.source())) {
      if (ttl.isZero() || move.after().compareTo(ttl) < 0) {
        kept.add(move);
      }
    }
    return ttlExpression("TimeUnix", kept, ttl);
  }

  /**
   * The telemetry tables and, when enabled, the rollups, as the schema manager and the report see
   * them.
   */
  public List<ManagedTable> managedTables() {
    List<ManagedTable> tables = new ArrayList<>();
    for (TelemetryTable table : TelemetryTable.values()) {
      tables.add(
          new ManagedTable(
              tableName(table),
              storageName(table),
              table.columns(jsonAttributes),
              table.timeColumn(),
              ttl(table),
              ttlExpression(table),
              table.ttlExpression(),
              retention.setting(RetentionSettings.group(table)),
              table == TelemetryTable.TRACE_ID_TS
                  ? ManagedTable.PartitionUnit.WEEK
                  : ManagedTable.PartitionUnit.DAY,
              table == TelemetryTable.TRACE_ID_TS,
              table.aliasColumns()));
    }
    if (rollups()) {
      for (RollupTable rollup : RollupTable.values()) {
        tables.add(
            new ManagedTable(
                rollupName(rollup),
                rollupStorage(rollup),
                rollup.columns(),
                "TimeUnix",
                rollupTtl(rollup),
                rollupTtlExpression(rollup),
                "TimeUnix",
                retention.setting(RetentionSettings.group(rollup)),
                rollup.resolution() == RollupTable.Resolution.HOUR
                    ? ManagedTable.PartitionUnit.MONTH
                    : ManagedTable.PartitionUnit.DAY,
                true,
                List.of()));
      }
    }
    return tables;
  }

  /** The storage policy new tables get, or {@code null} for the server's default. */
  public String storagePolicy() {
    return storagePolicy;
  }

  /** The moves of {@code table}, youngest first. */
  public List<TierMove> moves(TelemetryTable table) {
    return moves.getOrDefault(table, List.of());
  }

  /** The cluster of {@code ON CLUSTER} DDL, or {@code null}. */
  public String cluster() {
    return cluster;
  }

  public String database() {
    return database;
  }

  public String tableName(TelemetryTable table) {
    return tableNames.getOrDefault(table, table.defaultName());
  }

  /**
   * The table queries and inserts use: the data table, or with a cluster the Distributed table over
   * it.
   */
  public String qualifiedName(TelemetryTable table) {
    return Identifiers.qualified(database, tableName(table));
  }

  /**
   * The table that stores the rows: {@code <name>_local} on a cluster, the table itself otherwise.
   */
  public String storageName(TelemetryTable table) {
    return cluster == null ? tableName(table) : tableName(table) + "_local";
  }

  public String qualifiedStorage(TelemetryTable table) {
    return Identifiers.qualified(database, storageName(table));
  }

  public boolean hasCluster() {
    return cluster != null;
  }

  /**
   * A retention as people say it: {@code forever}, {@code 1 day}, {@code 7 days}, {@code 36 hours},
   * ...
   */
  public static String describeRetention(Duration ttl) {
    long seconds = ttl.toSeconds();
    if (seconds == 0) {
      return "forever";
    }
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + (seconds == 86_400 ? " day" : " days");
    }
    if (seconds % 3600 == 0) {
      return seconds / 3600 + " hours";
    }
    return seconds % 60 == 0 ? seconds / 60 + " minutes" : seconds + " seconds";
  }

  public Duration ttl(TelemetryTable table) {
    return ttls.getOrDefault(table, Duration.ZERO);
  }

  /** {@code ON CLUSTER `name`} with a leading space, or empty. */
  public String onCluster() {
    return cluster == null ? "" : " ON CLUSTER " + Identifiers.quote(cluster);
  }

  /**
   * The parts of the stored tables: on a cluster {@code system.parts} of one replica of every
   * shard, so that rows and partitions add up to the whole table; else the server's own.
   */
  public String systemParts() {
    return cluster == null
        ? "system.parts"
        : "cluster(" + Identifiers.literal(cluster) + ", system.parts)";
  }

  /**
   * Server settings of a report's read over the cluster: a shard that is down is left out (the
   * report names it) instead of failing the read; empty without a cluster.
   */
  public Map<String, String> reportReadSettings() {
    return cluster == null ? Map.of() : Map.of("skip_unavailable_shards", "1");
  }

  /** The TTL clause for {@code table}, empty when it keeps data forever. */
  public String ttlClause(TelemetryTable table) {
    String expression = ttlExpression(table);
    return expression.isEmpty() ? "" : "TTL " + expression;
  }

  /**
   * {@code <time column> + toIntervalDay(n)} (Hour, Minute or Second when the TTL is not whole
   * days), preceded by one {@code <time column> + interval TO VOLUME|DISK 'name'} per move, or
   * empty when there is neither.
   */
  public String ttlExpression(TelemetryTable table) {
    return ttlExpression(table.ttlExpression(), moves(table), ttl(table));
  }

  public static String ttlExpression(String time, List<TierMove> moves, Duration ttl) {
    List<String> parts = new ArrayList<>();
    for (TierMove move : moves) {
      parts.add(time + " + " + interval(move.after()) + " " + move.clause());
    }
    if (!ttl.isZero()) {
      parts.add(time + " + " + interval(ttl));
    }
    return String.join(", ", parts);
  }

  /**
   * {@code toIntervalDay(n)}, or Hour, Minute or Second when the duration is not a whole number of
   * days.
   */
  public static String interval(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds % 86_400 == 0) {
      return "toIntervalDay(" + seconds / 86_400 + ")";
    } else if (seconds % 3600 == 0) {
      return "toIntervalHour(" + seconds / 3600 + ")";
    } else if (seconds % 60 == 0) {
      return "toIntervalMinute(" + seconds / 60 + ")";
    }
    return "toIntervalSecond(" + seconds + ")";
  }

  /**
   * The SETTINGS clause of the data tables: the peer's, plus a deduplication window so that an
   * insert retried with the same token is stored once, and the storage policy when one is
   * configured.
   */
  public String settingsClause() {
    return "SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1, non_replicated_deduplication_window = "
        + DEDUPLICATION_WINDOW
        + (storagePolicy == null ? "" : ", storage_policy = " + Identifiers.literal(storagePolicy));
  }

  /** {@code ALTER TABLE <table> [ON CLUSTER ...] <clause>}, every change to a table. */
  public String alter(String qualifiedTable, String clause) {
    return "ALTER TABLE " + qualifiedTable + onCluster() + " " + clause;
  }

  /**
   * {@code ALTER TABLE <table> [ON CLUSTER ...] <verb> PARTITION ID '<id>'<rest>}, the statement of
   * every partition operation.
   */
  public String alterPartition(
      String qualifiedTable, String verb, String partitionId, String rest) {
    return alter(qualifiedTable, verb + " PARTITION ID " + Identifiers.literal(partitionId) + rest);
  }

  /** The clause that adds {@code column} to a table that lacks it. */
  /** {@code ADD COLUMN IF NOT EXISTS <alias column> AFTER <column>}. */
  public static String addColumn(TelemetryTable.AliasColumn column) {
    return "ADD COLUMN IF NOT EXISTS "
        + column.definition()
        + " AFTER "
        + Identifiers.quote(column.after());
  }

  public static String addColumn(TelemetryTable.Column column) {
    return "ADD COLUMN IF NOT EXISTS " + Identifiers.quote(column.name()) + " " + column.type();
  }

  /** The clause that sets a table's TTL to {@code expression}. */
  public static String modifyTtl(String expression) {
    return "MODIFY TTL " + expression;
  }

  /** The clause that removes a table's TTL. */
  public static final String REMOVE_TTL = "REMOVE TTL";

  /** The clause that moves a table to the storage policy {@code policy}. */
  public static String modifyStoragePolicy(String policy) {
    return "MODIFY SETTING storage_policy = " + Identifiers.literal(policy);
  }

  /** The clause that gives a table the deduplication window insert tokens need. */
  public static final String ADD_DEDUPLICATION_WINDOW =
      "MODIFY SETTING non_replicated_deduplication_window = " + DEDUPLICATION_WINDOW;

  public String createDatabase() {
    return "CREATE DATABASE IF NOT EXISTS " + Identifiers.quote(database) + onCluster();
  }

  /**
   * Every CREATE statement, in the order they must run (the view after both its tables).
   *
   * @param textIndexes whether skip indexes are full-text instead of bloom filters
   */
  public List<String> createStatements(boolean textIndexes) {
    List<String> statements = new ArrayList<>();
    for (TelemetryTable table : TelemetryTable.values()) {
      statements.add(createTable(table, textIndexes));
      if (cluster != null) {
        statements.add(createDistributed(table));
      }
    }
    statements.add(createTraceIdView());
    if (rollups()) {
      for (RollupTable rollup : RollupTable.values()) {
        statements.add(createRollupTable(rollup));
        if (cluster != null) {
          statements.add(
              "CREATE TABLE IF NOT EXISTS "
                  + qualifiedRollup(rollup)
                  + onCluster()
                  + " AS "
                  + qualifiedRollupStorage(rollup)
                  + "\nENGINE = Distributed("
                  + Identifiers.literal(cluster)
                  + ", "
                  + Identifiers.literal(database)
                  + ", "
                  + Identifiers.literal(rollupStorage(rollup))
                  + ", rand())");
        }
        statements.add(createRollupView(rollup));
      }
    }
    return statements;
  }

  public String createRollupTable(RollupTable rollup) {
    String ttl = rollupTtlExpression(rollup);
    return "CREATE TABLE IF NOT EXISTS "
        + qualifiedRollupStorage(rollup)
        + onCluster()
        + " (\n"
        + rollup.columnDefinitions()
        + ") ENGINE = "
        + (cluster == null ? "" : "Replicated")
        + "AggregatingMergeTree\n"
        + "PARTITION BY "
        + rollup.partitionBy()
        + "\n"
        + "ORDER BY "
        + rollup.orderBy()
        + "\n"
        + (ttl.isEmpty() ? "" : "TTL " + ttl + "\n")
        + settingsClause();
  }

  /** The view that adds every insert into the raw table to the rollup. */
  public String createRollupView(RollupTable rollup) {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS "
        + Identifiers.qualified(database, rollupStorage(rollup) + "_mv")
        + onCluster()
        + " TO "
        + qualifiedRollupStorage(rollup)
        + "\nAS "
        + rollup.select(qualifiedStorage(rollup.source()));
  }

  /**
   * The {@code CREATE TABLE} of {@code table} in the Collector's newest layout.
   *
   * @param textIndexes whether skip indexes are full-text ({@code TYPE text(...)}, servers from
   *     26.2) instead of bloom filters
   */
  public String createTable(TelemetryTable table, boolean textIndexes) {
    return CreateTables.createTable(this, table, textIndexes);
  }

  String engineFor(TelemetryTable table) {
    String base = table == TelemetryTable.TRACE_ID_TS ? "AggregatingMergeTree" : "MergeTree";
    if (engine != null && table != TelemetryTable.TRACE_ID_TS) {
      return engine;
    }
    return cluster == null ? base : "Replicated" + base;
  }

  /**
   * On a cluster: the Distributed table with the standard name over the local tables of every
   * shard. Spans are sharded by trace id, so that a trace's spans, and the trace-id lookup the view
   * fills from them on each shard, are on one shard; the other tables spread rows at random.
   */
  public String createDistributed(TelemetryTable table) {
    return "CREATE TABLE IF NOT EXISTS "
        + qualifiedName(table)
        + onCluster()
        + " AS "
        + qualifiedStorage(table)
        + "\nENGINE = Distributed("
        + Identifiers.literal(cluster)
        + ", "
        + Identifiers.literal(database)
        + ", "
        + Identifiers.literal(storageName(table))
        + ", "
        + shardingKey(table)
        + ")";
  }

  /** The sharding key of the Distributed table over {@code table}. */
  public static String shardingKey(TelemetryTable table) {
    return table == TelemetryTable.TRACES || table == TelemetryTable.TRACE_ID_TS
        ? "cityHash64(TraceId)"
        : "rand()";
  }

  public String createTraceIdView() {
    return "CREATE MATERIALIZED VIEW IF NOT EXISTS "
        + Identifiers.qualified(database, tableName(TelemetryTable.TRACES) + "_trace_id_ts_mv")
        + onCluster()
        + " TO "
        + qualifiedStorage(TelemetryTable.TRACE_ID_TS)
        + "\n"
        + "AS SELECT TraceId, min(Timestamp) AS Start, max(Timestamp) AS End\n"
        + "FROM "
        + qualifiedStorage(TelemetryTable.TRACES)
        + "\n"
        + "WHERE TraceId != ''\n"
        + "GROUP BY TraceId";
  }
}
