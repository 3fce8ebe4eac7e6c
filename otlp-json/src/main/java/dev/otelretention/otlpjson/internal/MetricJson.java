package dev.otelretention.otlpjson.internal;

import static dev.otelretention.otlpjson.internal.JsonReader.array;
import static dev.otelretention.otlpjson.internal.JsonReader.attributes;
import static dev.otelretention.otlpjson.internal.JsonReader.bool;
import static dev.otelretention.otlpjson.internal.JsonReader.count;
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
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.AS_DOUBLE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.AS_INT;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.ATTRIBUTES;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.BUCKET_COUNTS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.COUNT;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.DATA_POINTS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.DESCRIPTION;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.EXEMPLARS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.EXPLICIT_BOUNDS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.EXPONENTIAL_HISTOGRAM;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.FILTERED_ATTRIBUTES;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.GAUGE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.HISTOGRAM;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.IS_MONOTONIC;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.MAX;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.METRICS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.MIN;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.NAME;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.NEGATIVE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.OFFSET;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.POSITIVE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.QUANTILE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.QUANTILE_VALUES;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.RESOURCE_METRICS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.SCALE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.SCOPE_METRICS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.START_TIME;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.SUM;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.SUMMARY;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.TEMPORALITY;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.TIME;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.UNIT;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.VALUE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.ZERO_COUNT;

import com.fasterxml.jackson.core.SerializableString;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExemplarData;
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
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Metrics in OTLP/JSON, both ways: written from the SDK's {@code MetricData}, read back into it.
 */
public final class MetricJson {
  private final JsonWriter json;
  private final JsonOutput gen;

  private MetricJson(JsonWriter json) {
    this.json = json;
    this.gen = json.generator();
  }

  /** Writes {@code metrics} as one {@code ExportMetricsServiceRequest} JSON object (no newline). */
  public static void write(Collection<MetricData> metrics, OutputStream out) throws IOException {
    JsonWriter.write(
        out,
        json ->
            json.request(
                metrics,
                MetricData::getResource,
                MetricData::getInstrumentationScopeInfo,
                RESOURCE_METRICS,
                SCOPE_METRICS,
                METRICS,
                new MetricJson(json)::writeMetric));
  }

  // ---- metrics ----

  private void writeMetric(MetricData metric) throws IOException {
    gen.writeStartObject();
    gen.writeFieldName(NAME);
    json.writeString(metric.getName());
    json.writeNonEmptyString(DESCRIPTION, metric.getDescription());
    json.writeNonEmptyString(UNIT, metric.getUnit());
    switch (metric.getType()) {
      case LONG_GAUGE, DOUBLE_GAUGE -> {
        gen.writeFieldName(GAUGE);
        gen.writeStartObject();
        writeNumberPoints(metric.getData().getPoints());
        gen.writeEndObject();
      }
      case LONG_SUM -> writeSum(metric.getLongSumData());
      case DOUBLE_SUM -> writeSum(metric.getDoubleSumData());
      case HISTOGRAM -> {
        gen.writeFieldName(HISTOGRAM);
        gen.writeStartObject();
        gen.writeFieldName(DATA_POINTS);
        gen.writeStartArray();
        for (HistogramPointData point : metric.getHistogramData().getPoints()) {
          writeHistogramPoint(point);
        }
        gen.writeEndArray();
        writeTemporality(metric.getHistogramData().getAggregationTemporality());
        gen.writeEndObject();
      }
      case EXPONENTIAL_HISTOGRAM -> {
        gen.writeFieldName(EXPONENTIAL_HISTOGRAM);
        gen.writeStartObject();
        gen.writeFieldName(DATA_POINTS);
        gen.writeStartArray();
        for (ExponentialHistogramPointData point :
            metric.getExponentialHistogramData().getPoints()) {
          writeExponentialHistogramPoint(point);
        }
        gen.writeEndArray();
        writeTemporality(metric.getExponentialHistogramData().getAggregationTemporality());
        gen.writeEndObject();
      }
      case SUMMARY -> {
        gen.writeFieldName(SUMMARY);
        gen.writeStartObject();
        gen.writeFieldName(DATA_POINTS);
        gen.writeStartArray();
        for (SummaryPointData point : metric.getSummaryData().getPoints()) {
          writeSummaryPoint(point);
        }
        gen.writeEndArray();
        gen.writeEndObject();
      }
    }
    gen.writeEndObject();
  }

  private void writeSum(SumData<? extends PointData> sum) throws IOException {
    gen.writeFieldName(SUM);
    gen.writeStartObject();
    writeNumberPoints(sum.getPoints());
    writeTemporality(sum.getAggregationTemporality());
    if (sum.isMonotonic()) {
      gen.writeFieldName(IS_MONOTONIC);
      gen.writeBoolean(true);
    }
    gen.writeEndObject();
  }

  private void writeTemporality(AggregationTemporality temporality) throws IOException {
    gen.writeFieldName(TEMPORALITY);
    gen.writeNumber(temporality == AggregationTemporality.DELTA ? 1 : 2);
  }

