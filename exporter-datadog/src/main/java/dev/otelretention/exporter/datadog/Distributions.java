package dev.otelretention.exporter.datadog;

import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import java.util.List;

/**
 * Histogram points as Agent sketches. A bucket's count is spread over the values it covers,
 * narrowed to the point's minimum and maximum where it has them; an unbounded first or last bucket
 * without them counts at its finite bound, as the Datadog exporter does.
 */
final class Distributions {
  private Distributions() {}

  static AgentSketch of(HistogramPointData point) {
    AgentSketch sketch = new AgentSketch();
    List<Double> bounds = point.getBoundaries();
    List<Long> counts = point.getCounts();
    double min = point.hasMin() ? point.getMin() : Double.NaN;
    double max = point.hasMax() ? point.getMax() : Double.NaN;
    if (bounds.isEmpty()) {
      long count = point.getCount();
      if (point.hasMin() && point.hasMax()) {
        sketch.addSpread(min, max, count);
      } else if (count > 0) {
        sketch.add(point.getSum() / count, count);
      }
      return sketch;
    }
    int last = counts.size() - 1;
    for (int i = 0; i <= last; i++) {
      long count = counts.get(i);
      if (count == 0) {
        continue;
      }
      double lower = i == 0 ? (point.hasMin() ? min : bounds.get(0)) : bounds.get(i - 1);
      double upper = i == last ? (point.hasMax() ? max : bounds.get(last - 1)) : bounds.get(i);
      sketch.addSpread(narrow(lower, min, max), narrow(upper, min, max), count);
    }
    return sketch;
  }

  static AgentSketch of(ExponentialHistogramPointData point) {
    AgentSketch sketch = new AgentSketch();
    double min = point.hasMin() ? point.getMin() : Double.NaN;
    double max = point.hasMax() ? point.getMax() : Double.NaN;
    sketch.add(0, point.getZeroCount());
    double exponentStep = Math.scalb(1.0, -point.getScale());
    spread(sketch, point.getPositiveBuckets(), exponentStep, 1, min, max);
    spread(sketch, point.getNegativeBuckets(), exponentStep, -1, min, max);
    return sketch;
  }

  /** Bucket {@code index} covers (2^(index·step), 2^((index+1)·step)], mirrored when negative. */
  private static void spread(
      AgentSketch sketch,
      ExponentialHistogramBuckets buckets,
      double exponentStep,
      int sign,
      double min,
      double max) {
    List<Long> counts = buckets.getBucketCounts();
    for (int i = 0; i < counts.size(); i++) {
      long count = counts.get(i);
      if (count == 0) {
        continue;
      }
      int index = buckets.getOffset() + i;
      double low = Math.pow(2, index * exponentStep);
      double high = Math.pow(2, (index + 1) * exponentStep);
      double lower = sign > 0 ? low : -high;
      double upper = sign > 0 ? high : -low;
      sketch.addSpread(narrow(lower, min, max), narrow(upper, min, max), count);
    }
  }

  /** {@code value} within [min, max] where they are known. */
  private static double narrow(double value, double min, double max) {
    if (!Double.isNaN(min) && value < min) {
      value = min;
    }
    if (!Double.isNaN(max) && value > max) {
      value = max;
    }
    return value;
  }
}
