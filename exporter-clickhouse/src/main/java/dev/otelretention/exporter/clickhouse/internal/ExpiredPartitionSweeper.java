package dev.otelretention.exporter.clickhouse.internal;

import dev.otelretention.export.ExportException;
import dev.otelretention.exporter.clickhouse.internal.schema.Identifiers;
import dev.otelretention.exporter.clickhouse.internal.schema.ManagedTable;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Drops the partitions every row of which is past the table's TTL. A TTL changed without
 * materialization ({@code materialize_ttl_after_modify = 0}, so that no mutation rewrites the
 * table) leaves old parts with the expiry they were written with; dropping whole expired partitions
 * removes those rows as cheaply as the server's own TTL merges would with {@code
 * ttl_only_drop_parts = 1}. Dropping a partition another instance dropped a moment before is a
 * no-op, so many instances may sweep at once.
 *
 * <p>The partition key is read from the live table: {@code toDate(t)}, {@code toStartOfWeek(t)} or
 * {@code toYYYYMM(t)} of one of the tables' time columns, so that the parts' min-max index holds
 * the newest row of each partition. A table partitioned otherwise is left alone.
 */
final class ExpiredPartitionSweeper {
  private static final Pattern PARTITION_KEY =
      Pattern.compile(
          "^(toDate|toStartOfWeek|toYYYYMM)\\((Timestamp|TimestampTime|TimestampDate|TimeUnix|Start)\\)$");

  private final LiveTables live;
  private final DdlRunner ddl;
  private final Schema schema;

  ExpiredPartitionSweeper(LiveTables live, DdlRunner ddl, Schema schema) {
    this.live = live;
    this.ddl = ddl;
    this.schema = schema;
  }

  /**
   * Drops the expired partitions of {@code table}.
   *
   * @param ttl how long the live table keeps its rows, by its own TTL
   * @param partitionKey the live table's partition key, empty when the table does not exist
   * @param applied receives one line per dropped partition
   * @param unreconciled receives why a table was not swept
   */
  void sweep(
      ManagedTable table,
      Duration ttl,
      String partitionKey,
      List<String> applied,
      List<String> unreconciled)
      throws ExportException {
    if (ttl.isZero() || partitionKey.isEmpty()) {
      return;
    }
    String storage = Identifiers.qualified(schema.database(), table.storageName());
    if (!PARTITION_KEY.matcher(partitionKey.replaceAll("\\s+", "")).matches()) {
      unreconciled.add(
          storage
              + " is partitioned by "
              + partitionKey
              + ": expired partitions are left to the server's TTL merges");
      return;
    }
    for (Map.Entry<String, String> partition :
        live.partitionsOlderThan(table.storageName(), ttl).entrySet()) {
      ddl.run(schema.alterPartition(storage, "DROP", partition.getKey(), ""), unreconciled);
      applied.add(
          storage
              + ": dropped partition "
              + partition.getValue()
              + ", all of it older than "
              + Schema.describeRetention(ttl)
              + " (the table's TTL)");
    }
  }
}
