package dev.otelretention.internal.export;

/** Where a record of a spool is (its segment, offset and length, frame included) and its header. */
record SpoolEntry(
    SpoolSegment segment,
    long offset,
    int length,
    int headerLength,
    long id,
    long group,
    long createdAtMillis,
    int items) {}
