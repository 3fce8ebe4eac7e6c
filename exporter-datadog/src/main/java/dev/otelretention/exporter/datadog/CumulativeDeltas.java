package dev.otelretention.exporter.datadog;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cumulative series turned into deltas, as the Datadog exporter's {@code to_delta} mode does: each
 * point less the previous point of the same series. The first point of a series, and the first
 * after a reset (a new start time, or a value lower than before), is reported whole or not at all
 * as {@code initial_cumulative_monotonic_value} says: {@code keep} always, {@code drop} never,
 * {@code auto} only when the series started after this exporter did. Cumulative points arrive only
 * from sources other than this process's SDK (a replayed file, for instance), which is asked for
 * delta temporality. At most {@value #MAX_SERIES} series are remembered, the least recently seen
 * forgotten first.
 */
final class CumulativeDeltas {
  static final int MAX_SERIES = 100_000;

  /** One series: a metric name (with the suffix it is sent under), its resource and attributes. */
  record SeriesKey(String metric, Resource resource, Attributes attributes) {}

  /** A delta of a histogram: its count, sum and sketch bins. */
  record HistogramDelta(long count, double sum, Map<Integer, Long> bins) {}

  /** The last point of a series and what was sent for it, given again for the same point. */
  private record Previous(
      long startNanos,
      long timeNanos,
      double value,
      double sum,
      Map<Integer, Long> bins,
      Object sent) {
    boolean isSame(long start, long time) {
      return startNanos == start && timeNanos == time;
    }
  }

  private final long startedNanos;
  private final String initialValue;
  private final Map<SeriesKey, Previous> previous =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SeriesKey, Previous> eldest) {
          return size() > MAX_SERIES;
        }
      };

  CumulativeDeltas(long startedNanos, String initialValue) {
    this.startedNanos = startedNanos;
    this.initialValue = initialValue;
  }

  /**
   * The delta of a cumulative sum's point, or {@code null} when nothing is to be sent. The same
   * point again (a retried batch) gives the same answer.
   */
  synchronized Double sum(SeriesKey key, long startNanos, long timeNanos, double value) {
    Previous last = previous.get(key);
    if (last != null && last.isSame(startNanos, timeNanos)) {
      return (Double) last.sent();
    }
    Double delta;
    if (last == null || last.startNanos() != startNanos || value < last.value()) {
      delta = reportsFirst(startNanos, timeNanos) ? value : null;
    } else {
      delta = value - last.value();
    }
    previous.put(key, new Previous(startNanos, timeNanos, value, 0, null, delta));
    return delta;
  }

  /**
   * The delta of a cumulative histogram's point, or {@code null} when nothing is to be sent. The
   * same point again (a retried batch) gives the same answer.
   */
  synchronized HistogramDelta histogram(
      SeriesKey key, long startNanos, long timeNanos, long count, double sum, AgentSketch sketch) {
    Previous last = previous.get(key);
    if (last != null && last.isSame(startNanos, timeNanos)) {
      return (HistogramDelta) last.sent();
    }
    Map<Integer, Long> bins = sketch.keyCounts();
    HistogramDelta delta;
    if (last == null || last.startNanos() != startNanos || count < last.value()) {
      delta = reportsFirst(startNanos, timeNanos) ? new HistogramDelta(count, sum, bins) : null;
    } else {
      Map<Integer, Long> difference = new TreeMap<>();
      bins.forEach(
          (k, n) -> {
            long more = n - last.bins().getOrDefault(k, 0L);
            if (more > 0) {
              difference.put(k, more);
            }
          });
      delta = new HistogramDelta(count - (long) last.value(), sum - last.sum(), difference);
    }
    previous.put(key, new Previous(startNanos, timeNanos, count, sum, bins, delta));
    return delta;
  }

  private boolean reportsFirst(long startNanos, long timeNanos) {
    return switch (initialValue) {
      case "keep" -> true;
      case "drop" -> false;
      default -> startedNanos < startNanos && startNanos != timeNanos;
    };
  }
}
