package dev.otelretention.exporter.clickhouse.internal.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The tables of the OpenTelemetry Collector's ClickHouse exporter, with their columns as this
 * exporter inserts them and the expression their TTL is computed from. The full DDL is in {@link
 * Schema}.
 */
public enum TelemetryTable {
  TRACES(
      "otel_traces",
      "toDateTime(Timestamp)",
      List.of(
          column("Timestamp", "DateTime64(9)"),
          column("TraceId", "String"),
          column("SpanId", "String"),
          column("ParentSpanId", "String"),
          column("TraceState", "String"),
          column("SpanName", "LowCardinality(String)"),
          column("SpanKind", "LowCardinality(String)"),
          column("ServiceName", "LowCardinality(String)"),
          column("ResourceAttributes", "Map(LowCardinality(String), String)"),
          column("ScopeName", "String"),
          column("ScopeVersion", "String"),
          column("SpanAttributes", "Map(LowCardinality(String), String)"),
          column("Duration", "UInt64"),
          column("StatusCode", "LowCardinality(String)"),
          column("StatusMessage", "String"),
          column("Events.Timestamp", "Array(DateTime64(9))"),
          column("Events.Name", "Array(LowCardinality(String))"),
          column("Events.Attributes", "Array(Map(LowCardinality(String), String))"),
          column("Links.TraceId", "Array(String)"),
          column("Links.SpanId", "Array(String)"),
          column("Links.TraceState", "Array(String)"),
          column("Links.Attributes", "Array(Map(LowCardinality(String), String))"))),
  TRACE_ID_TS(
      "otel_traces_trace_id_ts",
      "Start",
      List.of(
          column("TraceId", "String"),
          column("Start", "SimpleAggregateFunction(min, DateTime)"),
          column("End", "SimpleAggregateFunction(max, DateTime)"))),
  LOGS(
      "otel_logs",
      "toDateTime(Timestamp)",
      List.of(
          column("Timestamp", "DateTime64(9)"),
          column("TraceId", "String"),
          column("SpanId", "String"),
          column("TraceFlags", "UInt8"),
          column("SeverityText", "LowCardinality(String)"),
          column("SeverityNumber", "UInt8"),
          column("ServiceName", "LowCardinality(String)"),
          column("Body", "String"),
          column("ResourceSchemaUrl", "LowCardinality(String)"),
          column("ResourceAttributes", "Map(LowCardinality(String), String)"),
          column("ScopeSchemaUrl", "LowCardinality(String)"),
          column("ScopeName", "String"),
          column("ScopeVersion", "LowCardinality(String)"),
          column("ScopeAttributes", "Map(LowCardinality(String), String)"),
          column("LogAttributes", "Map(LowCardinality(String), String)"),
          column("EventName", "String"))),
  METRICS_GAUGE("otel_metrics_gauge", "toDateTime(TimeUnix)", metricColumns("gauge")),
  METRICS_SUM("otel_metrics_sum", "toDateTime(TimeUnix)", metricColumns("sum")),
  METRICS_HISTOGRAM("otel_metrics_histogram", "toDateTime(TimeUnix)", metricColumns("histogram")),
  METRICS_EXPONENTIAL_HISTOGRAM(
      "otel_metrics_exponential_histogram",
      "toDateTime(TimeUnix)",
      metricColumns("exponential_histogram")),
  METRICS_SUMMARY("otel_metrics_summary", "toDateTime(TimeUnix)", metricColumns("summary"));

  /** A column as {@code DESCRIBE TABLE} reports it (nested columns flattened to arrays). */
  public record Column(String name, String type) {}

  /**
   * A column computed when read ({@code ALIAS}), which costs no storage and is never inserted: the
   * logs table's {@code TimestampTime}, which the Collector's newest logs table dropped and which
   * the Grafana ClickHouse plugin's OTel 1.2.9 mode still filters logs by.
   *
   * @param after the column it follows
   */
  public record AliasColumn(String name, String type, String expression, String after) {
    /** The column's definition in a {@code CREATE TABLE} or {@code ADD COLUMN}. */
    public String definition() {
      return Identifiers.quote(name) + " " + type + " ALIAS " + expression;
    }
  }

  /** The ALIAS columns of this table. */
  public List<AliasColumn> aliasColumns() {
    return this == LOGS
        ? List.of(
            new AliasColumn("TimestampTime", "DateTime", "toDateTime(Timestamp)", "Timestamp"))
        : List.of();
  }

  private final String defaultName;
  private final String ttlExpression;

  @SuppressWarnings("ImmutableEnumChecker") // an unmodifiable List.of
  private final List<Column> columns;

  TelemetryTable(String defaultName, String ttlExpression, List<Column> columns) {
    this.defaultName = defaultName;
    this.ttlExpression = ttlExpression;
    this.columns = columns;
  }

  public String defaultName() {
    return defaultName;
  }

  public String ttlExpression() {
    return ttlExpression;
  }

  /** Inserted columns, in insert order. */
  public List<Column> columns() {
    return columns;
  }

  public List<String> columnNames() {
    return columns.stream().map(Column::name).toList();
  }

