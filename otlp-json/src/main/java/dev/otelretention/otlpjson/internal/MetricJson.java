package dev.otelretention.otlpjson.internal;

import static dev.otelretention.otlpjson.internal.JsonReader.count;
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
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExemplarData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;

/**
 * Metrics written in OTLP/JSON from the SDK's {@code MetricData}; {@link MetricJsonReader} reads
 * them back.
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
}
