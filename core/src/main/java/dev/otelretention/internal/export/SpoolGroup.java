package dev.otelretention.internal.export;

import java.util.List;

/**
 * A group of records handed out for sending as one delivery; {@code token} is the same after a
 * restart.
 */
record SpoolGroup(
    long id,
    String token,
    long createdAtMillis,
    int items,
    List<byte[]> payloads,
    long[] recordIds) {}