  private void writeNumberPoints(Collection<? extends PointData> points) throws IOException {
    gen.writeFieldName(DATA_POINTS);
    gen.writeStartArray();
    for (PointData point : points) {
      gen.writeStartObject();
      writePointTimes(point);
      if (point instanceof LongPointData longPointData) {
        gen.writeFieldName(AS_INT);
        json.writeLongString(longPointData.getValue());
      } else {
        gen.writeFieldName(AS_DOUBLE);
        json.writeDouble(((DoublePointData) point).getValue());
      }
      writeExemplars(point.getExemplars());
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  private void writePointTimes(PointData point) throws IOException {
    json.writeAttributes(ATTRIBUTES, point.getAttributes());
    if (point.getStartEpochNanos() != 0) {
      gen.writeFieldName(START_TIME);
      json.writeLongString(point.getStartEpochNanos());
    }
    gen.writeFieldName(TIME);
    json.writeLongString(point.getEpochNanos());
  }

  private void writeHistogramPoint(HistogramPointData point) throws IOException {
    gen.writeStartObject();
    writePointTimes(point);
    gen.writeFieldName(COUNT);
    json.writeLongString(point.getCount());
    gen.writeFieldName(SUM);
    json.writeDouble(point.getSum());
    List<Long> counts = point.getCounts();
    if (!counts.isEmpty()) {
      gen.writeFieldName(BUCKET_COUNTS);
      gen.writeStartArray();
      for (Long count : counts) {
        json.writeLongString(count);
      }
      gen.writeEndArray();
    }
    List<Double> bounds = point.getBoundaries();
    if (!bounds.isEmpty()) {
      gen.writeFieldName(EXPLICIT_BOUNDS);
      gen.writeStartArray();
      for (Double bound : bounds) {
        json.writeDouble(bound);
      }
      gen.writeEndArray();
    }
    writeExemplars(point.getExemplars());
    writeMinMax(point.hasMin(), point.getMin(), point.hasMax(), point.getMax());
    gen.writeEndObject();
  }

  private void writeExponentialHistogramPoint(ExponentialHistogramPointData point)
      throws IOException {
    gen.writeStartObject();
    writePointTimes(point);
    gen.writeFieldName(COUNT);
    json.writeLongString(point.getCount());
    gen.writeFieldName(SUM);
    json.writeDouble(point.getSum());
    if (point.getScale() != 0) {
      gen.writeFieldName(SCALE);
      gen.writeNumber(point.getScale());
    }
    if (point.getZeroCount() != 0) {
      gen.writeFieldName(ZERO_COUNT);
      json.writeLongString(point.getZeroCount());
    }
    writeBuckets(POSITIVE, point.getPositiveBuckets());
    writeBuckets(NEGATIVE, point.getNegativeBuckets());
    writeExemplars(point.getExemplars());
    writeMinMax(point.hasMin(), point.getMin(), point.hasMax(), point.getMax());
    gen.writeEndObject();
  }

  private void writeBuckets(SerializableString field, ExponentialHistogramBuckets buckets)
      throws IOException {
    gen.writeFieldName(field);
    gen.writeStartObject();
    if (buckets.getOffset() != 0) {
      gen.writeFieldName(OFFSET);
      gen.writeNumber(buckets.getOffset());
    }
    List<Long> counts = buckets.getBucketCounts();
    if (!counts.isEmpty()) {
      gen.writeFieldName(BUCKET_COUNTS);
      gen.writeStartArray();
      for (Long count : counts) {
        json.writeLongString(count);
      }
      gen.writeEndArray();
    }
    gen.writeEndObject();
  }

  private void writeMinMax(boolean hasMin, double min, boolean hasMax, double max)
      throws IOException {
    if (hasMin) {
      gen.writeFieldName(MIN);
      json.writeDouble(min);
    }
    if (hasMax) {
      gen.writeFieldName(MAX);
      json.writeDouble(max);
    }
  }

  private void writeSummaryPoint(SummaryPointData point) throws IOException {
    gen.writeStartObject();
    writePointTimes(point);
    gen.writeFieldName(COUNT);
    json.writeLongString(point.getCount());
    gen.writeFieldName(SUM);
    json.writeDouble(point.getSum());
    List<ValueAtQuantile> values = point.getValues();
    if (!values.isEmpty()) {
      gen.writeFieldName(QUANTILE_VALUES);
      gen.writeStartArray();
      for (ValueAtQuantile value : values) {
        gen.writeStartObject();
        gen.writeFieldName(QUANTILE);
        json.writeDouble(value.getQuantile());
        gen.writeFieldName(VALUE);
        json.writeDouble(value.getValue());
        gen.writeEndObject();
      }
      gen.writeEndArray();
    }
    gen.writeEndObject();
  }

  private void writeExemplars(List<? extends ExemplarData> exemplars) throws IOException {
    if (exemplars.isEmpty()) {
      return;
    }
    gen.writeFieldName(EXEMPLARS);
    gen.writeStartArray();
    for (ExemplarData exemplar : exemplars) {
      gen.writeStartObject();
      json.writeAttributes(FILTERED_ATTRIBUTES, exemplar.getFilteredAttributes());
      gen.writeFieldName(TIME);
      json.writeLongString(exemplar.getEpochNanos());
      if (exemplar instanceof LongExemplarData longExemplarData) {
        gen.writeFieldName(AS_INT);
        json.writeLongString(longExemplarData.getValue());
      } else {
        gen.writeFieldName(AS_DOUBLE);
        json.writeDouble(((DoubleExemplarData) exemplar).getValue());
      }
      json.writeIds(exemplar.getSpanContext());
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  // ---- decoding ----

  // ---- metrics ----

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
