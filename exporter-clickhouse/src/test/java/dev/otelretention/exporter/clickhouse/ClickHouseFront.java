package dev.otelretention.exporter.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.testing.clickhouse.LocalClickHouse;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the HTTP front of the embedded ClickHouse engine ({@code
 * testing-clickhouse/src/main/node/clickhouse-front.js}) on a free loopback port, for the tests of
 * this module and of the modules built on it (from its test-jar). One instance is shared by all
 * tests of a JVM; it can be stopped and started again on the same port with the same data, to
 * simulate an outage. Like a production server it has a server configuration: a {@code tiered}
 * storage policy (volumes {@code hot} and {@code cold} on disks of those names) beside the default
 * one, a {@code backups} disk that backups may be written to, and the cluster {@link #CLUSTER},
 * whose {@code ON CLUSTER} statements it runs as that cluster's one live host (see {@link
 * LocalClickHouse.Builder#onClusterLocally()}).
 */
public final class ClickHouseFront {
  public static final String PASSWORD = "front-secret";

  /**
   * The cluster in the front's server configuration: one shard, whose replicas are this engine
   * ({@code localhost:9000}, the engine's own {@code tcp_port}) and {@link #REPLICA_DOWN}.
   */
  public static final String CLUSTER = "telemetry";

  /** The replica of {@link #CLUSTER} that is down: it never answers, and nothing routes to it. */
  public static final String REPLICA_DOWN = "replica-down.invalid";

  /** A cluster of two shards: this engine, and {@link #SHARD_DOWN}, whose only replica is down. */
  public static final String CLUSTER_SHARD_DOWN = "telemetry_shard_down";

  /** The host of the second shard of {@link #CLUSTER_SHARD_DOWN}: it never answers. */
  public static final String SHARD_DOWN = "shard-down.invalid";

  /**
   * A cluster of two shards that are both this engine, under two names ({@code localhost} and
   * {@code 127.0.0.1}): what is read from every server counts the engine twice.
   */
  public static final String CLUSTER_TWO_SERVERS = "telemetry_two_servers";

  private static ClickHouseFront shared;

  private final int port;
  private final Path root;
  private final Path data;
  private final Path tlsCertificate;
  private final Path tlsKey;
  private LocalClickHouse front;
  private Client client;

  private ClickHouseFront() throws IOException {
    this(null, null);
  }

  private ClickHouseFront(Path tlsCertificate, Path tlsKey) throws IOException {
    this.tlsCertificate = tlsCertificate;
    this.tlsKey = tlsKey;
    try (ServerSocket socket = new ServerSocket(0)) {
      this.port = socket.getLocalPort();
    }
    this.root = Files.createTempDirectory("clickhouse-front");
    this.data = Files.createDirectories(root.resolve("data"));
    for (String disk : List.of("hot", "cold", "backups")) {
      Files.createDirectories(root.resolve(disk));
    }
    Files.writeString(
        root.resolve("server.xml"),
        "<clickhouse>\n"
            + "  <storage_configuration>\n"
            + "    <disks>\n"
            + "      <hot><path>"
            + root.resolve("hot")
            + "/</path></hot>\n"
            + "      <cold><path>"
            + root.resolve("cold")
            + "/</path></cold>\n"
            + "      <backups><type>local</type><path>"
            + root.resolve("backups")
            + "/</path></backups>\n"
            + "    </disks>\n"
            + "    <policies>\n"
            + "      <tiered><volumes><hot><disk>hot</disk></hot><cold><disk>cold</disk></cold></volumes></tiered>\n"
            + "    </policies>\n"
            + "  </storage_configuration>\n"
            + "  <backups>\n"
            + "    <allowed_disk>backups</allowed_disk>\n"
            + "    <allowed_path>"
            + root.resolve("backups")
            + "/</allowed_path>\n"
            + "  </backups>\n"
            + "  <tcp_port>9000</tcp_port>\n"
            + "  <remote_servers>\n"
            + "    <"
            + CLUSTER
            + "><shard><internal_replication>true</internal_replication>\n"
            + "      <replica><host>localhost</host><port>9000</port></replica>\n"
            + "      <replica><host>"
            + REPLICA_DOWN
            + "</host><port>9000</port></replica>\n"
            + "    </shard></"
            + CLUSTER
            + ">\n"
            + "    <"
            + CLUSTER_SHARD_DOWN
            + "><shard><replica><host>localhost</host><port>9000</port></replica></shard>\n"
            + "      <shard><replica><host>"
            + SHARD_DOWN
            + "</host><port>9000</port></replica></shard></"
            + CLUSTER_SHARD_DOWN
            + ">\n"
            + "    <"
            + CLUSTER_TWO_SERVERS
            + "><shard><replica><host>localhost</host><port>9000</port></replica></shard>\n"
            + "      <shard><replica><host>127.0.0.1</host><port>9000</port></replica></shard></"
            + CLUSTER_TWO_SERVERS
            + ">\n"
            + "  </remote_servers>\n"
            + "  <macros><shard>01</shard><replica>local</replica></macros>\n"
            + "</clickhouse>\n");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop();
                  deleteRecursively(root);
                }));
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory; the system cleans up what is left
    }
  }

  /** A front of its own (port and data), started; stop it when done. */
  static ClickHouseFront startNew() throws IOException {
    ClickHouseFront front = new ClickHouseFront();
    front.start();
    return front;
  }

  /**
   * A front of its own that speaks HTTPS with this certificate and key (PEM); stop it when done.
   */
  static ClickHouseFront startNewTls(Path certificate, Path key) throws IOException {
    ClickHouseFront front = new ClickHouseFront(certificate, key);
    front.start();
    return front;
  }

  /** The shared front, started on first use. */
  public static synchronized ClickHouseFront get() throws IOException {
    if (shared == null) {
      shared = new ClickHouseFront();
      shared.start();
    }
    return shared;
  }

  public String endpoint() {
    return (tlsCertificate == null ? "http" : "https") + "://127.0.0.1:" + port;
  }

  /**
   * The directory behind the {@code backups} disk, which is also the allowed path of {@code
   * File(...)} backups.
   */
  Path backupsDirectory() {
    return root.resolve("backups");
  }

  /**
   * One JSON line per statement the front ran: {@code insert}, {@code statement}, {@code settings}.
   */
  Path requestLog() {
    return root.resolve("requests.jsonl");
  }

  synchronized void start() throws IOException {
    if (front != null) {
      return;
    }
    LocalClickHouse.Builder builder =
        LocalClickHouse.builder(
                Path.of("..", "testing-clickhouse", "src", "main", "node", "clickhouse-front.js"))
            .port(port)
            .password(PASSWORD)
            .dataDirectory(data)
            .configFile(root.resolve("server.xml"))
            .requestLog(requestLog())
            .onClusterLocally();
    if (tlsCertificate != null) {
      builder.tls(tlsCertificate, tlsKey);
    }
    LocalClickHouse started = builder.start();
    front = started;
    // The embedded engine sometimes dies of a segmentation fault in its native library (seen in the
    // kernel log,
    // mostly while stopping, now and then under load): a front that dies without stop() is started
    // again on the same port and data, which the exporters see as one more short outage.
    var unused = started.exited().thenAccept(code -> restartIfDied(started, code));
  }

  private synchronized void restartIfDied(LocalClickHouse died, int exitCode) {
    if (front != died) {
      return;
    }
    front = null;
    System.err.println(
        "the embedded ClickHouse engine behind "
            + endpoint()
            + " exited unexpectedly (code "
            + exitCode
            + "); starting it again");
    try {
      start();
    } catch (IOException e) {
      System.err.println("the embedded ClickHouse engine could not be started again: " + e);
    }
  }

  synchronized void stop() {
    if (front != null) {
      front.close();
      front = null;
    }
  }

  /** A client for checking what the exporter wrote. */
  synchronized Client client() {
    if (client == null) {
      client =
          new Client.Builder()
              .addEndpoint(endpoint())
              .setUsername("default")
              .setPassword(PASSWORD)
              .compressServerResponse(false)
              .build();
    }
    return client;
  }

  public List<GenericRecord> query(String sql) {
    return client().queryAll(sql);
  }

  public long count(String sql) {
    return Long.parseLong(query(sql).get(0).getString(1));
  }

  void execute(String sql) throws Exception {
    client().execute(sql, Map.of()).get(30, TimeUnit.SECONDS).close();
  }
}