  /**
   * Inserted columns, in insert order, with {@code jsonAttributes} as the Collector's JSON layout
   * has them: the attribute maps of the traces and logs tables as {@code JSON} columns and the logs
   * table without {@code EventName}; the other tables as {@link #columns()}.
   */
  public List<Column> columns(boolean jsonAttributes) {
    if (!jsonAttributes || (this != TRACES && this != LOGS)) {
      return columns;
    }
    List<Column> json = new ArrayList<>();
    for (Column column : columns) {
      if (!column.name().equals("EventName")) {
        json.add(
            new Column(
                column.name(),
                column.type().replace("Map(LowCardinality(String), String)", "JSON")));
      }
    }
    return List.copyOf(json);
  }

  /** The names of {@link #columns(boolean)}. */
  public List<String> columnNames(boolean jsonAttributes) {
    return columns(jsonAttributes).stream().map(Column::name).toList();
  }

  /** The column the time range of the table is read from. */
  public String timeColumn() {
    return switch (this) {
      case TRACE_ID_TS -> "Start";
      case TRACES, LOGS -> "Timestamp";
      default -> "TimeUnix";
    };
  }

  /**
   * The table's code in spool records: fixed forever, whatever the order of this enum, since spools
   * written by earlier versions are read by later ones.
   */
  public int spoolCode() {
    return switch (this) {
      case TRACES -> 0;
      case TRACE_ID_TS -> 1;
      case LOGS -> 2;
      case METRICS_GAUGE -> 3;
      case METRICS_SUM -> 4;
      case METRICS_HISTOGRAM -> 5;
      case METRICS_EXPONENTIAL_HISTOGRAM -> 6;
      case METRICS_SUMMARY -> 7;
    };
  }

  /**
   * The table of spool code {@code code}.
   *
   * @throws IllegalArgumentException for a code no table has
   */
  public static TelemetryTable ofSpoolCode(int code) {
    for (TelemetryTable table : values()) {
      if (table.spoolCode() == code) {
        return table;
      }
    }
    throw new IllegalArgumentException("no table has spool code " + code);
  }

  public boolean isMetric() {
    return name().startsWith("METRICS_");
  }

  private static Column column(String name, String type) {
    return new Column(name, type);
  }

  private static List<Column> metricColumns(String kind) {
    List<Column> common =
        List.of(
            column("ResourceAttributes", "Map(LowCardinality(String), String)"),
            column("ResourceSchemaUrl", "String"),
            column("ScopeName", "String"),
            column("ScopeVersion", "String"),
            column("ScopeAttributes", "Map(LowCardinality(String), String)"),
            column("ScopeDroppedAttrCount", "UInt32"),
            column("ScopeSchemaUrl", "String"),
            column("ServiceName", "LowCardinality(String)"),
            column("MetricName", "String"),
            column("MetricDescription", "String"),
            column("MetricUnit", "String"),
            column("Attributes", "Map(LowCardinality(String), String)"),
            column("StartTimeUnix", "DateTime64(9)"),
            column("TimeUnix", "DateTime64(9)"));
    List<Column> exemplars =
        List.of(
            column("Exemplars.FilteredAttributes", "Array(Map(LowCardinality(String), String))"),
            column("Exemplars.TimeUnix", "Array(DateTime64(9))"),
            column("Exemplars.Value", "Array(Float64)"),
            column("Exemplars.SpanId", "Array(String)"),
            column("Exemplars.TraceId", "Array(String)"));
    List<Column> specific = new ArrayList<>();
    switch (kind) {
      case "gauge" -> {
        specific.add(column("Value", "Float64"));
        specific.add(column("Flags", "UInt32"));
        specific.addAll(exemplars);
      }
      case "sum" -> {
        specific.add(column("Value", "Float64"));
        specific.add(column("Flags", "UInt32"));
        specific.addAll(exemplars);
        specific.add(column("AggregationTemporality", "Int32"));
        specific.add(column("IsMonotonic", "Bool"));
      }
      case "histogram" -> {
        specific.add(column("Count", "UInt64"));
        specific.add(column("Sum", "Float64"));
        specific.add(column("BucketCounts", "Array(UInt64)"));
        specific.add(column("ExplicitBounds", "Array(Float64)"));
        specific.addAll(exemplars);
        specific.add(column("Flags", "UInt32"));
        specific.add(column("Min", "Float64"));
        specific.add(column("Max", "Float64"));
        specific.add(column("AggregationTemporality", "Int32"));
      }
      case "exponential_histogram" -> {
        specific.add(column("Count", "UInt64"));
        specific.add(column("Sum", "Float64"));
        specific.add(column("Scale", "Int32"));
        specific.add(column("ZeroCount", "UInt64"));
        specific.add(column("PositiveOffset", "Int32"));
        specific.add(column("PositiveBucketCounts", "Array(UInt64)"));
        specific.add(column("NegativeOffset", "Int32"));
        specific.add(column("NegativeBucketCounts", "Array(UInt64)"));
        specific.addAll(exemplars);
        specific.add(column("Flags", "UInt32"));
        specific.add(column("Min", "Float64"));
        specific.add(column("Max", "Float64"));
        specific.add(column("AggregationTemporality", "Int32"));
      }
      default -> {
        specific.add(column("Count", "UInt64"));
        specific.add(column("Sum", "Float64"));
        specific.add(column("ValueAtQuantiles.Quantile", "Array(Float64)"));
        specific.add(column("ValueAtQuantiles.Value", "Array(Float64)"));
        specific.add(column("Flags", "UInt32"));
      }
    }
    ArrayList<Column> all = new ArrayList<>(common);
    all.addAll(specific);
    return List.copyOf(all);
  }
}
