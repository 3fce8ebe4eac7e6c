package dev.otelretention.exporter.clickhouse.internal;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ClientException;
import com.clickhouse.client.api.ClientMisconfigurationException;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.command.CommandSettings;
import com.clickhouse.client.api.enums.ProxyType;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import dev.otelretention.export.ExportException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * One client-v2 client with the exporter's settings, and the mapping of its failures to retry
 * decisions.
 */
public final class ClickHouseConnection implements AutoCloseable {
  /**
   * Server error codes that can succeed when tried again (overload, timeouts, network, too many
   * parts).
   */
  private static final Set<Integer> RETRYABLE_CODES =
      Set.of(3, 159, 164, 202, 203, 209, 210, 236, 241, 242, 252, 285, 319, 425, 999, 1000, 1002);

  /**
   * Server error codes that will fail the same way every time, and on every server (auth, syntax,
   * schema, data, TTL, storage policies, partitions, backups, an unknown cluster).
   */
  private static final Set<Integer> PERMANENT_CODES =
      Set.of(
          16, 26, 27, 33, 36, 41, 47, 48, 53, 57, 60, 62, 70, 80, 81, 117, 192, 193, 194, 195, 232,
          248, 256, 257, 344, 450, 478, 479, 497, 516, 548, 565, 598, 599, 600, 601, 602, 603, 604,
          605, 606, 607, 608, 627, 647, 653, 654, 701);

  /** How long a server that failed is passed over before it is tried again. */
  static final Duration SERVER_RECHECK = Duration.ofSeconds(30);

  private static final Logger logger = Logger.getLogger(ClickHouseConnection.class.getName());

  private final List<Server> servers;
  private final long timeoutMillis;
  private final String insertCodec;
  private final boolean readOnly;

  /** One server of the list, its client and whether it failed lately. */
  private static final class Server {
    final String name;
    final Client client;
    volatile long downUntilNanos;
    volatile boolean down;
    volatile long downSinceNanos;
    volatile ExportException lastError;

    Server(String name, Client client) {
      this.name = name;
      this.client = client;
    }
  }

  public ClickHouseConnection(ConnectionSettings settings, Duration requestTimeout) {
    this(settings, requestTimeout, false);
  }

  /**
   * A connection; a {@code readOnly} one asks the server to refuse every change ({@code readonly =
   * 2}: queries may still carry settings) and refuses inserts and statements itself.
   */
  public ClickHouseConnection(
      ConnectionSettings settings, Duration requestTimeout, boolean readOnly) {
    this.readOnly = readOnly;
    this.timeoutMillis = requestTimeout.toMillis();
    this.insertCodec = settings.compression();
    Slf4jFallback.installIfNoBinding();
    List<Server> clients = new ArrayList<>();
    for (ServerAddress server : settings.servers()) {
      clients.add(new Server(server.displayEndpoint(), client(settings, server)));
    }
    this.servers = List.copyOf(clients);
  }

  private Client client(ConnectionSettings settings, ServerAddress server) {
    boolean compressed = !insertCodec.equals("none");
    Client.Builder builder =
        new Client.Builder()
            .addEndpoint(server.endpoint())
            .setUsername(settings.username())
            .setPassword(settings.password())
            .setDefaultDatabase("default")
            .setConnectTimeout(timeoutMillis, ChronoUnit.MILLIS)
            .setSocketTimeout(timeoutMillis, ChronoUnit.MILLIS)
            .setExecutionTimeout(timeoutMillis, ChronoUnit.MILLIS)
            .setMaxRetries(0)
            .compressClientRequest(compressed)
            .useHttpCompression(compressed)
            .compressServerResponse(compressed)
            .setClientName("otel-retention");
    if (settings.trustedCertificate() != null) {
      builder.setRootCertificate(settings.trustedCertificate().toAbsolutePath().toString());
    }
    if (settings.clientCertificate() != null) {
      builder.setClientCertificate(settings.clientCertificate().toAbsolutePath().toString());
      builder.setClientKey(settings.clientKey().toAbsolutePath().toString());
    }
    if (!server.proxy().isDirect()) {
      builder.addProxy(ProxyType.HTTP, server.proxy().host(), server.proxy().port());
      if (server.proxy().hasCredentials()) {
        builder.setProxyCredentials(server.proxy().user(), server.proxy().password());
      }
    }
    settings.serverSettings().forEach(builder::serverSetting);
    if (readOnly) {
      builder.serverSetting("readonly", "2");
    }
    return builder.build();
  }

