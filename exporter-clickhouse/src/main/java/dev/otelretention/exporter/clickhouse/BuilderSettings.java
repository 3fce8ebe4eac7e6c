package dev.otelretention.exporter.clickhouse;

import dev.otelretention.common.ForwardProxy;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.clickhouse.internal.ConnectionSettings;
import dev.otelretention.exporter.clickhouse.internal.ServerAddress;
import dev.otelretention.exporter.clickhouse.internal.schema.RetentionSettings;
import dev.otelretention.exporter.clickhouse.internal.schema.RollupTable;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import dev.otelretention.exporter.clickhouse.internal.schema.TelemetryTable;
import dev.otelretention.exporter.clickhouse.internal.schema.TierMove;
import dev.otelretention.sink.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an exporter builder describes, checked and made immutable: the connection (credentials given
 * once), the table layout (names, TTLs, tier moves and rollups, a move before the TTL deletes the
 * rows) and a description without secrets.
 */
final class BuilderSettings {
  private BuilderSettings() {}

  static ClickHouseSettings build(ClickHouseExporters.Builder b) {
    if (b.endpoints.isEmpty()) {
      throw new ConfigException(
          "a ClickHouse endpoint is required (CLICKHOUSE_ENDPOINT, or"
              + " otel.exporter.clickhouse.endpoint with autoconfigure and the Java agent, or endpoint(...))");
    }
    if (b.endpoints.size() > 1 && b.createSchema && b.cluster == null) {
      throw new ConfigException(
          "several ClickHouse endpoints ("
              + display(b.endpoints)
              + ") are replicas of one cluster: set its name (cluster(...),"
              + " OTEL_RETENTION_CLICKHOUSE_CLUSTER) so that the tables are made on every replica,"
              + " or createSchema(false) (OTEL_RETENTION_CLICKHOUSE_CREATE_SCHEMA=false) for tables"
              + " made otherwise");
    }
    List<ServerAddress> servers = new ArrayList<>();
    for (Endpoint endpoint : b.endpoints) {
      servers.add(
          new ServerAddress(endpoint.uri().toString(), endpoint.toString(), proxy(b, endpoint)));
    }
    ConnectionSettings connection =
        new ConnectionSettings(
            servers,
            b.username(),
            b.password(),
            b.compression,
            b.trustedCertificate,
            b.clientCertificate,
            b.clientKey,
            Map.copyOf(b.serverSettings));
    return new ClickHouseSettings(
        connection,
        b.schema(),
        b.createSchema,
        b.senders,
        b.tablePrefix,
        b.spanValues,
        b.asyncInsert,
        b.toString());
  }

