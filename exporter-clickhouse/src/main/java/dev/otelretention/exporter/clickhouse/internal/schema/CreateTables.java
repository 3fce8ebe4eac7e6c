package dev.otelretention.exporter.clickhouse.internal.schema;

import java.util.List;

/**
 * The {@code CREATE TABLE} statements of the telemetry tables, column by column, as the
 * Collector's.
 */
final class CreateTables {
  private static final String MAP = "Map(LowCardinality(String), String)";
  private static final String ATTRIBUTE_INDEXES_METRICS =
      """
          INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
          INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
          INDEX idx_scope_attr_key mapKeys(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
          INDEX idx_scope_attr_value mapValues(ScopeAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
          INDEX idx_attr_key mapKeys(Attributes) TYPE bloom_filter(0.01) GRANULARITY 1,
          INDEX idx_attr_value mapValues(Attributes) TYPE bloom_filter(0.01) GRANULARITY 1
      """;

  /**
   * The resource attributes the Collector's logs table materializes into {@code
   * __otel_materialized_<name>} columns.
   */
  private static final List<String> MATERIALIZED_RESOURCE_ATTRIBUTES =
      List.of(
          "k8s.cluster.name",
          "k8s.container.name",
          "k8s.deployment.name",
          "k8s.namespace.name",
          "k8s.node.name",
          "k8s.pod.name",
          "k8s.pod.uid",
          "deployment.environment.name");

  private CreateTables() {}