  /** One request to one server. */
  @FunctionalInterface
  private interface Call<R> {
    R on(Client client) throws Exception;
  }

  /**
   * Told, once per outage, that a server is down and the requests go to another: when a request
   * that failed on it, or passed it over, was answered by the next.
   */
  @FunctionalInterface
  public interface FailoverListener {
    /**
     * Called after a request that failed on {@code failed}, or passed it over, was answered.
     *
     * @param failed the server that is down, for messages
     * @param outage identifies this outage of that server: the same for every call until it answers
     *     again
     * @param error why it is down
     * @param next the server that answered
     */
    void failedOver(String failed, long outage, ExportException error, String next);
  }

  /**
   * Runs {@code call} on the first server that answers: servers that failed lately are passed over
   * until {@link #SERVER_RECHECK} has passed (all of them are tried when every one failed lately);
   * a failure that would fail the same way everywhere (auth, syntax, schema) ends the search.
   */
  private <R> R onFirstAnswering(Call<R> call, FailoverListener listener) throws ExportException {
    long now = System.nanoTime();
    List<Server> order = new ArrayList<>();
    List<Server> passedOver = new ArrayList<>();
    for (Server server : servers) {
      (server.down && server.downUntilNanos - now > 0 ? passedOver : order).add(server);
    }
    order.addAll(passedOver);
    List<String> failures = new ArrayList<>();
    ExportException last = null;
    for (Server server : order) {
      try {
        R result = call.on(server.client);
        if (server.down) {
          server.down = false;
          logger.info("otel-retention: ClickHouse server " + server.name + " answers again");
        }
        if (listener != null) {
          for (Server other : servers) {
            if (other.down) {
              listener.failedOver(other.name, other.downSinceNanos, other.lastError, server.name);
            }
          }
        }
        return result;
      } catch (Exception e) {
        ExportException error = classify(e);
        if (!error.isRetryable() || servers.size() == 1) {
          throw error;
        }
        server.lastError = error;
        server.downUntilNanos = System.nanoTime() + SERVER_RECHECK.toNanos();
        if (!server.down) {
          server.downSinceNanos = System.nanoTime();
          server.down = true;
          logger.warning(
              "otel-retention: ClickHouse server "
                  + server.name
                  + " failed ("
                  + error.getMessage()
                  + "); it is passed over for "
                  + SERVER_RECHECK.toSeconds()
                  + " s while the other servers are tried");
        }
        failures.add(server.name + ": " + error.getMessage());
        last = error;
      }
    }
    throw ExportException.retryable(
        last.errorType(), "no ClickHouse server answered: " + String.join("; ", failures), last);
  }

  private void refuseIfReadOnly(String what) {
    if (readOnly) {
      throw new IllegalStateException(
          "otel-retention: this ClickHouse connection only reads (a report or an inspection); it"
              + " does not run "
              + what);
    }
  }

