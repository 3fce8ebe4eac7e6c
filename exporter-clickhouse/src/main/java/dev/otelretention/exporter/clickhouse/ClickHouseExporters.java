package dev.otelretention.exporter.clickhouse;

import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.export.Signal;
import dev.otelretention.exporter.clickhouse.internal.schema.Identifiers;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import dev.otelretention.exporter.clickhouse.internal.schema.TelemetryTable;
import dev.otelretention.exporter.clickhouse.internal.schema.TtlRetention;
import dev.otelretention.sink.Endpoint;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Entry point for the ClickHouse exporter: spans, metrics and logs into the tables of the
 * OpenTelemetry Collector's ClickHouse exporter, with a TTL per signal.
 *
 * <pre>{@code
 * TelemetrySink sink = ClickHouseExporters.builder()
 *     .endpoint("https://clickhouse.internal:8443")
 *     .password(System.getenv("CLICKHOUSE_PASSWORD"))
 *     .tracesTtl(Duration.ofDays(7)).logsTtl(Duration.ofDays(30)).metricsTtl(Duration.ofDays(90))
 *     .buildSink();
 * }</pre>
 */
public final class ClickHouseExporters {
  /** Prefix of the environment settings beyond the {@code CLICKHOUSE_*} variables. */
  public static final String CONFIG_PREFIX = "otel.retention.clickhouse.";

  private ClickHouseExporters() {}

  /** A builder with the defaults: database {@code otel}, user {@code default}, TTL 7/30/90 days. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The sink for settings built earlier ({@link Builder#buildSettings()}), e.g. by a tool that
   * loads data into the tables an exporter writes.
   */
  public static TelemetrySink sink(ClickHouseSettings settings) {
    return ClickHouseSink.create(Objects.requireNonNull(settings, "settings"));
  }

