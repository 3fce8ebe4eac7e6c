package dev.otelretention.internal.export;

import java.util.concurrent.TimeUnit;

/**
 * The group of a spool that takes appends: it stays open until it holds {@link
 * SpoolGrouping#maxItems()} items or {@link SpoolGrouping#maxBytes()} payload bytes, or its first
 * record is {@link SpoolGrouping#maxDelay()} old. Group ids are the id of their first record, so 0
 * means no group is open.
 */
final class OpenGroup {
  private final SpoolGrouping grouping;
  private long id;
  private int items;
  private long bytes;
  private long createdAtMillis;

  OpenGroup(SpoolGrouping grouping) {
    this.grouping = grouping;
  }

  /**
   * The group record {@code recordId} joins: this one while it has room and time, else a new one.
   */
  long join(long recordId, int recordItems, int recordBytes, long nowMillis) {
    boolean joins =
        id != 0
            && (long) items + recordItems <= grouping.maxItems()
            && bytes + recordBytes <= grouping.maxBytes()
            && nowMillis - createdAtMillis < grouping.maxDelay().toMillis();
    if (!joins) {
      id = recordId;
      items = 0;
      bytes = 0;
      createdAtMillis = nowMillis;
    }
    items += recordItems;
    bytes += recordBytes;
    if (grouping.maxItems() <= 1) {
      // every record a group of its own: none stays open
      long joined = id;
      id = 0;
      return joined;
    }
    return id;
  }

  /** Takes back the record {@code recordId} of {@code group}, whose append failed. */
  void undo(long recordId, long group, int recordItems, int recordBytes) {
    if (group == recordId) {
      id = 0;
    } else if (group == id) {
      items -= recordItems;
      bytes -= recordBytes;
    }
  }

  /** Whether {@code group} is the open group. */
  boolean is(long group) {
    return id != 0 && group == id;
  }

  /** Closes the open group: the next append starts a new one. */
  void close() {
    id = 0;
  }

  /** Nanoseconds until the open group is due (full or old enough) at {@code nowMillis}. */
  long nanosUntilDue(long nowMillis) {
    if (items >= grouping.maxItems()) {
      return 0;
    }
    long dueAtMillis = createdAtMillis + grouping.maxDelay().toMillis();
    return Math.max(0, TimeUnit.MILLISECONDS.toNanos(dueAtMillis - nowMillis));
  }
}
