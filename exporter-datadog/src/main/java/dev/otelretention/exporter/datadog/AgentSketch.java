package dev.otelretention.exporter.datadog;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.SparseStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A distribution in the Datadog Agent's sketch format: a DDSketch whose index mapping is the
 * Agent's own (relative accuracy 1/128: gamma 1 + 2/128, the index of a value rounded, offset
 * 1338), so that its bins are the keys Datadog's backend reads from a {@code Dogsketch}. Values
 * below 1e-9 in size count as zero, as in the Agent. Histogram buckets are spread over the keys
 * they cover in proportion to each key's share of the bucket, with whole counts, as the Agent's
 * {@code InsertInterpolate} does.
 */
final class AgentSketch {
  static final double GAMMA = 1 + 2.0 / 128;
  static final int BIAS = 1338;
  static final int MAX_KEY = 32766;
  static final int INFINITE_KEY = 32767;
  static final double MIN_VALUE = 1e-9;

  /** The Agent's most bins per sketch; the lowest are merged beyond it. */
  static final int BIN_LIMIT = 4096;

  /** The largest count of one bin in the Agent's older decoders; a larger count is split. */
  static final long MAX_BIN_COUNT = 65_535;

  /** floor(ln(v)/ln(gamma) + 1338.5) is the Agent's round(ln(v)/ln(gamma)) + 1338. */
  static final IndexMapping MAPPING = new LogarithmicMapping(GAMMA, BIAS + 0.5);

  private static final double LN_GAMMA = Math.log(GAMMA);

  private final DDSketch sketch = new DDSketch(MAPPING, SparseStore::new);
  private long zeros;

  /** The Agent's key of a value of at least {@link #MIN_VALUE}, limited to the keys it has. */
  static int key(double magnitude) {
    if (magnitude == Double.POSITIVE_INFINITY) {
      return INFINITE_KEY;
    }
    return Math.max(1, Math.min(MAX_KEY, MAPPING.index(magnitude)));
  }

  /** The value the Agent gives key {@code k}: gamma^(k - 1338). */
  static double value(int key) {
    return Math.exp((key - BIAS) * LN_GAMMA);
  }

  /** Adds {@code count} values equal to {@code value}. */
  void add(double value, long count) {
    if (count <= 0) {
      return;
    }
    double magnitude = Math.abs(value);
    if (!(magnitude >= MIN_VALUE)) {
      zeros += count;
      return;
    }
    double representative = value(key(magnitude));
    sketch.accept(value < 0 ? -representative : representative, (double) count);
  }

  /**
   * Adds {@code count} values spread over {@code [lower, upper]}: each key gets the share of the
   * count that its part of the range holds, in whole numbers that add up to {@code count}.
   */
  void addSpread(double lower, double upper, long count) {
    if (count <= 0) {
      return;
    }
    if (!(upper > lower)) {
      add(lower, count);
      return;
    }
    if (lower < 0 && upper > 0) {
      long negative = Math.round(count * (-lower / (upper - lower)));
      addSpread(lower, 0, negative);
      addSpread(0, upper, count - negative);
      return;
    }
    boolean negative = upper <= 0;
    double low = negative ? -upper : lower;
    double high = negative ? -lower : upper;
    if (high < MIN_VALUE) {
      zeros += count;
      return;
    }
    // the part below the smallest value the Agent tells from zero counts as zero
    if (low < MIN_VALUE) {
      long belowMin = Math.round(count * ((MIN_VALUE - low) / (high - low)));
      zeros += belowMin;
      count -= belowMin;
      low = MIN_VALUE;
    }
    int first = key(low);
    int last = key(high);
    if (first == last || high == Double.POSITIVE_INFINITY) {
      add(negative ? -high : high, count);
      return;
    }
    int keys = last - first + 1;
    double[] shares = new double[keys];
    long[] whole = new long[keys];
    long given = 0;
    for (int i = 0; i < keys; i++) {
      int key = first + i;
      double from = Math.max(low, Math.exp((key - BIAS - 0.5) * LN_GAMMA));
      double to = Math.min(high, Math.exp((key - BIAS + 0.5) * LN_GAMMA));
      shares[i] = Math.max(0, to - from) / (high - low) * count;
      whole[i] = (long) Math.floor(shares[i]);
      given += whole[i];
    }
    // the counts left by rounding down go to the keys with the largest remainders
    for (long left = count - given; left > 0; left--) {
      int best = 0;
      for (int i = 1; i < keys; i++) {
        if (shares[i] - whole[i] > shares[best] - whole[best]) {
          best = i;
        }
      }
      whole[best]++;
      shares[best] = whole[best];
    }
    for (int i = 0; i < keys; i++) {
      if (whole[i] > 0) {
        double representative = value(first + i);
        sketch.accept(negative ? -representative : representative, (double) whole[i]);
      }
    }
  }

