package dev.otelretention.exporter.datadog;

import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Metrics as {@code /api/v2/series} payloads. Delta monotonic sums become counts (type 1) with
 * their interval; gauges, up-down counters and cumulative sums become gauges (type 3); a histogram
 * becomes {@code <name>.count} and {@code <name>.sum} (counts when delta), {@code .min}, {@code
 * .max} and {@code .avg} gauges; a summary becomes {@code .count}, {@code .sum} and one {@code
 * .quantile} gauge per quantile (tag {@code quantile:<q>}). Attributes become sanitised {@code
 * key:value} tags. Points more than an hour old or ten minutes ahead, which the intake would drop,
 * are left out and counted.
 */
final class SeriesEncoder {
  static final int UNSPECIFIED = 0;
  static final int COUNT = 1;
  static final int GAUGE = 3;
  private static final long HOUR_NANOS = 3_600_000_000_000L;
  private static final long TEN_MINUTES_NANOS = 600_000_000_000L;
  private static final Map<String, String> UNITS =
      Map.of(
          "s",
          "second",
          "ms",
          "millisecond",
          "us",
          "microsecond",
          "ns",
          "nanosecond",
          "By",
          "byte",
          "KiBy",
          "kibibyte",
          "MiBy",
          "mebibyte",
          "%",
          "percent");

  /**
   * The encoded series and what was left out: points outside the intake's time window, and values
   * that are not finite (NaN, infinities), which Datadog cannot store.
   */
  record Result(List<JsonChunks.Chunk> chunks, int series, int pointsOutOfWindow, int nonFinite) {}

  private final DatadogSettings settings;
  private final ServiceTags.Cache serviceTags;

  SeriesEncoder(DatadogSettings settings) {
    this.settings = settings;
    this.serviceTags = new ServiceTags.Cache(settings);
  }

  Result encode(Collection<MetricData> metrics, long nowNanos) {
    List<byte[]> series = new ArrayList<>();
    int outOfWindow = 0;
    for (MetricData metric : metrics) {
      for (PointData point : metric.getData().getPoints()) {
        if (point.getEpochNanos() < nowNanos - HOUR_NANOS
            || point.getEpochNanos() > nowNanos + TEN_MINUTES_NANOS) {
          outOfWindow++;
          continue;
        }
        addPoint(series, metric, point);
      }
    }
    int nonFinite = 0;
    for (Iterator<byte[]> entries = series.iterator(); entries.hasNext(); ) {
      if (entries.next() == null) {
        entries.remove();
        nonFinite++;
      }
    }
    return new Result(
        JsonChunks.pack(
            series, "{\"series\":[", "]}", settings.maxSeriesPayloadBytes(), Integer.MAX_VALUE),
        series.size(),
        outOfWindow,
        nonFinite);
  }

  private void addPoint(List<byte[]> out, MetricData metric, PointData point) {
    String name = Tags.metricName(metric.getName());
    switch (metric.getType()) {
      case LONG_GAUGE, DOUBLE_GAUGE ->
          out.add(series(metric, name, GAUGE, value(point), point, null));
      case LONG_SUM, DOUBLE_SUM -> {
        SumData<?> sum =
            metric.getType() == MetricDataType.LONG_SUM
                ? metric.getLongSumData()
                : metric.getDoubleSumData();
        boolean count =
            sum.isMonotonic() && sum.getAggregationTemporality() == AggregationTemporality.DELTA;
        out.add(series(metric, name, count ? COUNT : GAUGE, value(point), point, null));
      }
      case HISTOGRAM -> {
        HistogramPointData histogram = (HistogramPointData) point;
        boolean delta =
            metric.getHistogramData().getAggregationTemporality() == AggregationTemporality.DELTA;
        distribution(
            out,
            metric,
            point,
            delta,
            histogram.getCount(),
            histogram.getSum(),
            histogram.hasMin() ? histogram.getMin() : null,
            histogram.hasMax() ? histogram.getMax() : null);
      }
      case EXPONENTIAL_HISTOGRAM -> {
        ExponentialHistogramPointData exponential = (ExponentialHistogramPointData) point;
        boolean deltaExponential =
            metric.getExponentialHistogramData().getAggregationTemporality()
                == AggregationTemporality.DELTA;
        distribution(
            out,
            metric,
            point,
            deltaExponential,
            exponential.getCount(),
            exponential.getSum(),
            exponential.hasMin() ? exponential.getMin() : null,
            exponential.hasMax() ? exponential.getMax() : null);
      }
      default -> {
        SummaryPointData summary = (SummaryPointData) point;
        out.add(series(metric, name + ".count", GAUGE, (double) summary.getCount(), point, null));
        out.add(series(metric, name + ".sum", GAUGE, summary.getSum(), point, null));
        for (ValueAtQuantile quantile : summary.getValues()) {
          out.add(
              series(
                  metric,
                  name + ".quantile",
                  GAUGE,
                  quantile.getValue(),
                  point,
                  Tags.tag("quantile", stripZero(quantile.getQuantile()))));
        }
      }
    }
  }

