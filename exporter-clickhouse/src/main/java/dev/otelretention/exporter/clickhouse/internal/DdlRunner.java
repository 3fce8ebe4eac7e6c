package dev.otelretention.exporter.clickhouse.internal;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.export.ExportException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the schema's statements. On a cluster an {@code ON CLUSTER} statement is answered by every
 * host; a host that does not finish within the request timeout (a replica that is down) is not
 * waited for: the server keeps the statement in its DDL queue for it, and {@link #drainPending}
 * names the host once with the number of statements it has still to run. A host that failed is
 * named in the notes with the statement. Without a cluster a statement just runs.
 */
public final class DdlRunner {
  private final ClickHouseConnection connection;
  private final boolean cluster;
  private final Map<String, Pending> pending = new LinkedHashMap<>();

  public DdlRunner(ClickHouseConnection connection, boolean cluster) {
    this.connection = connection;
    this.cluster = cluster;
  }

  /** Runs {@code sql}; what some host of the cluster has not done or failed is added to notes. */
  public synchronized void run(String sql, List<String> notes) throws ExportException {
    run(sql, Map.of(), notes);
  }

  synchronized void run(String sql, Map<String, String> serverSettings, List<String> notes)
      throws ExportException {
    if (!cluster) {
      connection.execute(sql, serverSettings);
      return;
    }
    Map<String, String> settings = new LinkedHashMap<>(serverSettings);
    settings.putAll(clusterSettings(connection.requestTimeout().toSeconds()));
    for (GenericRecord host : connection.query(sql, Map.of(), settings)) {
      if (host.getSchema().getColumns().stream().noneMatch(c -> c.getColumnName().equals("host"))) {
        continue;
      }
      String name = host.getString("host") + ":" + host.getString("port");
      Object status = host.getObject("status");
      if (status == null) {
        pending.computeIfAbsent(name, unused -> new Pending(abbreviate(sql))).statements++;
      } else if (((Number) status).longValue() != 0) {
        notes.add(name + " failed: " + host.getString("error") + ": " + abbreviate(sql));
      }
    }
  }

  /**
   * Adds one note per host that has not run some statements yet (they wait in the server's DDL
   * queue for it), and forgets them.
   */
  public synchronized void drainPending(List<String> notes) {
    for (Map.Entry<String, Pending> host : pending.entrySet()) {
      Pending waiting = host.getValue();
      notes.add(
          host.getKey()
              + " has not run "
              + waiting.statements
              + (waiting.statements == 1 ? " ON CLUSTER statement" : " ON CLUSTER statements")
              + " yet (it will, from the server's DDL queue), the first: "
              + waiting.first);
    }
    pending.clear();
  }

  private static String abbreviate(String sql) {
    return sql.length() > 80 ? sql.substring(0, 80) + "…" : sql;
  }

  private static final class Pending {
    private final String first;
    private int statements;

    private Pending(String first) {
      this.first = first;
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
}
