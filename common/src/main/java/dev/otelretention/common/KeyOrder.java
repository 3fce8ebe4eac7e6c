package dev.otelretention.common;

import java.util.Arrays;

/**
 * The order in which to write the entries of one map whose keys were gathered in an array: by key,
 * and of entries given the same key only the last, as a sorted map would hold them. Exporters keep
 * one per thread and reuse it for every map, so ordering allocates nothing.
 */
public final class KeyOrder {
  private int[] order = new int[32];
  private int[] merged = new int[32];
  private int[] runStarts = new int[8];

  /** The keys of the last sort, the objects, and how many it kept. */
  private String[] lastKeys = new String[32];

  private int lastCount = -1;
  private int lastKept;

  /**
   * Orders the first {@code count} of {@code keys} (stably: a natural merge sort, since maps come
   * as a few runs already in order, such as an SDK's sorted attributes followed by fixed entries)
   * and drops all but the last entry of each key; returns how many remain, whose positions in
   * {@code keys} {@link #position} gives.
   */
  public int sort(String[] keys, int count) {
    // maps of one kind come one after another with the same key objects: their order is the last
    if (sameKeysAsLast(keys, count)) {
      return lastKept;
    }
    if (order.length < count) {
      order = Arrays.copyOf(order, Math.max(count, order.length * 2));
      merged = new int[order.length];
    }
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    // runs of keys in order, merged pairwise until one is left
    int runs = 0;
    for (int i = 0; i < count; i++) {
      if (i == 0 || keys[i - 1].compareTo(keys[i]) > 0) {
        if (runs == runStarts.length) {
          runStarts = Arrays.copyOf(runStarts, runs * 2);
        }
        runStarts[runs++] = i;
      }
    }
    while (runs > 1) {
      int kept = 0;
      for (int r = 0; r < runs; r += 2) {
        int from = runStarts[r];
        int middle = r + 1 < runs ? runStarts[r + 1] : count;
        int to = r + 2 < runs ? runStarts[r + 2] : count;
        merge(keys, from, middle, to);
        runStarts[kept++] = from;
      }
      runs = kept;
    }
    int kept = 0;
    for (int i = 0; i < count; i++) {
      if (i + 1 < count && keys[order[i + 1]].equals(keys[order[i]])) {
        continue;
      }
      order[kept++] = order[i];
    }
    remember(keys, count, kept);
    return kept;
  }

  @SuppressWarnings("ReferenceEquality") // the same objects: the same comparisons
  private boolean sameKeysAsLast(String[] keys, int count) {
    if (count != lastCount) {
      return false;
    }
    for (int i = 0; i < count; i++) {
      if (keys[i] != lastKeys[i]) {
        return false;
      }
    }
    return true;
  }

  private void remember(String[] keys, int count, int kept) {
    if (lastKeys.length < count) {
      lastKeys = new String[order.length];
    }
    System.arraycopy(keys, 0, lastKeys, 0, count);
    lastCount = count;
    lastKept = kept;
  }

  /**
   * Merges the ordered runs {@code [from, middle)} and {@code [middle, to)}, the left first on
   * ties.
   */
  private void merge(String[] keys, int from, int middle, int to) {
    int left = from;
    int right = middle;
    int at = from;
    while (left < middle && right < to) {
      merged[at++] =
          keys[order[left]].compareTo(keys[order[right]]) <= 0 ? order[left++] : order[right++];
    }
    while (left < middle) {
      merged[at++] = order[left++];
    }
    while (right < to) {
      merged[at++] = order[right++];
    }
    System.arraycopy(merged, from, order, from, to - from);
  }

  /** The position in the keys of the {@code index}th entry to write. */
  public int position(int index) {
    return order[index];
  }
}