  /** Writes the RowBinary body of an insert. */
  @FunctionalInterface
  public interface RowsWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Inserts RowBinary rows into {@code into} with the given column list; the server stores an
   * insert with the same {@code deduplicationToken} once (within the tables' deduplication window),
   * also into the tables of materialized views. An insert that fails on one server goes to the next
   * with the same token.
   *
   * @param into the qualified, quoted table; or, with an empty {@code columns}, the table with its
   *     column list and a {@code SELECT ... FROM input('structure')} that reads the rows
   * @param serverSettings query-level settings of this insert (asynchronous insert, foreground
   *     distributed insert)
   * @param listener told when a server failed and the insert went to the next, or {@code null}
   */
  public void insert(
      String into,
      List<String> columns,
      RowsWriter rows,
      String deduplicationToken,
      Map<String, String> serverSettings,
      FailoverListener listener)
      throws ExportException {
    refuseIfReadOnly("an insert into " + into);
    InsertSettings settings = new InsertSettings();
    if (deduplicationToken != null) {
      settings.setDeduplicationToken(deduplicationToken);
      settings.serverSetting("deduplicate_blocks_in_dependent_materialized_views", "1");
    }
    serverSettings.forEach(settings::serverSetting);
    RowsWriter body = rows;
    if (!insertCodec.equals("none")) {
      // compressed here, in the chosen codec and into reused buffers where the codec allows;
      // the client then sends the body as it is, under Content-Encoding: <codec>
      settings.appCompressedData(true, insertCodec);
      body = InsertCompression.compressed(insertCodec, rows);
    }
    RowsWriter sent = body;
    onFirstAnswering(
        client -> {
          client
              .insert(into, columns, sent::writeTo, ClickHouseFormat.RowBinary, settings)
              .get(timeoutMillis, TimeUnit.MILLISECONDS)
              .close();
          return null;
        },
        listener);
  }

  /** Inserts as {@link #insert(String, List, RowsWriter, String, Map, FailoverListener)} does. */
  public void insert(
      String into,
      List<String> columns,
      RowsWriter rows,
      String deduplicationToken,
      Map<String, String> serverSettings)
      throws ExportException {
    insert(into, columns, rows, deduplicationToken, serverSettings, null);
  }

  /** Runs a statement that returns nothing useful. */
  public void execute(String sql) throws ExportException {
    execute(sql, Map.of());
  }

  /** Runs a statement that returns nothing useful, with these query-level server settings. */
  public void execute(String sql, Map<String, String> serverSettings) throws ExportException {
    refuseIfReadOnly(firstLine(sql));
    CommandSettings settings = new CommandSettings();
    serverSettings.forEach(settings::serverSetting);
    onFirstAnswering(
        client -> {
          client.execute(sql, settings).get(timeoutMillis, TimeUnit.MILLISECONDS).close();
          return null;
        },
        null);
  }

  /** How long one request may take. */
  public Duration requestTimeout() {
    return Duration.ofMillis(timeoutMillis);
  }

  /** Runs a query and returns its rows. */
  public List<GenericRecord> query(String sql, Map<String, Object> parameters)
      throws ExportException {
    return query(sql, parameters, Map.of());
  }

  /** Runs a query with these query-level server settings and returns its rows. */
  public List<GenericRecord> query(
      String sql, Map<String, Object> parameters, Map<String, String> serverSettings)
      throws ExportException {
    QuerySettings settings = new QuerySettings();
    serverSettings.forEach(settings::serverSetting);
    return onFirstAnswering(client -> client.queryAll(sql, parameters, settings), null);
  }

  public static ExportException classify(Throwable error) {
    Throwable cause = error;
    // the async calls wrap failures in ExecutionException, the blocking ones in a plain
    // ClientException ("Failed to get query response"); what failed is inside either
    while ((cause instanceof ExecutionException
            || cause instanceof CompletionException
            || cause.getClass() == ClientException.class)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ExportException) {
      return (ExportException) cause;
    }
    if (cause instanceof ServerException) {
      ServerException server = (ServerException) cause;
      int code = server.getCode();
      String type = "clickhouse_" + code;
      String message = firstLine(server.getMessage());
      int status = server.getTransportProtocolCode();
      // 429 (a proxy's or a cloud service's "too many requests") and 5xx ask for a later retry
      boolean retryable =
          RETRYABLE_CODES.contains(code)
              || (!PERMANENT_CODES.contains(code) && (status >= 500 || status == 429));
      return retryable
          ? ExportException.retryable(type, message, server)
          : ExportException.permanent(type, message, server);
    }
    if (cause instanceof ClientMisconfigurationException
        || cause instanceof IllegalArgumentException) {
      return ExportException.permanent(
          cause.getClass().getName(), firstLine(cause.getMessage()), cause);
    }
    if (cause instanceof TimeoutException) {
      return ExportException.retryable("timeout", "no answer in time", cause);
    }
    // network failures: the client's message says what failed, its innermost cause why (Connection
    // refused, ...)
    return ExportException.retryable(
        cause.getClass().getName(), firstLine(ExportException.messageOf(cause)), cause);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  @Override
  public void close() {
    servers.forEach(server -> server.client.close());
  }
}