  /** Adds every bin of {@code other}, a sketch of the same mapping. */
  void addAll(AgentSketch other) {
    sketch.mergeWith(other.sketch);
    zeros += other.zeros;
  }

  long count() {
    return zeros + Math.round(sketch.getCount());
  }

  /** The Agent's keys and their counts, in ascending key order (negative keys first). */
  Map<Integer, Long> keyCounts() {
    Map<Integer, Long> counts = new TreeMap<>();
    sketch
        .getNegativeValueStore()
        .forEach((index, count) -> counts.merge(-agentKey(index), Math.round(count), Long::sum));
    if (zeros > 0) {
      counts.merge(0, zeros, Long::sum);
    }
    sketch
        .getPositiveValueStore()
        .forEach((index, count) -> counts.merge(agentKey(index), Math.round(count), Long::sum));
    return counts;
  }

  /** The {@code k} and {@code n} columns of a {@code Dogsketch} of this sketch. */
  Bins bins() {
    return Bins.of(keyCounts());
  }

  private static int agentKey(int index) {
    return Math.max(1, Math.min(index, INFINITE_KEY));
  }

  /** The {@code k} and {@code n} columns of a {@code Dogsketch}. */
  record Bins(int[] keys, long[] counts) {
    /**
     * Keys and counts in ascending key order, the lowest bins merged into the lowest one kept
     * beyond {@link #BIN_LIMIT}, and a count over {@link #MAX_BIN_COUNT} split into several bins of
     * the same key, as the Agent writes them.
     */
    static Bins of(Map<Integer, Long> keyCounts) {
      List<Integer> keys = new ArrayList<>(keyCounts.keySet());
      int drop = Math.max(0, keys.size() - BIN_LIMIT);
      long merged = 0;
      for (int i = 0; i < drop; i++) {
        merged += keyCounts.get(keys.get(i));
      }
      List<Integer> splitKeys = new ArrayList<>();
      List<Long> splitCounts = new ArrayList<>();
      for (int i = drop; i < keys.size(); i++) {
        long remaining = keyCounts.get(keys.get(i)) + (i == drop ? merged : 0);
        while (remaining > 0) {
          long part = Math.min(remaining, MAX_BIN_COUNT);
          splitKeys.add(keys.get(i));
          splitCounts.add(part);
          remaining -= part;
        }
      }
      int[] k = new int[splitKeys.size()];
      long[] n = new long[splitKeys.size()];
      for (int i = 0; i < k.length; i++) {
        k[i] = splitKeys.get(i);
        n[i] = splitCounts.get(i);
      }
      return new Bins(k, n);
    }

    /** The value of the lowest key, or NaN when there is none. */
    double lowest() {
      return keys.length == 0 ? Double.NaN : signedValue(keys[0]);
    }

    /** The value of the highest key, or NaN when there is none. */
    double highest() {
      return keys.length == 0 ? Double.NaN : signedValue(keys[keys.length - 1]);
    }

    private static double signedValue(int key) {
      if (key == 0) {
        return 0;
      }
      double magnitude =
          Math.abs(key) == INFINITE_KEY ? Double.POSITIVE_INFINITY : value(Math.abs(key));
      return key < 0 ? -magnitude : magnitude;
    }
  }
}
