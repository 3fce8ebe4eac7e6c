package dev.otelretention.exporter.clickhouse;

import dev.otelretention.config.Profile;
import dev.otelretention.exporter.clickhouse.ClickHouseExporters.SpanValueStyle;
import dev.otelretention.exporter.clickhouse.internal.ConnectionSettings;
import dev.otelretention.exporter.clickhouse.internal.schema.Schema;
import java.util.Objects;

/**
 * The immutable settings of a ClickHouse sink, made once by {@link
 * ClickHouseExporters.Builder#buildSettings()} (which {@code buildSink()} calls) and shared by
 * everything that talks to the server: the sink, {@code ClickHouseOperations} and {@code
 * ClickHouseReplay}. Changing the builder afterwards changes nothing here. The password is never
 * part of {@link #toString()}.
 */
public final class ClickHouseSettings {
  private final ConnectionSettings connection;
  private final Schema schema;
  private final boolean createSchema;
  private final int senders;
  private final String tablePrefix;
  private final SpanValueStyle spanValues;
  private final Boolean asyncInsert;
  private final String description;

  ClickHouseSettings(
      ConnectionSettings connection,
      Schema schema,
      boolean createSchema,
      int senders,
      String tablePrefix,
      SpanValueStyle spanValues,
      Boolean asyncInsert,
      String description) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.schema = Objects.requireNonNull(schema, "schema");
    this.createSchema = createSchema;
    this.senders = senders;
    this.tablePrefix = Objects.requireNonNull(tablePrefix, "tablePrefix");
    this.spanValues = Objects.requireNonNull(spanValues, "spanValues");
    this.asyncInsert = asyncInsert;
    this.description = Objects.requireNonNull(description, "description");
  }

  /** The endpoint without credentials and with secret parameters masked, for messages. */
  public String displayEndpoint() {
    return connection.displayEndpoint();
  }

  /** The database of the tables. */
  public String database() {
    return schema.database();
  }

  /** The prefix of the default table names (default {@code otel_}). */
  public String tablePrefix() {
    return tablePrefix;
  }

  /** The cluster of {@code ON CLUSTER} DDL, or {@code null} for a single server. */
  public String cluster() {
    return schema.cluster();
  }

  /** Whether tables are created and migrated at start (default {@code true}). */
  public boolean createSchema() {
    return createSchema;
  }

  /** How span kinds and status codes are written (default {@link SpanValueStyle#CURRENT}). */
  public SpanValueStyle spanValues() {
    return spanValues;
  }

  /**
   * Whether rows are inserted as ClickHouse asynchronous inserts under {@code profile}: as set, or
   * by default in PRODUCTION and not in DEVELOPMENT.
   */
  public boolean asyncInsert(Profile profile) {
    return asyncInsert != null ? asyncInsert : profile == Profile.PRODUCTION;
  }

  /** Concurrent inserts per signal (default 2). */
  public int senders() {
    return senders;
  }

  /** How to reach the server. Internal: for the exporter's own packages, not API. */
  public ConnectionSettings connection() {
    return connection;
  }

  /** The tables these settings describe. Internal: for the exporter's own packages, not API. */
  public Schema schema() {
    return schema;
  }

  @Override
  public String toString() {
    return description;
  }
}
