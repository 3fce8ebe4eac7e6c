package dev.otelretention.exporter.file;

import io.opentelemetry.api.trace.TraceId;

/** Trace ids as the index keeps them: two unsigned 64-bit halves of the 32 hex digits. */
final class TraceIds {
  private TraceIds() {}

  /** Whether {@code id} is 32 lowercase hex digits. */
  static boolean valid(String id) {
    if (id.length() != 32) {
      return false;
    }
    for (int i = 0; i < 32; i++) {
      char c = id.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }

  static long high(String id) {
    return Long.parseUnsignedLong(id, 0, 16, 16);
  }

  static long low(String id) {
    return Long.parseUnsignedLong(id, 16, 32, 16);
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