  private void distribution(
      List<byte[]> out,
      MetricData metric,
      PointData point,
      boolean delta,
      long count,
      double sum,
      Double min,
      Double max) {
    String name = Tags.metricName(metric.getName());
    int countType = delta ? COUNT : GAUGE;
    out.add(series(metric, name + ".count", countType, (double) count, point, null));
    out.add(series(metric, name + ".sum", countType, sum, point, null));
    if (min != null) {
      out.add(series(metric, name + ".min", GAUGE, min, point, null));
    }
    if (max != null) {
      out.add(series(metric, name + ".max", GAUGE, max, point, null));
    }
    if (count > 0) {
      out.add(series(metric, name + ".avg", GAUGE, sum / count, point, null));
    }
  }

  /** One series entry, or {@code null} for a value that is not finite. */
  private byte[] series(
      MetricData metric, String name, int type, double value, PointData point, String extraTag) {
    if (!Double.isFinite(value)) {
      return null;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator gen = WellFormedJson.generator(bytes)) {
      gen.writeStartObject();
      gen.writeStringField("metric", name);
      gen.writeNumberField("type", type);
      gen.writeArrayFieldStart("points");
      gen.writeStartObject();
      gen.writeNumberField("timestamp", point.getEpochNanos() / 1_000_000_000L);
      gen.writeNumberField("value", value);
      gen.writeEndObject();
      gen.writeEndArray();
      String host = Tags.host(settings, metric.getResource());
      if (host != null) {
        gen.writeArrayFieldStart("resources");
        gen.writeStartObject();
        gen.writeStringField("name", host);
        gen.writeStringField("type", "host");
        gen.writeEndObject();
        gen.writeEndArray();
      }
      gen.writeArrayFieldStart("tags");
      for (String tag : tags(metric, point, extraTag)) {
        gen.writeString(tag);
      }
      gen.writeEndArray();
      String unit = UNITS.get(metric.getUnit());
      if (unit != null && !name.endsWith(".count")) {
        gen.writeStringField("unit", unit);
      }
      if (type == COUNT) {
        long interval =
            Math.max(1, Math.round((point.getEpochNanos() - point.getStartEpochNanos()) / 1e9));
        gen.writeNumberField("interval", interval);
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * The tags of a point: unified service tagging, the resource's mapped tags (all its attributes
   * with {@code resourceAttributesAsTags}), the point's attributes, and {@code extraTag} when not
   * null. An attribute that no Datadog tag is left of (e.g. {@code 123=456}) is left out.
   */
  List<String> tags(MetricData metric, PointData point, String extraTag) {
    ServiceTags unified = serviceTags.of(metric.getResource());
    List<String> tags = new ArrayList<>();
    tags.add(Tags.tag("service", unified.service()));
    Set<String> taken = new HashSet<>(Set.of("service"));
    if (unified.env() != null) {
      tags.add(Tags.tag("env", unified.env()));
      taken.add("env");
    }
    if (unified.version() != null) {
      tags.add(Tags.tag("version", unified.version()));
      taken.add("version");
    }
    tags.addAll(unified.tags());
    if (settings.resourceAttributesAsTags()) {
      addTags(tags, metric.getResource().getAttributes(), taken);
    }
    addTags(tags, point.getAttributes(), taken);
    if (extraTag != null) {
      tags.add(extraTag);
    }
    return tags;
  }

  private void addTags(List<String> tags, Attributes attributes, Set<String> taken) {
    attributes.forEach(
        (key, value) -> {
          String tag =
              Tags.attributeTag(settings.remaps(), taken, key.getKey(), key.getType(), value);
          if (!tag.isEmpty()) {
            tags.add(tag);
          }
        });
  }

  private static double value(PointData point) {
    return point instanceof LongPointData longPointData
        ? longPointData.getValue()
        : ((DoublePointData) point).getValue();
  }

  private static String stripZero(double quantile) {
    return quantile == Math.rint(quantile)
        ? Long.toString((long) quantile)
        : Double.toString(quantile);
  }
}
