package dev.otelretention.internal.export;

import java.time.Duration;

/**
 * How appended records are grouped: at most {@code maxItems} items (a single record may hold more)
 * and {@code maxBytes} payload bytes per group, a group closed once its first record is {@code
 * maxDelay} old.
 */
record SpoolGrouping(int maxItems, long maxBytes, Duration maxDelay) {
  /** Every record a group of its own, handed out at once. */
  static final SpoolGrouping NONE = new SpoolGrouping(1, 1, Duration.ZERO);
}