  /**
   * The {@code CREATE TABLE} of {@code table} in the Collector's newest layout.
   *
   * @param textIndexes whether skip indexes are full-text ({@code TYPE text(...)}, servers from
   *     26.2) instead of bloom filters
   */
  static String createTable(Schema schema, TelemetryTable table, boolean textIndexes) {
    String head =
        "CREATE TABLE IF NOT EXISTS "
            + schema.qualifiedStorage(table)
            + schema.onCluster()
            + " (\n";
    String ttl = schema.ttlClause(table);
    String ttlLine = ttl.isEmpty() ? "" : ttl + "\n";
    if (schema.jsonAttributes()
        && (table == TelemetryTable.TRACES || table == TelemetryTable.LOGS)) {
      return head
          + jsonColumns(table)
          + ") ENGINE = "
          + schema.engineFor(table)
          + "\n"
          + (table == TelemetryTable.TRACES
              ? """
                  PARTITION BY toDate(Timestamp)
                  ORDER BY (ServiceName, SpanName, toDateTime(Timestamp), Timestamp)
                  """
              : """
                  PARTITION BY toDate(Timestamp)
                  PRIMARY KEY (ServiceName, toDateTime(Timestamp))
                  ORDER BY (ServiceName, toDateTime(Timestamp), Timestamp)
                  """)
          + ttlLine
          + schema.settingsClause();
    }
    return switch (table) {
      case TRACES ->
          head
              + "    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),\n"
              + "    TraceId String CODEC(ZSTD(1)),\n"
              + "    SpanId String CODEC(ZSTD(1)),\n"
              + "    ParentSpanId String CODEC(ZSTD(1)),\n"
              + "    TraceState String CODEC(ZSTD(1)),\n"
              + "    SpanName LowCardinality(String) CODEC(ZSTD(1)),\n"
              + "    SpanKind LowCardinality(String) CODEC(ZSTD(1)),\n"
              + "    ServiceName LowCardinality(String) CODEC(ZSTD(1)),\n"
              + "    ResourceAttributes "
              + MAP
              + " CODEC(ZSTD(1)),\n"
              + "    ScopeName String CODEC(ZSTD(1)),\n"
              + "    ScopeVersion String CODEC(ZSTD(1)),\n"
              + "    SpanAttributes "
              + MAP
              + " CODEC(ZSTD(1)),\n"
              + "    Duration UInt64 CODEC(T64, ZSTD(1)),\n"
              + "    StatusCode LowCardinality(String) CODEC(ZSTD(1)),\n"
              + "    StatusMessage String CODEC(ZSTD(1)),\n"
              + "    Events Nested (\n"
              + "        Timestamp DateTime64(9),\n"
              + "        Name LowCardinality(String),\n"
              + "        Attributes "
              + MAP
              + "\n"
              + "    ) CODEC(ZSTD(1)),\n"
              + "    Links Nested (\n"
              + "        TraceId String,\n"
              + "        SpanId String,\n"
              + "        TraceState String,\n"
              + "        Attributes "
              + MAP
              + "\n"
              + "    ) CODEC(ZSTD(1)),\n"
              + attributeItems("ResourceAttributeItems", "ResourceAttributes")
              + attributeItems("SpanAttributeItems", "SpanAttributes")
              + (textIndexes
                  ? textIndex("idx_trace_id", "TraceId", "array")
                      + textIndex("idx_res_attr_key", "mapKeys(ResourceAttributes)", "array")
                      + textIndex("idx_res_attr_items", "ResourceAttributeItems", "array")
                      + textIndex("idx_span_attr_key", "mapKeys(SpanAttributes)", "array")
                      + textIndex("idx_span_attr_items", "SpanAttributeItems", "array")
                  : bloomIndex("idx_trace_id", "TraceId", "0.001")
                      + bloomIndex("idx_res_attr_key", "mapKeys(ResourceAttributes)", "0.01")
                      + bloomIndex("idx_res_attr_value", "mapValues(ResourceAttributes)", "0.01")
                      + bloomIndex("idx_span_attr_key", "mapKeys(SpanAttributes)", "0.01")
                      + bloomIndex("idx_span_attr_value", "mapValues(SpanAttributes)", "0.01"))
              + "    INDEX idx_duration Duration TYPE minmax GRANULARITY 1,\n"
              + "    INDEX idx_lower_span_name lower(SpanName) TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8\n"
              + ") ENGINE = "
              + schema.engineFor(table)
              + "\n"
              + "PARTITION BY toDate(Timestamp)\n"
              + "PRIMARY KEY (ServiceName, SpanName, toDateTime(Timestamp))\n"
              + "ORDER BY (ServiceName, SpanName, toDateTime(Timestamp), Timestamp)\n"
              + ttlLine
              + schema.settingsClause();
      case TRACE_ID_TS ->
          head
              + "    TraceId String CODEC(ZSTD(1)),\n"
              + "    Start SimpleAggregateFunction(min, DateTime) CODEC(ZSTD(1)),\n"
              + "    End SimpleAggregateFunction(max, DateTime) CODEC(ZSTD(1))\n"
              + ") ENGINE = "
              + schema.engineFor(table)
              + "\n"
              + "PARTITION BY toStartOfWeek(Start)\n"
              + "ORDER BY (TraceId)\n"
              + ttlLine
              + schema.settingsClause();
      case LOGS ->
          head
              + "    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),\n"
              + "    "
              + TelemetryTable.LOGS.aliasColumns().get(0).definition()
              + ",\n"
              + "    TraceId String CODEC(ZSTD(1)),\n"
              + "    SpanId String CODEC(ZSTD(1)),\n"
              + "    TraceFlags UInt8,\n"
              + "    SeverityText LowCardinality(String) CODEC(ZSTD(1)),\n"
              + "    SeverityNumber UInt8,\n"
              + "    ServiceName LowCardinality(String) CODEC(ZSTD(1)),\n"
              + "    Body String CODEC(ZSTD(1)),\n"
              + "    ResourceSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),\n"
              + "    ResourceAttributes "
              + MAP
              + " CODEC(ZSTD(1)),\n"
              + "    ScopeSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),\n"
              + "    ScopeName String CODEC(ZSTD(1)),\n"
              + "    ScopeVersion LowCardinality(String) CODEC(ZSTD(1)),\n"
              + "    ScopeAttributes "
              + MAP
              + " CODEC(ZSTD(1)),\n"
              + "    LogAttributes "
              + MAP
              + " CODEC(ZSTD(1)),\n"
              + "    EventName String CODEC(ZSTD(1)),\n"
              + materializedResourceColumns()
              + (textIndexes
                  ? textIndex("idx_trace_id", "TraceId", "array")
                      + textIndex("idx_res_attr_key", "mapKeys(ResourceAttributes)", "array")
                      + textIndex("idx_res_attr_value", "mapValues(ResourceAttributes)", "array")
                      + textIndex("idx_scope_attr_key", "mapKeys(ScopeAttributes)", "array")
                      + textIndex("idx_scope_attr_value", "mapValues(ScopeAttributes)", "array")
                      + textIndex("idx_log_attr_key", "mapKeys(LogAttributes)", "array")
                      + textIndex("idx_log_attr_value", "mapValues(LogAttributes)", "array")
                      + "    INDEX idx_lower_body lower(Body) TYPE text(tokenizer = 'splitByNonAlpha')\n"
                  : bloomIndex("idx_trace_id", "TraceId", "0.001")
                      + bloomIndex("idx_res_attr_key", "mapKeys(ResourceAttributes)", "0.01")
                      + bloomIndex("idx_res_attr_value", "mapValues(ResourceAttributes)", "0.01")
                      + bloomIndex("idx_scope_attr_key", "mapKeys(ScopeAttributes)", "0.01")
                      + bloomIndex("idx_scope_attr_value", "mapValues(ScopeAttributes)", "0.01")
                      + bloomIndex("idx_log_attr_key", "mapKeys(LogAttributes)", "0.01")
                      + bloomIndex("idx_log_attr_value", "mapValues(LogAttributes)", "0.01")
                      + "    INDEX idx_lower_body lower(Body) TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8\n")
              + ") ENGINE = "
              + schema.engineFor(table)
              + "\n"
              + "PARTITION BY toDate(Timestamp)\n"
              + "ORDER BY (toStartOfFiveMinutes(Timestamp), ServiceName, Timestamp)\n"
              + ttlLine
              + schema.settingsClause();
      default ->
          head
              + metricColumns(table)
              + ATTRIBUTE_INDEXES_METRICS
              + ") ENGINE = "
              + schema.engineFor(table)
              + "\n"
              + ttlLine
              + "PARTITION BY toDate(TimeUnix)\n"
              + "ORDER BY (ServiceName, MetricName, Attributes, toUnixTimestamp64Nano(TimeUnix))\n"
              + schema.settingsClause();
    };
  }

