package dev.otelretention.exporter.datadog;

import dev.otelretention.common.KeyOrder;
import java.util.Arrays;

/**
 * The entries of one msgpack map (a span's {@code meta} or {@code metrics}), gathered in reused
 * arrays and written in key order; of entries put with the same key the last one counts, as in a
 * map. Reused for every span, so building a span's tags allocates nothing.
 */
final class SortedEntries {
  private String[] keys = new String[32];
  private CharSequence[] values = new CharSequence[32];
  private double[] numbers = new double[32];
  private final KeyOrder order = new KeyOrder();
  private int count;

  void put(String key, CharSequence value) {
    add(key);
    values[count++] = value;
  }

  /** A numeric entry, kept unboxed. */
  void put(String key, double number) {
    add(key);
    numbers[count++] = number;
  }

  private void add(String key) {
    if (count == keys.length) {
      int capacity = count * 2;
      keys = Arrays.copyOf(keys, capacity);
      values = Arrays.copyOf(values, capacity);
      numbers = Arrays.copyOf(numbers, capacity);
    }
    keys[count] = key;
  }

  boolean contains(String key) {
    for (int i = 0; i < count; i++) {
      if (keys[i].equals(key)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Orders the entries by key, the last of a repeated key kept; returns how many remain, read with
   * {@link #key}, {@link #value} and {@link #number}.
   */
  int sortAndMerge() {
    return order.sort(keys, count);
  }

  String key(int sortedIndex) {
    return keys[order.position(sortedIndex)];
  }

  CharSequence value(int sortedIndex) {
    return values[order.position(sortedIndex)];
  }

  double number(int sortedIndex) {
    return numbers[order.position(sortedIndex)];
  }

  void clear() {
    Arrays.fill(keys, 0, count, null);
    Arrays.fill(values, 0, count, null);
    count = 0;
  }
}
