package dev.otelretention.exporter.clickhouse.internal.schema;

import dev.otelretention.exporter.clickhouse.internal.schema.TelemetryTable.Column;
import java.util.ArrayList;
import java.util.List;

/**
 * The metric rollups: per-minute and per-hour aggregates of the gauge, sum and histogram tables,
 * filled by materialized views on every insert into the raw table. Exponential histograms and
 * summaries have no rollup: their buckets and quantiles cannot be added up across points.
 */
public enum RollupTable {
  GAUGE_1M(TelemetryTable.METRICS_GAUGE, Resolution.MINUTE),
  GAUGE_1H(TelemetryTable.METRICS_GAUGE, Resolution.HOUR),
  SUM_1M(TelemetryTable.METRICS_SUM, Resolution.MINUTE),
  SUM_1H(TelemetryTable.METRICS_SUM, Resolution.HOUR),
  HISTOGRAM_1M(TelemetryTable.METRICS_HISTOGRAM, Resolution.MINUTE),
  HISTOGRAM_1H(TelemetryTable.METRICS_HISTOGRAM, Resolution.HOUR);

  /** The width of a rollup bucket. */
  public enum Resolution {
    MINUTE("_1m", "toStartOfMinute", "toDate(TimeUnix)"),
    HOUR("_1h", "toStartOfHour", "toYYYYMM(TimeUnix)");

    private final String suffix;
    private final String bucketFunction;
    private final String partitionBy;

    Resolution(String suffix, String bucketFunction, String partitionBy) {
      this.suffix = suffix;
      this.bucketFunction = bucketFunction;
      this.partitionBy = partitionBy;
    }

    public String suffix() {
      return suffix;
    }
  }

  private static final String MAP = "Map(LowCardinality(String), String)";

  private final TelemetryTable source;
  private final Resolution resolution;

  RollupTable(TelemetryTable source, Resolution resolution) {
    this.source = source;
    this.resolution = resolution;
  }

  public TelemetryTable source() {
    return source;
  }

  public Resolution resolution() {
    return resolution;
  }

  /** Grouping columns, in sort-key order (the bucket start {@code TimeUnix} comes last). */
  private List<Column> keyColumns() {
    List<Column> key =
        new ArrayList<>(
            List.of(
                new Column("ServiceName", "LowCardinality(String)"),
                new Column("MetricName", "String"),
                new Column("Attributes", MAP),
                new Column("ResourceAttributes", MAP)));
    if (source == TelemetryTable.METRICS_SUM) {
      key.add(new Column("AggregationTemporality", "Int32"));
      key.add(new Column("IsMonotonic", "Bool"));
    } else if (source == TelemetryTable.METRICS_HISTOGRAM) {
      key.add(new Column("AggregationTemporality", "Int32"));
      key.add(new Column("ExplicitBounds", "Array(Float64)"));
    }
    return key;
  }

  /** Every column as {@code DESCRIBE TABLE} reports it. */
  public List<Column> columns() {
    List<Column> columns = new ArrayList<>(keyColumns());
    columns.add(new Column("TimeUnix", "DateTime"));
    for (Aggregate aggregate : aggregates()) {
      columns.add(new Column(aggregate.column(), aggregate.type()));
    }
    return List.copyOf(columns);
  }

  /**
   * One aggregate column: its type and the expression of the view that fills it from the raw row
   * {@code src}.
   */
  private record Aggregate(String column, String type, String expression) {}

