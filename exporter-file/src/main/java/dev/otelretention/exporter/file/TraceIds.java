package dev.otelretention.exporter.file;

import io.opentelemetry.api.trace.TraceId;
import java.util.Arrays;

/** Trace ids as the index keeps them: two unsigned 64-bit halves of the 32 hex digits. */
final class TraceIds {
  /** The value of each lowercase hex digit; 16 for every other ASCII character. */
  private static final byte[] DIGITS = new byte[128];

  static {
    Arrays.fill(DIGITS, (byte) 16);
    for (int digit = 0; digit < 16; digit++) {
      DIGITS[Character.forDigit(digit, 16)] = (byte) digit;
    }
  }

  private TraceIds() {}

  /** Whether {@code id} is 32 lowercase hex digits. */
  static boolean valid(String id) {
    if (id.length() != 32) {
      return false;
    }
    int any = 0;
    for (int i = 0; i < 32; i++) {
      char c = id.charAt(i);
      any |= c < 128 ? DIGITS[c] : 16;
    }
    return any < 16;
  }

  // a table instead of Long.parseUnsignedLong: the writer parses two halves per span it indexes

  /** The first half of a {@link #valid} id. */
  static long high(String id) {
    return half(id, 0);
  }

  /** The second half of a {@link #valid} id. */
  static long low(String id) {
    return half(id, 16);
  }

  private static long half(String id, int from) {
    long value = 0;
    for (int i = from; i < from + 16; i++) {
      value = (value << 4) | DIGITS[id.charAt(i)];
    }
    return value;
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
