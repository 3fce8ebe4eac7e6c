package dev.otelretention.exporter.clickhouse.operations;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.export.ExportException;
import dev.otelretention.exporter.clickhouse.ClickHouseSettings;
import dev.otelretention.exporter.clickhouse.internal.ClickHouseConnection;
import dev.otelretention.exporter.clickhouse.internal.DdlRunner;
import dev.otelretention.exporter.clickhouse.internal.schema.Identifiers;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * The table ({@code <prefix>replay_ledger}) that records how far loads of files into the telemetry
 * tables got, so that a load is done once and resumes where it stopped. A file's content is known
 * by the hash of its first record; each entry says that its first {@code records} records, whose
 * hash it holds, were loaded.
 *
 * <p>On a cluster every shard has its own replicas, so the entries are stored in {@code
 * <ledger>_local} tables and read and written through a Distributed table over them: a load sees
 * the progress of every earlier one, whichever server it reaches. The tables are created at the
 * first use.
 */
public final class ReplayLedger implements AutoCloseable {
  private static final Logger LOGGER = Logger.getLogger(ReplayLedger.class.getName());

  private final ClickHouseConnection connection;
  private final Schema schema;
  private final String ledger;
  private final String storage;
  private final String storageName;
  private final String cluster;
  private boolean ready;

  private ReplayLedger(ClickHouseSettings settings, Duration requestTimeout) {
    this.schema = settings.schema();
    this.connection = new ClickHouseConnection(settings.connection(), requestTimeout);
    String name = settings.tablePrefix() + "replay_ledger";
    this.cluster = settings.cluster();
    this.ledger = Identifiers.qualified(settings.database(), name);
    this.storageName = cluster == null ? name : name + "_local";
    this.storage = Identifiers.qualified(settings.database(), storageName);
  }

  /**
   * The ledger beside the tables {@code settings} describe, over a connection of its own whose
   * requests may take {@code requestTimeout}.
   */
  public static ReplayLedger open(ClickHouseSettings settings, Duration requestTimeout) {
    return new ReplayLedger(
        Objects.requireNonNull(settings, "settings"),
        Objects.requireNonNull(requestTimeout, "requestTimeout"));
  }

  /**
   * The loads recorded of the content whose first record hashes to {@code head}: for each number of
   * leading records loaded, the hash of those records (the largest number first when two loads
   * differ).
   */
  public Map<Long, String> loaded(String head) throws ExportException {
    create();
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("head", head);
    List<GenericRecord> rows =
        connection.query(
            "SELECT Records, RecordsSha256 FROM "
                + ledger
                + " WHERE HeadSha256 = {head:String} ORDER BY Records DESC",
            parameters);
    Map<Long, String> loads = new HashMap<>();
    for (GenericRecord row : rows) {
      loads.putIfAbsent(row.getLong("Records"), row.getString("RecordsSha256"));
    }
    return loads;
  }

  /**
   * Records that the first {@code records} records of the content whose first record hashes to
   * {@code head}, together hashing to {@code recordsHash}, were loaded from {@code file}.
   */
  public void record(String head, long records, String recordsHash, String file)
      throws ExportException {
    create();
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("head", head);
    parameters.put("records", records);
    parameters.put("sha", recordsHash);
    parameters.put("file", file);
    connection.query(
        "INSERT INTO "
            + ledger
            + " (HeadSha256, Records, RecordsSha256, File)"
            // through a Distributed table, answered once the shard has the row, so the next read
            // sees it
            + (cluster == null ? "" : " SETTINGS distributed_foreground_insert = 1")
            + " VALUES"
            + " ({head:String}, {records:UInt64}, {sha:String}, {file:String})",
        parameters);
  }

  /** Creates the database and the ledger tables, once. */
  public synchronized void create() throws ExportException {
    if (ready) {
      return;
    }
    DdlRunner ddl = new DdlRunner(connection, cluster != null);
    List<String> notes = new ArrayList<>();
    ddl.run(schema.createDatabase(), notes);
    ddl.run(
        "CREATE TABLE IF NOT EXISTS "
            + storage
            + schema.onCluster()
            + " (\n"
            + "    HeadSha256 String,\n"
            + "    Records UInt64,\n"
            + "    RecordsSha256 String,\n"
            + "    File String,\n"
            + "    LoadedAt DateTime64(3) DEFAULT now64(3)\n"
            + ") ENGINE = "
            + (cluster == null ? "MergeTree" : "ReplicatedMergeTree")
            + "\n"
            + "ORDER BY (HeadSha256, Records)",
        notes);
    if (cluster != null) {
      ddl.run(
          "CREATE TABLE IF NOT EXISTS "
              + ledger
              + schema.onCluster()
              + " AS "
              + storage
              + "\nENGINE = Distributed("
              + Identifiers.literal(cluster)
              + ", "
              + Identifiers.literal(schema.database())
              + ", "
              + Identifiers.literal(storageName)
              + ", cityHash64(HeadSha256))",
          notes);
    }
    ddl.drainPending(notes);
    for (String note : notes) {
      LOGGER.warning("otel-retention: replay ledger: " + note);
    }
    ready = true;
  }

  /** Closes the connection. */
  @Override
  public void close() {
    connection.close();
  }

  @Override
  public String toString() {
    return "ReplayLedger{" + ledger + "}";
  }
}
