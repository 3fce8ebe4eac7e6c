package dev.otelretention.otlpjson.internal;

import static dev.otelretention.otlpjson.internal.JsonReader.array;
import static dev.otelretention.otlpjson.internal.JsonReader.attributes;
import static dev.otelretention.otlpjson.internal.JsonReader.bool;
import static dev.otelretention.otlpjson.internal.JsonReader.dbl;
import static dev.otelretention.otlpjson.internal.JsonReader.doubles;
import static dev.otelretention.otlpjson.internal.JsonReader.enumNumber;
import static dev.otelretention.otlpjson.internal.JsonReader.id;
import static dev.otelretention.otlpjson.internal.JsonReader.int64;
import static dev.otelretention.otlpjson.internal.JsonReader.longs;
import static dev.otelretention.otlpjson.internal.JsonReader.object;
import static dev.otelretention.otlpjson.internal.JsonReader.optionalObject;
import static dev.otelretention.otlpjson.internal.JsonReader.string;
import static dev.otelretention.otlpjson.internal.JsonReader.values;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Metrics read from OTLP/JSON into the SDK's {@code MetricData}; {@link MetricJson} writes them.
 */
public final class MetricJsonReader {
  private MetricJsonReader() {}

  /** The metric at {@code path} of a decoded request, with its resource and scope. */
  public static MetricData read(
      Resource resource, InstrumentationScopeInfo scope, Map<String, Object> metric, String path) {
    String name = string(metric.get("name"), path + ".name");
    String description = string(metric.get("description"), path + ".description");
    String unit = string(metric.get("unit"), path + ".unit");
    if (metric.get("gauge") != null) {
      Map<String, Object> gauge = object(metric.get("gauge"), path + ".gauge");
      List<Map<String, Object>> points = points(gauge, path + ".gauge");
      if (allIntegers(points)) {
        return new DecodedData.Metric(
            resource,
            scope,
            name,
            description,
            unit,
            MetricDataType.LONG_GAUGE,
            GaugeData.createLongGaugeData(longPoints(points, path + ".gauge.dataPoints")));
      }
      return new DecodedData.Metric(
          resource,
          scope,
          name,
          description,
          unit,
          MetricDataType.DOUBLE_GAUGE,
          GaugeData.createDoubleGaugeData(doublePoints(points, path + ".gauge.dataPoints")));
    }
    if (metric.get("sum") != null) {
      Map<String, Object> sum = object(metric.get("sum"), path + ".sum");
      List<Map<String, Object>> points = points(sum, path + ".sum");
      boolean monotonic = bool(sum.get("isMonotonic"), path + ".sum.isMonotonic");
      AggregationTemporality temporality =
          temporality(sum.get("aggregationTemporality"), path + ".sum.aggregationTemporality");
      if (allIntegers(points)) {
        return new DecodedData.Metric(
            resource,
            scope,
            name,
            description,
            unit,
            MetricDataType.LONG_SUM,
            SumData.createLongSumData(
                monotonic, temporality, longPoints(points, path + ".sum.dataPoints")));
      }
      return new DecodedData.Metric(
          resource,
          scope,
          name,
          description,
          unit,
          MetricDataType.DOUBLE_SUM,
          SumData.createDoubleSumData(
              monotonic, temporality, doublePoints(points, path + ".sum.dataPoints")));
    }
    if (metric.get("histogram") != null) {
      Map<String, Object> histogram = object(metric.get("histogram"), path + ".histogram");
      List<HistogramPointData> points = new ArrayList<>();
      List<Map<String, Object>> raw = points(histogram, path + ".histogram");
      for (int i = 0; i < raw.size(); i++) {
        String pointPath = path + ".histogram.dataPoints[" + i + "]";
        Map<String, Object> point = raw.get(i);
        points.add(
            new DecodedData.HistogramPoint(
                int64(point.get("startTimeUnixNano"), pointPath + ".startTimeUnixNano"),
                int64(point.get("timeUnixNano"), pointPath + ".timeUnixNano"),
                attributes(point.get("attributes"), pointPath + ".attributes"),
                dbl(point.get("sum"), pointPath + ".sum"),
                int64(point.get("count"), pointPath + ".count"),
                point.get("min") != null,
                dbl(point.get("min"), pointPath + ".min"),
                point.get("max") != null,
                dbl(point.get("max"), pointPath + ".max"),
                doubles(point.get("explicitBounds"), pointPath + ".explicitBounds"),
                longs(point.get("bucketCounts"), pointPath + ".bucketCounts"),
                doubleExemplars(point.get("exemplars"), pointPath + ".exemplars")));
      }
      return new DecodedData.Metric(
          resource,
          scope,
          name,
          description,
          unit,
          MetricDataType.HISTOGRAM,
          HistogramData.create(
              temporality(
                  histogram.get("aggregationTemporality"),
                  path + ".histogram.aggregationTemporality"),
              points));
    }
    if (metric.get("exponentialHistogram") != null) {
      String field = path + ".exponentialHistogram";
      Map<String, Object> histogram = object(metric.get("exponentialHistogram"), field);
      List<ExponentialHistogramPointData> points = new ArrayList<>();
      List<Map<String, Object>> raw = points(histogram, field);
      for (int i = 0; i < raw.size(); i++) {
        String pointPath = field + ".dataPoints[" + i + "]";
        Map<String, Object> point = raw.get(i);
        int scale = (int) int64(point.get("scale"), pointPath + ".scale");
        points.add(
            ExponentialHistogramPointData.create(
                scale,
                dbl(point.get("sum"), pointPath + ".sum"),
                int64(point.get("zeroCount"), pointPath + ".zeroCount"),
                point.get("min") != null,
                dbl(point.get("min"), pointPath + ".min"),
                point.get("max") != null,
                dbl(point.get("max"), pointPath + ".max"),
                buckets(scale, point.get("positive"), pointPath + ".positive"),
                buckets(scale, point.get("negative"), pointPath + ".negative"),
                int64(point.get("startTimeUnixNano"), pointPath + ".startTimeUnixNano"),
                int64(point.get("timeUnixNano"), pointPath + ".timeUnixNano"),
                attributes(point.get("attributes"), pointPath + ".attributes"),
                doubleExemplars(point.get("exemplars"), pointPath + ".exemplars")));
      }
      return new DecodedData.Metric(
          resource,
          scope,
          name,
          description,
          unit,
          MetricDataType.EXPONENTIAL_HISTOGRAM,
          ExponentialHistogramData.create(
              temporality(
                  histogram.get("aggregationTemporality"), field + ".aggregationTemporality"),
              points));
    }
    if (metric.get("summary") != null) {
      Map<String, Object> summary = object(metric.get("summary"), path + ".summary");
      List<SummaryPointData> points = new ArrayList<>();
      List<Map<String, Object>> raw = points(summary, path + ".summary");
      for (int i = 0; i < raw.size(); i++) {
        String pointPath = path + ".summary.dataPoints[" + i + "]";
        Map<String, Object> point = raw.get(i);
        List<ValueAtQuantile> quantiles = new ArrayList<>();
        List<Object> values = array(point.get("quantileValues"), pointPath + ".quantileValues");
        for (int q = 0; q < values.size(); q++) {
          String quantilePath = pointPath + ".quantileValues[" + q + "]";
          Map<String, Object> value = object(values.get(q), quantilePath);
          quantiles.add(
              ValueAtQuantile.create(
                  dbl(value.get("quantile"), quantilePath + ".quantile"),
                  dbl(value.get("value"), quantilePath + ".value")));
        }
        points.add(
            SummaryPointData.create(
                int64(point.get("startTimeUnixNano"), pointPath + ".startTimeUnixNano"),
                int64(point.get("timeUnixNano"), pointPath + ".timeUnixNano"),
                attributes(point.get("attributes"), pointPath + ".attributes"),
                int64(point.get("count"), pointPath + ".count"),
                dbl(point.get("sum"), pointPath + ".sum"),
                quantiles));
      }
      return new DecodedData.Metric(
          resource,
          scope,
          name,
          description,
          unit,
          MetricDataType.SUMMARY,
          SummaryData.create(points));
    }
    throw new IllegalArgumentException(
        path + ": a metric needs gauge, sum, histogram, exponentialHistogram or summary");
  }