  /**
   * Builder of the ClickHouse sink. The password is never part of {@link #toString()} or any log
   * line.
   */
  public static final class Builder {
    List<Endpoint> endpoints = List.of();
    String database = "otel";
    String username;
    String password;
    Duration tracesTtl = Duration.ofDays(7);
    Duration logsTtl = Duration.ofDays(30);
    Duration metricsTtl = Duration.ofDays(90);
    boolean createSchema = true;
    String compression = "lz4";
    String cluster;
    String tableEngine;
    String tablePrefix = "otel_";
    int senders = 2;
    SpanValueStyle spanValues = SpanValueStyle.CURRENT;
    Boolean asyncInsert;
    Path trustedCertificate;
    Path clientCertificate;
    Path clientKey;
    java.util.function.Function<String, String> proxyVariables = System::getenv;
    final Map<TelemetryTable, String> tableNames = new EnumMap<>(TelemetryTable.class);
    String storagePolicy;
    boolean metricRollups;
    boolean jsonAttributes;
    Duration minuteRollupTtl = Duration.ofDays(30);
    Duration hourRollupTtl = Duration.ofDays(400);
    final Map<Signal, List<TtlMove>> moves = new EnumMap<>(Signal.class);
    final Map<String, String> ttlSettings = new HashMap<>();
    boolean allowTtlShortening;
    String consentSetting = "allowTtlShortening(true)";
    final Map<String, String> serverSettings = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The HTTP(S) endpoint, e.g. {@code http://localhost:8123} (required). Credentials in it
     * ({@code http://user:password@host:8123}, percent-encoded) are used to log in, like
     * ClickHouse's own clients do, and are never printed; a {@link #username} or {@link #password}
     * set as well must agree with them. Several endpoints, separated by commas, are replicas of one
     * cluster without a load balancer: each request goes to the first that answers, an insert that
     * fails on one goes to the next with the same deduplication token, and a server that failed is
     * tried again after 30 seconds.
     *
     * @throws ConfigException if one is not an http(s) URL with a host and a valid port
     */
    public Builder endpoint(String endpoint) {
      List<Endpoint> parsed = new ArrayList<>();
      for (String one : Objects.requireNonNull(endpoint, "endpoint").split(",", -1)) {
        Endpoint server =
            Endpoint.parse("ClickHouse endpoint", one.trim(), Set.of("http", "https"));
        if (parsed.stream().anyMatch(earlier -> earlier.uri().equals(server.uri()))) {
          throw new ConfigException("ClickHouse endpoint " + server + " is listed twice");
        }
        parsed.add(server);
      }
      this.endpoints = List.copyOf(parsed);
      return this;
    }

    /** Database of the tables, created if missing (default {@code otel}). */
    public Builder database(String database) {
      this.database = Identifiers.validate("database", database);
      return this;
    }

    /** User name (default: the endpoint URL's, else {@code default}). */
    public Builder username(String username) {
      this.username = Objects.requireNonNull(username, "username");
      return this;
    }

    /** Password (default: the endpoint URL's, else empty). */
    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * How long spans are kept, not negative; zero keeps them forever (default 7 days). A table that
     * exists keeps a longer TTL of its own unless {@link #allowTtlShortening} is set: see there.
     */
    public Builder tracesTtl(Duration ttl) {
      this.tracesTtl = ttl(ttl, "tracesTtl");
      ttlSettings.put("traces", "tracesTtl(" + EnvironmentConfig.format(ttl) + ")");
      return this;
    }

    /** How long log records are kept, not negative; zero keeps them forever (default 30 days). */
    public Builder logsTtl(Duration ttl) {
      this.logsTtl = ttl(ttl, "logsTtl");
      ttlSettings.put("logs", "logsTtl(" + EnvironmentConfig.format(ttl) + ")");
      return this;
    }

    /** How long metric points are kept, not negative; zero keeps them forever (default 90 days). */
    public Builder metricsTtl(Duration ttl) {
      this.metricsTtl = ttl(ttl, "metricsTtl");
      ttlSettings.put("metrics", "metricsTtl(" + EnvironmentConfig.format(ttl) + ")");
      return this;
    }

    /**
     * Lets this instance shorten the TTL of tables that already exist (default false). Every writer
     * of a table shares its rows, so a shorter TTL from one instance deletes everyone's history:
     * without this consent a configured TTL shorter than the live table's is logged once, with both
     * values, and the table keeps its TTL. Lengthening a TTL needs no consent; the operator's
     * {@code otel-retention retention} command shortens with a plan and a confirmation instead.
     */
    public Builder allowTtlShortening(boolean allow) {
      this.allowTtlShortening = allow;
      this.consentSetting = "allowTtlShortening(true)";
      return this;
    }

    /**
     * Create the database and tables, and migrate them, at start (default true); off to use
     * existing tables.
     */
    public Builder createSchema(boolean createSchema) {
      this.createSchema = createSchema;
      return this;
    }

    /**
     * How inserts are compressed on the wire: {@code lz4} (the default, as the Collector's {@code
     * compress}), {@code zstd} (smaller, more CPU), {@code gzip} or {@code none}. Queries and their
     * answers use LZ4 unless {@code none}.
     *
     * @throws ConfigException for another name
     */
    public Builder compression(String compression) {
      this.compression = BuilderSettings.compression("compression", compression);
      return this;
    }

    /**
     * A server setting sent with every request, inserts, DDL and queries alike, as the Collector's
     * {@code connection_params}: {@code serverSetting("max_insert_threads", "4")}. The name must be
     * a setting's name (letters, digits and {@code _}); the value travels as an HTTP parameter,
     * encoded, never inside SQL. Settings the exporter sets itself per request are refused.
     *
     * @throws ConfigException for a name that is not a setting's or is the exporter's own
     */
    public Builder serverSetting(String name, String value) {
      serverSettings.put(
          BuilderSettings.serverSettingName(name), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Keep the attributes of spans and log records in ClickHouse {@code JSON} columns, as the
     * Collector's {@code json: true} layout does, instead of {@code Map(String, String)} (default
     * false): values keep their types and each attribute path is stored as a column of its own. New
     * traces and logs tables get that layout; it needs ClickHouse 25.3 or later.
     */
    public Builder jsonAttributes(boolean jsonAttributes) {
      this.jsonAttributes = jsonAttributes;
      return this;
    }

    /**
     * How span kinds and status codes are written: as the Collector's ClickHouse exporter writes
     * them now ({@code Server}, {@code Error}; the default) or as it did before ({@code
     * SPAN_KIND_SERVER}, {@code STATUS_CODE_ERROR}), for dashboards that query those.
     */
    public Builder spanValues(SpanValueStyle spanValues) {
      this.spanValues = Objects.requireNonNull(spanValues, "spanValues");
      return this;
    }

    /**
     * Whether rows go in as ClickHouse asynchronous inserts ({@code async_insert = 1} with {@code
     * wait_for_async_insert = 1}, so an acknowledgement still means stored): the server collects
     * the small inserts of many instances into one part per table. Default: on in the PRODUCTION
     * profile, off in DEVELOPMENT.
     */
    public Builder asyncInsert(boolean asyncInsert) {
      this.asyncInsert = asyncInsert;
      return this;
    }

    /**
     * Concurrent insert requests per signal, 1 to 16 (default 2, so that encoding the next batch
     * overlaps the server's work on the current one; batches may then arrive out of order, which
     * ClickHouse does not mind).
     */
    public Builder senders(int senders) {
      if (senders < 1 || senders > 16) {
        throw new ConfigException("senders must be between 1 and 16, got " + senders);
      }
      this.senders = senders;
      return this;
    }

    /**
     * Trusts the server certificate (or its CA) in this PEM file for an {@code https://} endpoint,
     * in addition to nothing else (default: the JVM's trust store).
     */
    public Builder trustedCertificate(Path pemFile) {
      this.trustedCertificate = BuilderSettings.readable(pemFile, "trustedCertificate");
      return this;
    }

    /**
     * Authenticates with this client certificate and private key (PEM files) over TLS (default:
     * none).
     */
    public Builder clientCertificate(Path certificatePem, Path keyPem) {
      this.clientCertificate = BuilderSettings.readable(certificatePem, "clientCertificate");
      this.clientKey = BuilderSettings.readable(keyPem, "clientKey");
      return this;
    }

    /** Run DDL {@code ON CLUSTER} this cluster and use Replicated engines (default: no cluster). */
    public Builder cluster(String cluster) {
      this.cluster = Identifiers.validate("cluster", cluster);
      return this;
    }

    /**
     * A custom engine for the data tables, e.g. {@code ReplacingMergeTree} (default {@code
     * MergeTree}).
     */
    public Builder tableEngine(String engine) {
      Objects.requireNonNull(engine, "engine");
      this.tableEngine = Identifiers.tableEngine(engine);
      return this;
    }

    /**
     * Keep per-minute and per-hour rollups of the gauge, sum and histogram metrics in tables of
     * their own ({@code otel_metrics_sum_1m}, {@code otel_metrics_sum_1h}, ...), filled by
     * materialized views as points arrive, with TTLs of their own (default false). Rollups start
     * empty: they cover points inserted after they were created.
     */
    public Builder metricRollups(boolean metricRollups) {
      this.metricRollups = metricRollups;
      return this;
    }

    /** How long the per-minute rollups are kept; zero keeps them forever (default 30 days). */
    public Builder minuteRollupTtl(Duration ttl) {
      this.minuteRollupTtl = ttl(ttl, "minuteRollupTtl");
      ttlSettings.put("minute-rollup", "minuteRollupTtl(" + EnvironmentConfig.format(ttl) + ")");
      return this;
    }

    /** How long the per-hour rollups are kept; zero keeps them forever (default 400 days). */
    public Builder hourRollupTtl(Duration ttl) {
      this.hourRollupTtl = ttl(ttl, "hourRollupTtl");
      ttlSettings.put("hour-rollup", "hourRollupTtl(" + EnvironmentConfig.format(ttl) + ")");
      return this;
    }

    /**
     * The storage policy of the tables this exporter creates, e.g. {@code tiered}; it must exist in
     * the server configuration (default: the server's {@code default} policy). An existing table is
     * switched with {@code MODIFY SETTING storage_policy} where the server allows it (the new
     * policy must keep every disk of the old one) and reported as a difference otherwise.
     */
    public Builder storagePolicy(String policy) {
      this.storagePolicy = Identifiers.validate("storagePolicy", policy);
      return this;
    }

    /**
     * Adds a move of every signal's rows to another volume or disk once they are older than the
     * move's age, before the TTL deletes them (default: no moves). Signals kept for no longer than
     * the age are left out.
     */
    public Builder moveAfter(TtlMove move) {
      Objects.requireNonNull(move, "move");
      for (Signal signal : Signal.values()) {
        moves.computeIfAbsent(signal, s -> new ArrayList<>()).add(move);
      }
      return this;
    }

    /**
     * Adds a move of one signal's rows to another volume or disk once they are older than the
     * move's age (default: no moves).
     *
     * @throws ConfigException at {@link #buildSink()} if the signal's TTL is not longer than the
     *     move's age
     */
    public Builder moveAfter(Signal signal, TtlMove move) {
      Objects.requireNonNull(signal, "signal");
      Objects.requireNonNull(move, "move");
      moves.computeIfAbsent(signal, s -> new ArrayList<>()).add(move);
      return this;
    }

    /**
     * Prefix of every table name instead of {@code otel_}, e.g. {@code shop_} gives {@code
     * shop_traces}, {@code shop_logs}, {@code shop_metrics_sum} (default {@code otel_}).
     */
    public Builder tablePrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      Identifiers.validate("tablePrefix", prefix + "x");
      this.tablePrefix = prefix;
      return this;
    }

    /**
     * Overrides one table's name, given by its default name (e.g. {@code otel_logs}); the trace-id
     * lookup table follows the traces table unless named itself.
     */
    public Builder tableName(String defaultName, String name) {
      tableNames.put(BuilderSettings.table(defaultName), Identifiers.validate("table name", name));
      return this;
    }

    /**
     * Reads {@code CLICKHOUSE_ENDPOINT}, {@code CLICKHOUSE_DATABASE}, {@code CLICKHOUSE_USERNAME},
     * {@code CLICKHOUSE_PASSWORD} (as environment variables or {@code clickhouse.*} system
     * properties) and the {@code otel.retention.clickhouse.*} settings of {@link
     * #configure(EnvironmentConfig, String)}.
     */
    public Builder configure(EnvironmentConfig config) {
      return clickhouseVariables(config).configure(config, CONFIG_PREFIX);
    }

    /**
     * Applies {@code CLICKHOUSE_ENDPOINT}, {@code CLICKHOUSE_DATABASE}, {@code CLICKHOUSE_USERNAME}
     * and {@code CLICKHOUSE_PASSWORD}; unset credentials stay unset, so that those in the endpoint
     * URL apply.
     */
    public Builder clickhouseVariables(EnvironmentConfig config) {
      ClickHouseEnvironment.applyVariables(this, config);
      return this;
    }

    /**
     * Applies the settings found under {@code prefix}, most named as their builder method in
     * kebab-case ({@code traces-ttl}, {@code allow-ttl-shortening}, {@code compression}), the
     * others {@code json}, {@code server-settings} ({@code name=value,...}), {@code moves} ({@code
     * volume:NAME:DURATION,...}), {@code ca-certificate}, {@code client-certificate} and {@code
     * client-key}; the ClickHouse page of the docs lists them all. TTLs and move ages need their
     * unit ({@code 7d}, {@code 36h}). Unset keys keep their values.
     *
     * @throws ConfigException naming the variable or property as it was set when a value is invalid
     */
    public Builder configure(EnvironmentConfig config, String prefix) {
      proxyVariables = Objects.requireNonNull(config, "config")::variable;
      ClickHouseEnvironment.apply(this, config, Objects.requireNonNull(prefix, "prefix"));
      return this;
    }

    /**
     * A span exporter outside {@code TelemetryRetention} (e.g. for autoconfigure), with the default
     * sending queue, retry policy and request timeout.
     */
    public SpanExporter buildSpanExporter() {
      return buildSink().createSpanExporter(SinkContext.standalone("clickhouse"));
    }

    /** A metric exporter outside {@code TelemetryRetention}, with the default pipeline settings. */
    public MetricExporter buildMetricExporter() {
      return buildSink().createMetricExporter(SinkContext.standalone("clickhouse"));
    }

    /**
     * A log-record exporter outside {@code TelemetryRetention}, with the default pipeline settings.
     */
    public LogRecordExporter buildLogRecordExporter() {
      return buildSink().createLogRecordExporter(SinkContext.standalone("clickhouse"));
    }

    /**
     * Builds the sink for {@code TelemetryRetention.builder().addSink(...)}.
     *
     * @throws ConfigException if no endpoint was given
     */
    public TelemetrySink buildSink() {
      return ClickHouseSink.create(buildSettings());
    }

    /**
     * Validates the settings and makes the immutable {@link ClickHouseSettings} that the sink, the
     * operations and the replay share; later changes to this builder do not reach them.
     *
     * @throws ConfigException if no endpoint was given, a credential is given twice, or a move does
     *     not fit a TTL
     */
    public ClickHouseSettings buildSettings() {
      return BuilderSettings.build(this);
    }

    Schema schema() {
      return BuilderSettings.schema(this);
    }

    /** The endpoints for messages: no credentials, secret parameters masked. */
    String displayEndpoint() {
      return endpoints.isEmpty() ? null : BuilderSettings.display(endpoints);
    }

    String username() {
      return BuilderSettings.credential(
          "user name", username, BuilderSettings.fromUrls(endpoints, Endpoint::user), "default");
    }

    String password() {
      return BuilderSettings.credential(
          "password", password, BuilderSettings.fromUrls(endpoints, Endpoint::password), "");
    }

    @Override
    public String toString() {
      return BuilderSettings.describe(this);
    }

    private static Duration ttl(Duration ttl, String name) {
      return TtlRetention.check(Objects.requireNonNull(ttl, name));
    }
  }

  /**
   * How span kinds and status codes are written to {@code otel_traces}, and whether the scope is
   * also copied into {@code SpanAttributes}.
   */
  public enum SpanValueStyle {
    /**
     * As the Collector's ClickHouse exporter writes them since collector-contrib PR #34799
     * (2024-08): {@code SpanKind} {@code Server}, {@code Client}, {@code Internal}, {@code
     * Producer}, {@code Consumer}, {@code Unspecified}; {@code StatusCode} {@code Unset}, {@code
     * Ok}, {@code Error}; the scope only in {@code ScopeName}/{@code ScopeVersion}. The default: a
     * table shared with a current Collector answers one query for both.
     */
    CURRENT,
    /**
     * As the Collector wrote them before, and this exporter until now: {@code SPAN_KIND_SERVER},
     * {@code STATUS_CODE_ERROR}, and {@code otel.scope.name}/{@code otel.scope.version} also in
     * {@code SpanAttributes}; for dashboards that query those values.
     */
    LEGACY
  }
}
