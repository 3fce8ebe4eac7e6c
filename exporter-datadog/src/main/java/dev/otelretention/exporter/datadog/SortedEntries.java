package dev.otelretention.exporter.datadog;

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
  private int[] order = new int[32];
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
      order = Arrays.copyOf(order, capacity);
    }
    keys[count] = key;
    order[count] = count;
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
   * Sorts by key (a stable insertion sort: a span has few tags) and drops all but the last entry of
   * a key; returns how many remain, read with {@link #key} and {@link #value}.
   */
  int sortAndMerge() {
    for (int i = 1; i < count; i++) {
      int entry = order[i];
      String key = keys[entry];
      int j = i - 1;
      while (j >= 0 && keys[order[j]].compareTo(key) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = entry;
    }
    int kept = 0;
    for (int i = 0; i < count; i++) {
      if (i + 1 < count && keys[order[i + 1]].equals(keys[order[i]])) {
        continue;
      }
      order[kept++] = order[i];
    }
    return kept;
  }

  String key(int sortedIndex) {
    return keys[order[sortedIndex]];
  }

  CharSequence value(int sortedIndex) {
    return values[order[sortedIndex]];
  }

  double number(int sortedIndex) {
    return numbers[order[sortedIndex]];
  }

  void clear() {
    Arrays.fill(keys, 0, count, null);
    Arrays.fill(values, 0, count, null);
    count = 0;
  }
}