  private static List<Map<String, Object>> points(Map<String, Object> data, String path) {
    List<Object> raw = array(data.get("dataPoints"), path + ".dataPoints");
    List<Map<String, Object>> points = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      points.add(object(raw.get(i), path + ".dataPoints[" + i + "]"));
    }
    return points;
  }

  private static boolean allIntegers(List<Map<String, Object>> points) {
    for (Map<String, Object> point : points) {
      if (point.get("asInt") == null) {
        return false;
      }
    }
    return true;
  }

  private static List<LongPointData> longPoints(List<Map<String, Object>> points, String path) {
    List<LongPointData> result = new ArrayList<>(points.size());
    for (int i = 0; i < points.size(); i++) {
      String pointPath = path + "[" + i + "]";
      Map<String, Object> point = points.get(i);
      List<LongExemplarData> exemplars = new ArrayList<>();
      List<Object> raw = array(point.get("exemplars"), pointPath + ".exemplars");
      for (int e = 0; e < raw.size(); e++) {
        String exemplarPath = pointPath + ".exemplars[" + e + "]";
        Map<String, Object> exemplar = object(raw.get(e), exemplarPath);
        exemplars.add(
            LongExemplarData.create(
                attributes(
                    exemplar.get("filteredAttributes"), exemplarPath + ".filteredAttributes"),
                int64(exemplar.get("timeUnixNano"), exemplarPath + ".timeUnixNano"),
                exemplarContext(exemplar, exemplarPath),
                exemplar.get("asInt") != null
                    ? int64(exemplar.get("asInt"), exemplarPath + ".asInt")
                    : (long) dbl(exemplar.get("asDouble"), exemplarPath + ".asDouble")));
      }
      result.add(
          new DecodedData.LongPoint(
              int64(point.get("startTimeUnixNano"), pointPath + ".startTimeUnixNano"),
              int64(point.get("timeUnixNano"), pointPath + ".timeUnixNano"),
              attributes(point.get("attributes"), pointPath + ".attributes"),
              int64(point.get("asInt"), pointPath + ".asInt"),
              List.copyOf(exemplars)));
    }
    return result;
  }

  private static List<DoublePointData> doublePoints(List<Map<String, Object>> points, String path) {
    List<DoublePointData> result = new ArrayList<>(points.size());
    for (int i = 0; i < points.size(); i++) {
      String pointPath = path + "[" + i + "]";
      Map<String, Object> point = points.get(i);
      double value =
          point.get("asInt") != null
              ? int64(point.get("asInt"), pointPath + ".asInt")
              : dbl(point.get("asDouble"), pointPath + ".asDouble");
      result.add(
          DoublePointData.create(
              int64(point.get("startTimeUnixNano"), pointPath + ".startTimeUnixNano"),
              int64(point.get("timeUnixNano"), pointPath + ".timeUnixNano"),
              attributes(point.get("attributes"), pointPath + ".attributes"),
              value,
              doubleExemplars(point.get("exemplars"), pointPath + ".exemplars")));
    }
    return result;
  }

  private static List<DoubleExemplarData> doubleExemplars(Object value, String path) {
    List<Object> raw = array(value, path);
    List<DoubleExemplarData> exemplars = new ArrayList<>(raw.size());
    for (int e = 0; e < raw.size(); e++) {
      String exemplarPath = path + "[" + e + "]";
      Map<String, Object> exemplar = object(raw.get(e), exemplarPath);
      exemplars.add(
          DoubleExemplarData.create(
              attributes(exemplar.get("filteredAttributes"), exemplarPath + ".filteredAttributes"),
              int64(exemplar.get("timeUnixNano"), exemplarPath + ".timeUnixNano"),
              exemplarContext(exemplar, exemplarPath),
              exemplar.get("asInt") != null
                  ? int64(exemplar.get("asInt"), exemplarPath + ".asInt")
                  : dbl(exemplar.get("asDouble"), exemplarPath + ".asDouble")));
    }
    return exemplars;
  }

  private static SpanContext exemplarContext(Map<String, Object> exemplar, String path) {
    String traceId = id(exemplar.get("traceId"), 32, path + ".traceId");
    String spanId = id(exemplar.get("spanId"), 16, path + ".spanId");
    if (traceId.isEmpty() || spanId.isEmpty()) {
      return SpanContext.getInvalid();
    }
    return SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
  }

  private static ExponentialHistogramBuckets buckets(int scale, Object value, String path) {
    Map<String, Object> buckets = optionalObject(value, path);
    return ExponentialHistogramBuckets.create(
        scale,
        (int) int64(buckets.get("offset"), path + ".offset"),
        longs(buckets.get("bucketCounts"), path + ".bucketCounts"));
  }

  private static AggregationTemporality temporality(Object value, String path) {
    long number =
        enumNumber(
            value, path, "AGGREGATION_TEMPORALITY_", List.of("UNSPECIFIED", "DELTA", "CUMULATIVE"));
    if (number == 1) {
      return AggregationTemporality.DELTA;
    }
    if (number == 2) {
      return AggregationTemporality.CUMULATIVE;
    }
    throw new IllegalArgumentException(
        path + ": aggregation temporality must be DELTA (1) or CUMULATIVE (2), got " + number);
  }
}
