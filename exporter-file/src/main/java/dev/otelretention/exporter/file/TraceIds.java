package dev.otelretention.exporter.file;

import java.nio.charset.StandardCharsets;

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
    return half(id, 0);
  }

  static long low(String id) {
    return half(id, 16);
  }

  private static long half(String id, int from) {
    long value = 0;
    for (int i = from; i < from + 16; i++) {
      char c = id.charAt(i);
      value = (value << 4) | (c <= '9' ? c - '0' : c - 'a' + 10);
    }
    return value;
  }

  static String text(long high, long low) {
    byte[] digits = new byte[32];
    write(high, digits, 0);
    write(low, digits, 16);
    return new String(digits, StandardCharsets.ISO_8859_1);
  }

  private static void write(long half, byte[] digits, int from) {
    for (int i = 15; i >= 0; i--) {
      int digit = (int) (half & 0xF);
      digits[from + i] = (byte) (digit < 10 ? '0' + digit : 'a' + digit - 10);
      half >>>= 4;
    }
  }

  /** Orders ids as unsigned numbers, which is also the order of their hex text. */
  static int compare(long high, long low, long otherHigh, long otherLow) {
    int byHigh = Long.compareUnsigned(high, otherHigh);
    return byHigh != 0 ? byHigh : Long.compareUnsigned(low, otherLow);
  }
}
