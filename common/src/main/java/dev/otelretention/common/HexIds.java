package dev.otelretention.common;

import java.util.Arrays;

/**
 * The 64-bit halves of OpenTelemetry's trace and span ids, which the API gives as lowercase hex
 * text: exporters that write ids as numbers parse two or three per span, and a digit table does it
 * in a fraction of {@link Long#parseUnsignedLong(CharSequence, int, int, int)}'s time.
 */
public final class HexIds {
  /**
   * The value of each lowercase hex digit; {@link #NOT_A_DIGIT} for every other ASCII character.
   */
  private static final byte[] DIGITS = new byte[128];

  private static final int NOT_A_DIGIT = 16;

  static {
    Arrays.fill(DIGITS, (byte) NOT_A_DIGIT);
    for (int digit = 0; digit < 16; digit++) {
      DIGITS[Character.forDigit(digit, 16)] = (byte) digit;
    }
  }

  private HexIds() {}

  /** Whether the characters {@code [from, to)} of {@code text} are all lowercase hex digits. */
  public static boolean isLowerHex(String text, int from, int to) {
    int any = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      any |= c < DIGITS.length ? DIGITS[c] : NOT_A_DIGIT;
    }
    return any < NOT_A_DIGIT;
  }

  /**
   * The unsigned value of the 16 hex digits of {@code text} from {@code from}, as {@link
   * Long#parseUnsignedLong(CharSequence, int, int, int)} gives it (and throws for text that is not
   * hex).
   */
  public static long parse(String text, int from) {
    long value = 0;
    int any = 0;
    for (int i = from; i < from + 16; i++) {
      char c = text.charAt(i);
      int digit = c < DIGITS.length ? DIGITS[c] : NOT_A_DIGIT;
      any |= digit;
      value = (value << 4) | (digit & 0xf);
    }
    return any < NOT_A_DIGIT ? value : Long.parseUnsignedLong(text, from, from + 16, 16);
  }
}