  /**
   * The columns and indexes of the traces or logs table in the Collector's JSON layout (its {@code
   * traces_json_table.sql} and {@code logs_json_table.sql} of collector-contrib PR #40547), the
   * logs table with the {@code TimestampTime} ALIAS column its Map layout gets as well.
   */
  private static String jsonColumns(TelemetryTable table) {
    if (table == TelemetryTable.TRACES) {
      return """
              Timestamp DateTime64(9) CODEC(Delta, ZSTD(1)),
              TraceId String CODEC(ZSTD(1)),
              SpanId String CODEC(ZSTD(1)),
              ParentSpanId String CODEC(ZSTD(1)),
              TraceState String CODEC(ZSTD(1)),
              SpanName LowCardinality(String) CODEC(ZSTD(1)),
              SpanKind LowCardinality(String) CODEC(ZSTD(1)),
              ServiceName LowCardinality(String) CODEC(ZSTD(1)),
              ResourceAttributes JSON CODEC(ZSTD(1)),
              ScopeName String CODEC(ZSTD(1)),
              ScopeVersion String CODEC(ZSTD(1)),
              SpanAttributes JSON CODEC(ZSTD(1)),
              Duration UInt64 CODEC(ZSTD(1)),
              StatusCode LowCardinality(String) CODEC(ZSTD(1)),
              StatusMessage String CODEC(ZSTD(1)),
              Events Nested (
                  Timestamp DateTime64(9),
                  Name LowCardinality(String),
                  Attributes JSON
              ) CODEC(ZSTD(1)),
              Links Nested (
                  TraceId String,
                  SpanId String,
                  TraceState String,
                  Attributes JSON
              ) CODEC(ZSTD(1)),
              INDEX idx_duration Duration TYPE minmax GRANULARITY 1
          """;
    }
    return """
            Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
        """
        + "    "
        + TelemetryTable.LOGS.aliasColumns().get(0).definition()
        + ",\n"
        + """
            TraceId String CODEC(ZSTD(1)),
            SpanId String CODEC(ZSTD(1)),
            TraceFlags UInt8,
            SeverityText LowCardinality(String) CODEC(ZSTD(1)),
            SeverityNumber UInt8,
            ServiceName LowCardinality(String) CODEC(ZSTD(1)),
            Body String CODEC(ZSTD(1)),
            ResourceSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
            ResourceAttributes JSON CODEC(ZSTD(1)),
            ScopeSchemaUrl LowCardinality(String) CODEC(ZSTD(1)),
            ScopeName String CODEC(ZSTD(1)),
            ScopeVersion LowCardinality(String) CODEC(ZSTD(1)),
            ScopeAttributes JSON CODEC(ZSTD(1)),
            LogAttributes JSON CODEC(ZSTD(1)),
            INDEX idx_body Body TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 8
        """;
  }

  private static String attributeItems(String column, String map) {
    return "    "
        + column
        + " Array(String) ALIAS arrayMap(kv -> concat(kv.1, '=', kv.2), CAST("
        + map
        + ", 'Array(Tuple(String, String))')),\n";
  }

  private static String textIndex(String name, String expression, String tokenizer) {
    return "    INDEX "
        + name
        + " "
        + expression
        + " TYPE text(tokenizer = "
        + Identifiers.literal(tokenizer)
        + "),\n";
  }

  private static String bloomIndex(String name, String expression, String falsePositiveRate) {
    return "    INDEX "
        + name
        + " "
        + expression
        + " TYPE bloom_filter("
        + falsePositiveRate
        + ") GRANULARITY 1,\n";
  }

  /** The resource attributes the logs table keeps as columns of their own, for fast filters. */
  private static String materializedResourceColumns() {
    StringBuilder columns = new StringBuilder();
    for (String attribute : MATERIALIZED_RESOURCE_ATTRIBUTES) {
      columns
          .append("    ")
          .append(Identifiers.quote("__otel_materialized_" + attribute))
          .append(" LowCardinality(String) MATERIALIZED ResourceAttributes[")
          .append(Identifiers.literal(attribute))
          .append("] CODEC(ZSTD(1)),\n");
    }
    return columns.toString();
  }

