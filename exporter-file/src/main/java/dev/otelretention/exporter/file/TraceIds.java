package dev.otelretention.exporter.file;

import dev.otelretention.common.HexIds;
import io.opentelemetry.api.trace.TraceId;

/** Trace ids as the index keeps them: two unsigned 64-bit halves of the 32 hex digits. */
final class TraceIds {
  private TraceIds() {}

  /** Whether {@code id} is 32 lowercase hex digits. */
  static boolean valid(String id) {
    return id.length() == 32 && HexIds.isLowerHex(id, 0, 32);
  }

  /** The first half of a {@link #valid} id. */
  static long high(String id) {
    return HexIds.parse(id, 0);
  }

  /** The second half of a {@link #valid} id. */
  static long low(String id) {
    return HexIds.parse(id, 16);
  }

  static String text(long high, long low) {
    return TraceId.fromLongs(high, low);
  }

  /** Orders ids as unsigned numbers, which is also the order of their hex text. */
  static int compare(long high, long low, long otherHigh, long otherLow) {
    int byHigh = Long.compareUnsigned(high, otherHigh);
    return byHigh != 0 ? byHigh : Long.compareUnsigned(low, otherLow);
  }
}
