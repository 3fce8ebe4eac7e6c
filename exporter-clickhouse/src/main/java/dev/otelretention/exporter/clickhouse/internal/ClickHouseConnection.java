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
import dev.otelretention.common.ObjectPool;
import dev.otelretention.export.ExportException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
   * Server error codes that will fail the same way every time (auth, syntax, schema, data, TTL,
   * storage policies, partitions, backups).
   */
  private static final Set<Integer> PERMANENT_CODES =
      Set.of(
          16, 26, 27, 33, 36, 41, 47, 48, 53, 57, 60, 62, 70, 80, 81, 117, 192, 193, 194, 195, 232,
          248, 256, 257, 344, 450, 478, 479, 497, 516, 548, 565, 598, 599, 600, 601, 602, 603, 604,
          605, 606, 607, 608, 627, 647, 653, 654);

  private final Client client;
  private final long timeoutMillis;
  private final boolean compressInserts;
  private final boolean readOnly;

  /** LZ4 frame writers reused by every insert, held by this class, not by the sending threads. */
  private static final ObjectPool<Lz4FrameStream> LZ4_FRAMES =
      new ObjectPool<>(Lz4FrameStream::new);

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
    this.compressInserts = settings.compression();
    Slf4jFallback.installIfNoBinding();
    Client.Builder builder =
        new Client.Builder()
            .addEndpoint(settings.endpoint())
            .setUsername(settings.username())
            .setPassword(settings.password())
            .setDefaultDatabase("default")
            .setConnectTimeout(timeoutMillis, ChronoUnit.MILLIS)
            .setSocketTimeout(timeoutMillis, ChronoUnit.MILLIS)
            .setExecutionTimeout(timeoutMillis, ChronoUnit.MILLIS)
            .setMaxRetries(0)
            .compressClientRequest(settings.compression())
            .useHttpCompression(settings.compression())
            .compressServerResponse(settings.compression())
            .setClientName("otel-retention");
    if (settings.trustedCertificate() != null) {
      builder.setRootCertificate(settings.trustedCertificate().toAbsolutePath().toString());
    }
    if (settings.clientCertificate() != null) {
      builder.setClientCertificate(settings.clientCertificate().toAbsolutePath().toString());
      builder.setClientKey(settings.clientKey().toAbsolutePath().toString());
    }
    if (!settings.proxy().isDirect()) {
      builder.addProxy(ProxyType.HTTP, settings.proxy().host(), settings.proxy().port());
      if (settings.proxy().hasCredentials()) {
        builder.setProxyCredentials(settings.proxy().user(), settings.proxy().password());
      }
    }
    settings.serverSettings().forEach(builder::serverSetting);
    if (readOnly) {
      builder.serverSetting("readonly", "2");
    }
    this.client = builder.build();
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
   * also into the tables of materialized views.
   *
   * @param into the qualified, quoted table; or, with an empty {@code columns}, the table with its
   *     column list and a {@code SELECT ... FROM input('structure')} that reads the rows
   * @param serverSettings query-level settings of this insert (asynchronous insert, foreground
   *     distributed insert)
   */
  public void insert(
      String into,
      List<String> columns,
      RowsWriter rows,
      String deduplicationToken,
      Map<String, String> serverSettings)
      throws ExportException {
    refuseIfReadOnly("an insert into " + into);
    try {
      InsertSettings settings = new InsertSettings();
      if (deduplicationToken != null) {
        settings.setDeduplicationToken(deduplicationToken);
        settings.serverSetting("deduplicate_blocks_in_dependent_materialized_views", "1");
      }
      serverSettings.forEach(settings::serverSetting);
      ClickHouseConnection.RowsWriter body = rows;
      if (compressInserts) {
        // compressed here, into reused buffers, rather than by a compressing stream per request
        settings.appCompressedData(true, "lz4");
        body =
            out -> {
              Lz4FrameStream frame = LZ4_FRAMES.take();
              try {
                frame.start(out);
                rows.writeTo(frame);
                frame.finish();
              } finally {
                LZ4_FRAMES.give(frame);
              }
            };
      }
      client
          .insert(into, columns, body::writeTo, ClickHouseFormat.RowBinary, settings)
          .get(timeoutMillis, TimeUnit.MILLISECONDS)
          .close();
    } catch (Exception e) {
      throw classify(e);
    }
  }

  /** Runs a statement that returns nothing useful. */
  public void execute(String sql) throws ExportException {
    execute(sql, Map.of());
  }

  /** Runs a statement that returns nothing useful, with these query-level server settings. */
  public void execute(String sql, Map<String, String> serverSettings) throws ExportException {
    refuseIfReadOnly(firstLine(sql));
    try {
      CommandSettings settings = new CommandSettings();
      serverSettings.forEach(settings::serverSetting);
      client.execute(sql, settings).get(timeoutMillis, TimeUnit.MILLISECONDS).close();
    } catch (Exception e) {
      throw classify(e);
    }
  }

  /** Runs a statement with these query-level server settings and returns the rows it answers. */
  public List<GenericRecord> queryWithSettings(String sql, Map<String, String> serverSettings)
      throws ExportException {
    try {
      QuerySettings settings = new QuerySettings();
      serverSettings.forEach(settings::serverSetting);
      return client.queryAll(sql, Map.of(), settings);
    } catch (Exception e) {
      throw classify(e);
    }
  }

  /** How long one request may take. */
  public Duration requestTimeout() {
    return Duration.ofMillis(timeoutMillis);
  }

  /** Runs a query and returns its rows. */
  public List<GenericRecord> query(String sql, Map<String, Object> parameters)
      throws ExportException {
    try {
      return client.queryAll(sql, parameters);
    } catch (Exception e) {
      throw classify(e);
    }
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
    client.close();
  }
}
