package dev.otelretention.exporter.clickhouse.internal;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.export.ExportException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the schema's statements. On a cluster an {@code ON CLUSTER} statement is answered by every
 * host; a host that does not finish within the request timeout (a replica that is down) is not
 * waited for: the server keeps the statement in its DDL queue for it, and the host is named in the
 * notes, as is a host that failed. Without a cluster a statement just runs.
 */
final class DdlRunner {
  private final ClickHouseConnection connection;
  private final boolean cluster;

  DdlRunner(ClickHouseConnection connection, boolean cluster) {
    this.connection = connection;
    this.cluster = cluster;
  }

  void run(String sql, List<String> notes) throws ExportException {
    run(sql, Map.of(), notes);
  }

  void run(String sql, Map<String, String> serverSettings, List<String> notes)
      throws ExportException {
    if (!cluster) {
      connection.execute(sql, serverSettings);
      return;
    }
    Map<String, String> settings = new LinkedHashMap<>(serverSettings);
    settings.putAll(clusterSettings(connection.requestTimeout().toSeconds()));
    for (GenericRecord host : connection.queryWithSettings(sql, settings)) {
      String note = hostNote(host, sql);
      if (note != null) {
        notes.add(note);
      }
    }
  }

  /**
   * Answer with a status per host instead of failing when some host is not done in time, and give
   * up waiting a second before the request itself would time out.
   */
  static Map<String, String> clusterSettings(long requestTimeoutSeconds) {
    return Map.of(
        "distributed_ddl_output_mode",
        "null_status_on_timeout",
        "distributed_ddl_task_timeout",
        Long.toString(Math.max(1, requestTimeoutSeconds - 1)));
  }

  private static String hostNote(GenericRecord host, String sql) {
    boolean perHost =
        host.getSchema().getColumns().stream().anyMatch(c -> c.getColumnName().equals("host"));
    if (!perHost) {
      return null;
    }
    String name = host.getString("host") + ":" + host.getString("port");
    String statement = sql.length() > 80 ? sql.substring(0, 80) + "…" : sql;
    Object status = host.getObject("status");
    if (status == null) {
      return name + " has not run it yet (it will, from the server's DDL queue): " + statement;
    }
    if (((Number) status).longValue() != 0) {
      return name + " failed: " + host.getString("error") + ": " + statement;
    }
    return null;
  }
}
