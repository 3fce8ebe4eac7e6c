package dev.otelretention.exporter.clickhouse.internal;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.export.ExportException;
import dev.otelretention.exporter.clickhouse.internal.schema.Identifiers;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shards of the cluster that do not answer: a report read with {@code skip_unavailable_shards}
 * leaves their rows out, and says so by naming them. Not API.
 */
public final class ClusterShards {
  private ClusterShards() {}

  /**
   * The shards that did not answer now, each as {@code shard N (host:port, host:port)}; empty
   * without a cluster or when every shard answers.
   *
   * @throws ExportException if the server cannot be asked
   */
  public static List<String> unanswered(ClickHouseConnection connection, Schema schema)
      throws ExportException {
    if (schema.cluster() == null) {
      return List.of();
    }
    Set<Long> answered = new HashSet<>();
    for (GenericRecord row :
        connection.query(
            "SELECT DISTINCT _shard_num AS shard FROM cluster("
                + Identifiers.literal(schema.cluster())
                + ", system.one)",
            Map.of(),
            schema.reportReadSettings())) {
      answered.add(row.getLong("shard"));
    }
    List<String> missing = new ArrayList<>();
    for (GenericRecord shard :
        connection.query(
            "SELECT shard_num AS shard, arrayStringConcat(groupArray(concat(host_name, ':',"
                + " toString(port))), ', ') AS hosts FROM system.clusters"
                + " WHERE cluster = {cluster:String} GROUP BY shard_num ORDER BY shard_num",
            Map.of("cluster", schema.cluster()))) {
      if (!answered.contains(shard.getLong("shard"))) {
        missing.add("shard " + shard.getLong("shard") + " (" + shard.getString("hosts") + ")");
      }
    }
    return missing;
  }
}
