package dev.otelretention.exporter.datadog;

import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
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
 * Metrics as {@code /api/v2/series} payloads, and histograms as {@code /api/beta/sketches}
 * payloads. Delta monotonic sums become counts (type 1) with their interval; cumulative monotonic
 * sums become counts of their differences ({@code to_delta}) or gauges ({@code raw_value}); gauges
 * and up-down counters become gauges (type 3); histograms go by {@link HistogramEncoder}; a summary
 * becomes {@code .count}, {@code .sum} and one {@code .quantile} gauge per quantile (tag {@code
 * quantile:<q>}). Unified service tags and attributes become sanitised {@code key:value} tags.
 * Points more than an hour old or ten minutes ahead, which the intake would drop, are left out and
 * counted.
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
  record Result(
      List<JsonChunks.Chunk> chunks,
      List<byte[]> sketchPayloads,
      int series,
      int pointsOutOfWindow,
      int nonFinite) {}

  private final DatadogSettings settings;
  private final ServiceTags.Cache serviceTags;

  private final CumulativeDeltas cumulative;
  private final HistogramEncoder histograms;

  SeriesEncoder(DatadogSettings settings) {
    this.settings = settings;
    this.serviceTags = new ServiceTags.Cache(settings);
    this.cumulative =
        new CumulativeDeltas(
            System.currentTimeMillis() * 1_000_000L, settings.initialCumulativeMonotonicValue());
    this.histograms = new HistogramEncoder(settings, cumulative, this);
  }

  Result encode(Collection<MetricData> metrics, long nowNanos) {
    List<byte[]> series = new ArrayList<>();
    List<byte[]> sketches = new ArrayList<>();
    int outOfWindow = 0;
    for (MetricData metric : metrics) {
      for (PointData point : metric.getData().getPoints()) {
        if (point.getEpochNanos() < nowNanos - HOUR_NANOS
            || point.getEpochNanos() > nowNanos + TEN_MINUTES_NANOS) {
          outOfWindow++;
          continue;
        }
        addPoint(series, sketches, metric, point);
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
        SketchPayloads.pack(sketches, settings.maxSeriesPayloadBytes()),
        series.size() + sketches.size(),
        outOfWindow,
        nonFinite);
  }

  private void addPoint(
      List<byte[]> out, List<byte[]> sketches, MetricData metric, PointData point) {
    String name = Tags.metricName(metric.getName());
    switch (metric.getType()) {
      case LONG_GAUGE, DOUBLE_GAUGE ->
          out.add(series(metric, name, GAUGE, value(point), point, null));
      case LONG_SUM, DOUBLE_SUM -> {
        SumData<?> sum =
            metric.getType() == MetricDataType.LONG_SUM
                ? metric.getLongSumData()
                : metric.getDoubleSumData();
        boolean delta = sum.getAggregationTemporality() == AggregationTemporality.DELTA;
        if (!sum.isMonotonic()
            || (!delta && settings.cumulativeMonotonicMode().equals("raw_value"))) {
          out.add(series(metric, name, GAUGE, value(point), point, null));
        } else if (delta) {
          out.add(series(metric, name, COUNT, value(point), point, null));
        } else {
          Double difference =
              cumulative.sum(
                  new CumulativeDeltas.SeriesKey(name, metric.getResource(), point.getAttributes()),
                  point.getStartEpochNanos(),
                  point.getEpochNanos(),
                  value(point));
          if (difference != null) {
            out.add(series(metric, name, COUNT, difference, point, null));
          }
        }
      }
      case HISTOGRAM, EXPONENTIAL_HISTOGRAM -> histograms.add(out, sketches, metric, point);
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
                  List.of(Tags.tag("quantile", stripZero(quantile.getQuantile())))));
        }
      }
    }
  }

  /** One series entry, or {@code null} for a value that is not finite. */
  byte[] series(
      MetricData metric,
      String name,
      int type,
      double value,
      PointData point,
      List<String> extraTags) {
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
      for (String tag : tags(metric, point, extraTags == null ? List.of() : extraTags)) {
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
   * with {@code resourceAttributesAsTags}), the point's attributes, and {@code extraTags}. An
   * attribute that no Datadog tag is left of (e.g. {@code 123=456}) is left out.
   */
  List<String> tags(MetricData metric, PointData point, List<String> extraTags) {
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
    tags.addAll(extraTags);
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
