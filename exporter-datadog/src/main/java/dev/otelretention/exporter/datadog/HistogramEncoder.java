package dev.otelretention.exporter.datadog;

import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Histograms by the Datadog exporter's {@code histograms.mode}: {@code distributions} (a sketch per
 * point, for percentiles), {@code counters} (a {@code <name>.bucket} count per bucket, tagged
 * {@code lower_bound} and {@code upper_bound}) or {@code nobuckets}; and, with {@code
 * send_aggregation_metrics}, {@code <name>.count} and {@code <name>.sum} counts with {@code
 * <name>.min} and {@code <name>.max} gauges (the last two for delta points only, as cumulative ones
 * carry the extremes since the start). Cumulative points become deltas first.
 */
final class HistogramEncoder {
  private final DatadogSettings settings;
  private final CumulativeDeltas cumulative;
  private final SeriesEncoder series;

  HistogramEncoder(DatadogSettings settings, CumulativeDeltas cumulative, SeriesEncoder series) {
    this.settings = settings;
    this.cumulative = cumulative;
    this.series = series;
  }

  /** Adds the series entries and sketches of one histogram point. */
  void add(List<byte[]> entries, List<byte[]> sketches, MetricData metric, PointData point) {
    boolean exponential = metric.getType() == MetricDataType.EXPONENTIAL_HISTOGRAM;
    AggregationTemporality temporality =
        exponential
            ? metric.getExponentialHistogramData().getAggregationTemporality()
            : metric.getHistogramData().getAggregationTemporality();
    boolean delta = temporality == AggregationTemporality.DELTA;
    long count;
    double sum;
    Double min;
    Double max;
    if (exponential) {
      ExponentialHistogramPointData p = (ExponentialHistogramPointData) point;
      count = p.getCount();
      sum = p.getSum();
      min = p.hasMin() ? p.getMin() : null;
      max = p.hasMax() ? p.getMax() : null;
    } else {
      HistogramPointData p = (HistogramPointData) point;
      count = p.getCount();
      sum = p.getSum();
      min = p.hasMin() ? p.getMin() : null;
      max = p.hasMax() ? p.getMax() : null;
    }
    String name = Tags.metricName(metric.getName());
    switch (settings.histogramMode()) {
      case "distributions" -> {
        byte[] sketch = sketch(metric, point, name, delta, count, sum, min, max, exponential);
        if (sketch != null) {
          sketches.add(sketch);
        }
      }
      case "counters" -> buckets(entries, metric, point, name, delta, exponential);
      default -> {}
    }
    if (settings.sendAggregationMetrics()) {
      counted(entries, metric, point, name + ".count", delta, (double) count);
      counted(entries, metric, point, name + ".sum", delta, sum);
      if (delta && min != null) {
        entries.add(series.series(metric, name + ".min", SeriesEncoder.GAUGE, min, point, null));
      }
      if (delta && max != null) {
        entries.add(series.series(metric, name + ".max", SeriesEncoder.GAUGE, max, point, null));
      }
    }
  }

  private byte[] sketch(
      MetricData metric,
      PointData point,
      String name,
      boolean delta,
      long count,
      double sum,
      Double min,
      Double max,
      boolean exponential) {
    AgentSketch sketch =
        exponential
            ? Distributions.of((ExponentialHistogramPointData) point)
            : Distributions.of((HistogramPointData) point);
    AgentSketch.Bins bins;
    double low;
    double high;
    if (delta) {
      bins = sketch.bins();
      low = min != null ? min : bins.lowest();
      high = max != null ? max : bins.highest();
    } else {
      CumulativeDeltas.HistogramDelta difference =
          cumulative.histogram(
              new CumulativeDeltas.SeriesKey(name, metric.getResource(), point.getAttributes()),
              point.getStartEpochNanos(),
              point.getEpochNanos(),
              count,
              sum,
              sketch);
      if (difference == null) {
        return null;
      }
      count = difference.count();
      sum = difference.sum();
      bins = AgentSketch.Bins.of(difference.bins());
      low = bins.lowest();
      high = bins.highest();
    }
    if (count == 0) {
      return null;
    }
    // extremes taken from bucket bounds can miss the mean of the exact sum: widen them to it
    double mean = sum / count;
    low = Double.isNaN(low) ? mean : Math.min(low, mean);
    high = Double.isNaN(high) ? mean : Math.max(high, mean);
    return SketchPayloads.sketch(
        name,
        Tags.host(settings, metric.getResource()),
        series.tags(metric, point, List.of()),
        point.getEpochNanos() / 1_000_000_000L,
        count,
        low,
        high,
        sum,
        bins);
  }

