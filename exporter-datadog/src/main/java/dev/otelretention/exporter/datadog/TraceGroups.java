package dev.otelretention.exporter.datadog;

import java.util.Arrays;

/**
 * Numbers the trace ids of one batch in the order they first appear: an open-addressing table of
 * reused arrays, so grouping a batch's spans by trace allocates nothing per span.
 */
final class TraceGroups {
  private String[] ids = new String[1024];
  private int[] groups = new int[1024];
  private int size;

  /** The group of {@code traceId}: a new one, numbered from 0, for an id not seen before. */
  int groupOf(String traceId) {
    if (2 * (size + 1) > ids.length) {
      grow();
    }
    int mask = ids.length - 1;
    int slot = mix(traceId.hashCode()) & mask;
    while (ids[slot] != null) {
      if (ids[slot].equals(traceId)) {
        return groups[slot];
      }
      slot = (slot + 1) & mask;
    }
    ids[slot] = traceId;
    groups[slot] = size;
    return size++;
  }

  int size() {
    return size;
  }

  void clear() {
    if (ids.length > 1 << 16) {
      ids = new String[1024];
      groups = new int[1024];
    } else {
      Arrays.fill(ids, null);
    }
    size = 0;
  }

  private void grow() {
    String[] oldIds = ids;
    int[] oldGroups = groups;
    ids = new String[oldIds.length * 2];
    groups = new int[oldIds.length * 2];
    int mask = ids.length - 1;
    for (int i = 0; i < oldIds.length; i++) {
      if (oldIds[i] != null) {
        int slot = mix(oldIds[i].hashCode()) & mask;
        while (ids[slot] != null) {
          slot = (slot + 1) & mask;
        }
        ids[slot] = oldIds[i];
        groups[slot] = oldGroups[i];
      }
    }
  }

  private static int mix(int hash) {
    int h = hash * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
