package dev.otelretention.common;

import java.util.Arrays;

/**
 * The order in which to write the entries of one map whose keys were gathered in an array: by key,
 * and of entries given the same key only the last, as a sorted map would hold them. Exporters keep
 * one per thread and reuse it for every map, so ordering allocates nothing.
 */
public final class KeyOrder {
  private int[] order = new int[32];

  /**
   * Orders the first {@code count} of {@code keys} (a stable insertion sort: maps are small and
   * often sorted already) and drops all but the last entry of each key; returns how many remain,
   * whose positions in {@code keys} {@link #position} gives.
   */
  public int sort(String[] keys, int count) {
    if (order.length < count) {
      order = Arrays.copyOf(order, Math.max(count, order.length * 2));
    }
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
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

  /** The position in the keys of the {@code index}th entry to write. */
  public int position(int index) {
    return order[index];
  }
}