  private void buckets(
      List<byte[]> entries,
      MetricData metric,
      PointData point,
      String name,
      boolean delta,
      boolean exponential) {
    List<double[]> bounds = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    if (exponential) {
      ExponentialHistogramPointData p = (ExponentialHistogramPointData) point;
      double step = Math.scalb(1.0, -p.getScale());
      addExponential(bounds, counts, p.getNegativeBuckets(), step, -1);
      if (p.getZeroCount() > 0) {
        bounds.add(new double[] {0, 0});
        counts.add(p.getZeroCount());
      }
      addExponential(bounds, counts, p.getPositiveBuckets(), step, 1);
    } else {
      HistogramPointData p = (HistogramPointData) point;
      List<Double> boundaries = p.getBoundaries();
      for (int i = 0; i < p.getCounts().size(); i++) {
        double lower = i == 0 ? Double.NEGATIVE_INFINITY : boundaries.get(i - 1);
        double upper = i == boundaries.size() ? Double.POSITIVE_INFINITY : boundaries.get(i);
        bounds.add(new double[] {lower, upper});
        counts.add(p.getCounts().get(i));
      }
    }
    for (int i = 0; i < bounds.size(); i++) {
      List<String> tags =
          List.of(
              Tags.tag("lower_bound", bound(bounds.get(i)[0])),
              Tags.tag("upper_bound", bound(bounds.get(i)[1])));
      double value = counts.get(i);
      if (!delta) {
        Double difference =
            cumulative.sum(
                new CumulativeDeltas.SeriesKey(
                    name + ".bucket",
                    metric.getResource(),
                    point.getAttributes().toBuilder()
                        .put("lower_bound", bounds.get(i)[0])
                        .put("upper_bound", bounds.get(i)[1])
                        .build()),
                point.getStartEpochNanos(),
                point.getEpochNanos(),
                value);
        if (difference == null) {
          continue;
        }
        value = difference;
      }
      entries.add(series.series(metric, name + ".bucket", SeriesEncoder.COUNT, value, point, tags));
    }
  }

  private static void addExponential(
      List<double[]> bounds,
      List<Long> counts,
      ExponentialHistogramBuckets buckets,
      double step,
      int sign) {
    List<Long> bucketCounts = buckets.getBucketCounts();
    for (int i = 0; i < bucketCounts.size(); i++) {
      int index = buckets.getOffset() + i;
      double low = Math.pow(2, index * step);
      double high = Math.pow(2, (index + 1) * step);
      bounds.add(sign > 0 ? new double[] {low, high} : new double[] {-high, -low});
      counts.add(bucketCounts.get(i));
    }
  }

  /** A count, sent as it is when delta and as its difference to the last point when cumulative. */
  private void counted(
      List<byte[]> entries,
      MetricData metric,
      PointData point,
      String name,
      boolean delta,
      double value) {
    if (!delta) {
      Double difference =
          cumulative.sum(
              new CumulativeDeltas.SeriesKey(name, metric.getResource(), point.getAttributes()),
              point.getStartEpochNanos(),
              point.getEpochNanos(),
              value);
      if (difference == null) {
        return;
      }
      value = difference;
    }
    entries.add(series.series(metric, name, SeriesEncoder.COUNT, value, point, null));
  }

  /** A bucket bound as the Datadog exporter tags it: {@code inf}, {@code -inf} or the number. */
  static String bound(double value) {
    if (value == Double.POSITIVE_INFINITY) {
      return "inf";
    }
    if (value == Double.NEGATIVE_INFINITY) {
      return "-inf";
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