  private static ForwardProxy proxy(ClickHouseExporters.Builder b, Endpoint endpoint) {
    try {
      return ForwardProxy.forDestination(endpoint.uri(), System::getProperty, b.proxyVariables);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  static String display(List<Endpoint> endpoints) {
    return endpoints.stream().map(Endpoint::toString).collect(Collectors.joining(", "));
  }

  /**
   * The credential the endpoint URLs carry, {@code null} when none does.
   *
   * @throws ConfigException when two URLs carry different ones
   */
  static String fromUrls(List<Endpoint> endpoints, Function<Endpoint, String> credential) {
    Set<String> given = new LinkedHashSet<>();
    for (Endpoint endpoint : endpoints) {
      String value = credential.apply(endpoint);
      if (value != null) {
        given.add(value);
      }
    }
    if (given.size() > 1) {
      throw new ConfigException(
          "the ClickHouse endpoints carry different credentials; every server of a cluster takes"
              + " the same: give them once, in one URL or as username and password"
              + " (CLICKHOUSE_USERNAME, CLICKHOUSE_PASSWORD)");
    }
    return given.isEmpty() ? null : given.iterator().next();
  }

  private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * Settings the exporter sets itself on some requests: a connection-wide value would fight them (a
   * {@code readonly} one would refuse every insert).
   */
  private static final Set<String> OWN_SETTINGS =
      Set.of(
          "readonly",
          "insert_deduplication_token",
          "deduplicate_blocks_in_dependent_materialized_views",
          "async_insert",
          "wait_for_async_insert",
          "insert_distributed_sync",
          "distributed_foreground_insert");

  static String serverSettingName(String name) {
    if (name == null || !SETTING_NAME.matcher(name.trim()).matches()) {
      throw new ConfigException(
          "a server setting's name is letters, digits and _, got '" + name + "'");
    }
    String trimmed = name.trim();
    if (OWN_SETTINGS.contains(trimmed.toLowerCase(java.util.Locale.ROOT))) {
      throw new ConfigException(
          "server setting "
              + trimmed
              + " is set by the exporter itself where it needs it (see asyncInsert, cluster)");
    }
    return trimmed;
  }

  /** The table of this default name ({@code otel_logs}, ...). */
  static TelemetryTable table(String defaultName) {
    Objects.requireNonNull(defaultName, "defaultName");
    for (TelemetryTable candidate : TelemetryTable.values()) {
      if (candidate.defaultName().equals(defaultName)) {
        return candidate;
      }
    }
    throw new ConfigException(
        "unknown table '"
            + defaultName
            + "'; the tables are otel_traces, otel_traces_trace_id_ts, otel_logs and"
            + " otel_metrics_{gauge,sum,histogram,exponential_histogram,summary}");
  }

  static Path readable(Path file, String name) {
    Objects.requireNonNull(file, name);
    if (!Files.isReadable(file)) {
      throw new ConfigException(name + " is not a readable file: " + file.toAbsolutePath());
    }
    return file;
  }

  /** The codecs an insert body can be compressed with, by their HTTP content-coding names. */
  static final List<String> COMPRESSIONS = List.of("lz4", "zstd", "gzip", "none");

  /**
   * A compression name, checked.
   *
   * @param setting the setting as the person set it, for the message
   */
  static String compression(String setting, String compression) {
    String name =
        Objects.requireNonNull(compression, setting).trim().toLowerCase(java.util.Locale.ROOT);
    if (!COMPRESSIONS.contains(name)) {
      throw new ConfigException(
          setting
              + " must be one of "
              + String.join(", ", COMPRESSIONS)
              + ", got '"
              + compression
              + "'");
    }
    return name;
  }

  static String credential(String what, String set, String fromUrl, String fallback) {
    if (set != null && fromUrl != null && !set.equals(fromUrl)) {
      throw new ConfigException(
          "the ClickHouse "
              + what
              + " is given twice, in the endpoint URL and as a setting,"
              + " with different values; give it once");
    }
    return set != null ? set : fromUrl != null ? fromUrl : fallback;
  }

  static String describe(ClickHouseExporters.Builder b) {
    String effectivePassword =
        b.password != null ? b.password : fromUrls(b.endpoints, Endpoint::password);
    String urlUser = fromUrls(b.endpoints, Endpoint::user);
    return "ClickHouseExporters.Builder{endpoint="
        + b.displayEndpoint()
        + ", database="
        + b.database
        + ", username="
        + (b.username != null ? b.username : urlUser != null ? urlUser : "default")
        + ", password="
        + (effectivePassword == null || effectivePassword.isEmpty() ? "(none)" : "(set)")
        + ", tracesTtl="
        + EnvironmentConfig.format(b.tracesTtl)
        + ", logsTtl="
        + EnvironmentConfig.format(b.logsTtl)
        + ", metricsTtl="
        + EnvironmentConfig.format(b.metricsTtl)
        + ", allowTtlShortening="
        + b.allowTtlShortening
        + ", createSchema="
        + b.createSchema
        + ", asyncInsert="
        + (b.asyncInsert == null ? "by profile" : b.asyncInsert)
        + ", cluster="
        + b.cluster
        + ", storagePolicy="
        + b.storagePolicy
        + ", moves="
        + b.moves
        + ", compression="
        + b.compression
        + (b.jsonAttributes ? ", jsonAttributes=true" : "")
        + ", metricRollups="
        + b.metricRollups
        + "}";
  }

  static Schema schema(ClickHouseExporters.Builder b) {
    Map<TelemetryTable, Duration> ttls = new EnumMap<>(TelemetryTable.class);
    ttls.put(TelemetryTable.TRACES, b.tracesTtl);
    ttls.put(TelemetryTable.TRACE_ID_TS, b.tracesTtl);
    ttls.put(TelemetryTable.LOGS, b.logsTtl);
    for (TelemetryTable table : TelemetryTable.values()) {
      if (table.isMetric()) {
        ttls.put(table, b.metricsTtl);
      }
    }
    Map<TelemetryTable, String> names = new EnumMap<>(TelemetryTable.class);
    for (TelemetryTable table : TelemetryTable.values()) {
      names.put(table, b.tablePrefix + table.defaultName().substring("otel_".length()));
    }
    if (!b.tableNames.containsKey(TelemetryTable.TRACE_ID_TS)
        && b.tableNames.containsKey(TelemetryTable.TRACES)) {
      names.put(
          TelemetryTable.TRACE_ID_TS, b.tableNames.get(TelemetryTable.TRACES) + "_trace_id_ts");
    }
    names.putAll(b.tableNames);
    Map<TelemetryTable, List<TierMove>> tableMoves = new EnumMap<>(TelemetryTable.class);
    for (TelemetryTable table : TelemetryTable.values()) {
      Signal signal =
          table == TelemetryTable.LOGS
              ? Signal.LOGS
              : table.isMetric() ? Signal.METRICS : Signal.TRACES;
      Duration ttl = ttls.get(table);
      List<TierMove> kept = new ArrayList<>();
      for (TtlMove move : b.moves.getOrDefault(signal, List.of())) {
        if (ttl.isZero() || move.after().compareTo(ttl) < 0) {
          kept.add(new TierMove(move.clause(), move.after()));
        } else if (!allSignals(b, move)) {
          throw new ConfigException(
              "the "
                  + signal.baseName()
                  + " TTL ("
                  + EnvironmentConfig.format(ttl)
                  + ") must be longer than the move "
                  + move
                  + ", or the rows are deleted before they move");
        }
      }
      tableMoves.put(table, kept);
    }
    Map<RollupTable.Resolution, Duration> rollupTtls = new EnumMap<>(RollupTable.Resolution.class);
    if (b.metricRollups) {
      rollupTtls.put(RollupTable.Resolution.MINUTE, b.minuteRollupTtl);
      rollupTtls.put(RollupTable.Resolution.HOUR, b.hourRollupTtl);
    }
    return new Schema(
        b.database,
        names,
        ttls,
        b.cluster,
        b.tableEngine,
        b.storagePolicy,
        tableMoves,
        rollupTtls,
        new RetentionSettings(b.ttlSettings, b.allowTtlShortening, b.consentSetting),
        b.jsonAttributes);
  }

  private static boolean allSignals(ClickHouseExporters.Builder b, TtlMove move) {
    for (Signal signal : Signal.values()) {
      if (!b.moves.getOrDefault(signal, List.of()).contains(move)) {
        return false;
      }
    }
    return true;
  }
}