  private static String metricColumns(TelemetryTable table) {
    String common =
        "    ResourceAttributes "
            + MAP
            + " CODEC(ZSTD(1)),\n"
            + "    ResourceSchemaUrl String CODEC(ZSTD(1)),\n"
            + "    ScopeName String CODEC(ZSTD(1)),\n"
            + "    ScopeVersion String CODEC(ZSTD(1)),\n"
            + "    ScopeAttributes "
            + MAP
            + " CODEC(ZSTD(1)),\n"
            + "    ScopeDroppedAttrCount UInt32 CODEC(ZSTD(1)),\n"
            + "    ScopeSchemaUrl String CODEC(ZSTD(1)),\n"
            + "    ServiceName LowCardinality(String) CODEC(ZSTD(1)),\n"
            + "    MetricName String CODEC(ZSTD(1)),\n"
            + "    MetricDescription String CODEC(ZSTD(1)),\n"
            + "    MetricUnit String CODEC(ZSTD(1)),\n"
            + "    Attributes "
            + MAP
            + " CODEC(ZSTD(1)),\n"
            + "    StartTimeUnix DateTime64(9) CODEC(Delta, ZSTD(1)),\n"
            + "    TimeUnix DateTime64(9) CODEC(Delta, ZSTD(1)),\n";
    String exemplars =
        "    Exemplars Nested (\n"
            + "        FilteredAttributes "
            + MAP
            + ",\n"
            + "        TimeUnix DateTime64(9),\n"
            + "        Value Float64,\n"
            + "        SpanId String,\n"
            + "        TraceId String\n"
            + "    ) CODEC(ZSTD(1)),\n";
    return switch (table) {
      case METRICS_GAUGE ->
          common
              + "    Value Float64 CODEC(ZSTD(1)),\n"
              + "    Flags UInt32 CODEC(ZSTD(1)),\n"
              + exemplars;
      case METRICS_SUM ->
          common
              + "    Value Float64 CODEC(ZSTD(1)),\n"
              + "    Flags UInt32 CODEC(ZSTD(1)),\n"
              + exemplars
              + "    AggregationTemporality Int32 CODEC(ZSTD(1)),\n"
              + "    IsMonotonic Bool CODEC(Delta, ZSTD(1)),\n";
      case METRICS_HISTOGRAM ->
          common
              + "    Count UInt64 CODEC(Delta, ZSTD(1)),\n"
              + "    Sum Float64 CODEC(ZSTD(1)),\n"
              + "    BucketCounts Array(UInt64) CODEC(ZSTD(1)),\n"
              + "    ExplicitBounds Array(Float64) CODEC(ZSTD(1)),\n"
              + exemplars
              + "    Flags UInt32 CODEC(ZSTD(1)),\n"
              + "    Min Float64 CODEC(ZSTD(1)),\n"
              + "    Max Float64 CODEC(ZSTD(1)),\n"
              + "    AggregationTemporality Int32 CODEC(ZSTD(1)),\n";
      case METRICS_EXPONENTIAL_HISTOGRAM ->
          common
              + "    Count UInt64 CODEC(Delta, ZSTD(1)),\n"
              + "    Sum Float64 CODEC(ZSTD(1)),\n"
              + "    Scale Int32 CODEC(ZSTD(1)),\n"
              + "    ZeroCount UInt64 CODEC(ZSTD(1)),\n"
              + "    PositiveOffset Int32 CODEC(ZSTD(1)),\n"
              + "    PositiveBucketCounts Array(UInt64) CODEC(ZSTD(1)),\n"
              + "    NegativeOffset Int32 CODEC(ZSTD(1)),\n"
              + "    NegativeBucketCounts Array(UInt64) CODEC(ZSTD(1)),\n"
              + exemplars
              + "    Flags UInt32 CODEC(ZSTD(1)),\n"
              + "    Min Float64 CODEC(ZSTD(1)),\n"
              + "    Max Float64 CODEC(ZSTD(1)),\n"
              + "    AggregationTemporality Int32 CODEC(ZSTD(1)),\n";
      default ->
          common
              + "    Count UInt64 CODEC(Delta, ZSTD(1)),\n"
              + "    Sum Float64 CODEC(ZSTD(1)),\n"
              + "    ValueAtQuantiles Nested (\n"
              + "        Quantile Float64,\n"
              + "        Value Float64\n"
              + "    ) CODEC(ZSTD(1)),\n"
              + "    Flags UInt32 CODEC(ZSTD(1)),\n";
    };
  }
}