  private List<Aggregate> aggregates() {
    List<Aggregate> aggregates = new ArrayList<>();
    aggregates.add(
        new Aggregate(
            "MetricUnit", "SimpleAggregateFunction(anyLast, String)", "anyLast(src.MetricUnit)"));
    aggregates.add(new Aggregate("Points", "SimpleAggregateFunction(sum, UInt64)", "count()"));
    if (source == TelemetryTable.METRICS_HISTOGRAM) {
      aggregates.add(
          new Aggregate("Count", "SimpleAggregateFunction(sum, UInt64)", "sum(src.Count)"));
      aggregates.add(new Aggregate("Sum", "SimpleAggregateFunction(sum, Float64)", "sum(src.Sum)"));
      aggregates.add(new Aggregate("Min", "SimpleAggregateFunction(min, Float64)", "min(src.Min)"));
      aggregates.add(new Aggregate("Max", "SimpleAggregateFunction(max, Float64)", "max(src.Max)"));
      aggregates.add(
          new Aggregate(
              "BucketCounts",
              "AggregateFunction(sumForEach, Array(UInt64))",
              "sumForEachState(src.BucketCounts)"));
      aggregates.add(
          new Aggregate(
              "LastCount",
              "AggregateFunction(argMax, UInt64, DateTime64(9))",
              "argMaxState(src.Count, src.TimeUnix)"));
      aggregates.add(
          new Aggregate(
              "LastSum",
              "AggregateFunction(argMax, Float64, DateTime64(9))",
              "argMaxState(src.Sum, src.TimeUnix)"));
      aggregates.add(
          new Aggregate(
              "LastBucketCounts",
              "AggregateFunction(argMax, Array(UInt64), DateTime64(9))",
              "argMaxState(src.BucketCounts, src.TimeUnix)"));
    } else {
      aggregates.add(
          new Aggregate("Sum", "SimpleAggregateFunction(sum, Float64)", "sum(src.Value)"));
      aggregates.add(
          new Aggregate("Min", "SimpleAggregateFunction(min, Float64)", "min(src.Value)"));
      aggregates.add(
          new Aggregate("Max", "SimpleAggregateFunction(max, Float64)", "max(src.Value)"));
      aggregates.add(
          new Aggregate(
              "First",
              "AggregateFunction(argMin, Float64, DateTime64(9))",
              "argMinState(src.Value, src.TimeUnix)"));
      aggregates.add(
          new Aggregate(
              "Last",
              "AggregateFunction(argMax, Float64, DateTime64(9))",
              "argMaxState(src.Value, src.TimeUnix)"));
    }
    return aggregates;
  }

  /** The column list of CREATE TABLE, with codecs. */
  public String columnDefinitions() {
    StringBuilder ddl = new StringBuilder();
    for (Column column : keyColumns()) {
      ddl.append("    ")
          .append(column.name())
          .append(' ')
          .append(column.type())
          .append(" CODEC(ZSTD(1)),\n");
    }
    ddl.append("    TimeUnix DateTime CODEC(Delta, ZSTD(1)),\n");
    List<Aggregate> aggregates = aggregates();
    for (int i = 0; i < aggregates.size(); i++) {
      Aggregate aggregate = aggregates.get(i);
      ddl.append("    ")
          .append(aggregate.column())
          .append(' ')
          .append(aggregate.type())
          .append(i + 1 < aggregates.size() ? ",\n" : "\n");
    }
    return ddl.toString();
  }

  public String partitionBy() {
    return resolution.partitionBy;
  }

  public String orderBy() {
    List<String> names = new ArrayList<>();
    for (Column column : keyColumns()) {
      names.add(column.name());
    }
    names.add("TimeUnix");
    return "(" + String.join(", ", names) + ")";
  }

  /**
   * The SELECT of the materialized view over {@code sourceTable}. Source columns are qualified with
   * the table alias {@code src} because the result columns reuse their names.
   */
  public String select(String sourceTable) {
    List<String> items = new ArrayList<>();
    List<String> groupBy = new ArrayList<>();
    for (Column column : keyColumns()) {
      items.add("src." + column.name() + " AS " + column.name());
      groupBy.add(column.name());
    }
    items.add(resolution.bucketFunction + "(src.TimeUnix) AS TimeUnix");
    groupBy.add("TimeUnix");
    for (Aggregate aggregate : aggregates()) {
      items.add(aggregate.expression() + " AS " + aggregate.column());
    }
    return "SELECT "
        + String.join(", ", items)
        + "\nFROM "
        + sourceTable
        + " AS src\nGROUP BY "
        + String.join(", ", groupBy);
  }
}
