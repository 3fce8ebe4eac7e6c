package dev.otelretention.otlpjson.internal;

import com.fasterxml.jackson.core.SerializableString;
import dev.otelretention.common.RepeatedStrings;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The JSON the OTLP/JSON writers need, as UTF-8 bytes in one reused buffer: objects, arrays,
 * pre-quoted field names, strings, numbers and booleans, with commas placed by nesting level.
 * Strings are escaped as Jackson's generator escapes them by default (quote, backslash, {@code \b
 * \t \n \f \r} and {@code \}{@code u00XX} for other control characters), so the output is the same
 * bytes, except that characters outside the Basic Multilingual Plane are written as UTF-8 where
 * Jackson writes the escapes of their surrogate pair. A generator per request, its buffers and its
 * per-string character copies were most of what writing a span cost.
 */
final class JsonOutput {
  private static final int BUFFER_SIZE = 64 * 1024;

  /** Characters of a string written per room check: at most 6 bytes each. */
  private static final int SEGMENT = 4096;

  private static final byte[] HEX =
      "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * For ASCII characters: 0 written as they are, -1 as {@code \}{@code u00XX}, else the escape
   * letter.
   */
  private static final int[] ESCAPES = new int[128];

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPES[c] = -1;
    }
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\n'] = 'n';
    ESCAPES['\f'] = 'f';
    ESCAPES['\r'] = 'r';
  }

  private static final long BILLION = 1_000_000_000L;

  /** The tens and ones digit of each number below 100. */
  private static final byte[] TENS = new byte[100];

  private static final byte[] ONES = new byte[100];

  private static final char REPLACEMENT = '\uFFFD';

  static {
    for (int i = 0; i < 100; i++) {
      TENS[i] = (byte) ('0' + i / 10);
      ONES[i] = (byte) ('0' + i % 10);
    }
  }

  private final RepeatedStrings repeated = new RepeatedStrings(256);
  private byte[] buffer = new byte[BUFFER_SIZE];
  private int position;
  private OutputStream out;

  /** Per nesting level: whether the container has an element, so the next one needs a comma. */
  private boolean[] hasElement = new boolean[32];

  private int depth;
  private boolean afterFieldName;

  /** Starts writing one JSON value to {@code target}. */
  void start(OutputStream target) {
    out = target;
    position = 0;
    depth = 0;
    hasElement[0] = false;
    afterFieldName = false;
  }

  /** Writes what is buffered to the target, which is neither flushed nor closed. */
  void finish() throws IOException {
    out.write(buffer, 0, position);
    position = 0;
    out = null;
    if (buffer.length > 4 * BUFFER_SIZE) {
      buffer = new byte[BUFFER_SIZE];
    }
  }

  private void ensure(int bytes) throws IOException {
    if (position + bytes > buffer.length) {
      out.write(buffer, 0, position);
      position = 0;
      if (bytes > buffer.length) {
        buffer = new byte[bytes];
      }
    }
  }

  private void beforeValue() throws IOException {
    ensure(1);
    if (afterFieldName) {
      afterFieldName = false;
    } else {
      if (hasElement[depth]) {
        buffer[position++] = ',';
      }
      hasElement[depth] = true;
    }
  }

  private void open(byte bracket) throws IOException {
    beforeValue();
    ensure(1);
    buffer[position++] = bracket;
    if (++depth == hasElement.length) {
      hasElement = Arrays.copyOf(hasElement, depth * 2);
    }
    hasElement[depth] = false;
  }

  private void close(byte bracket) throws IOException {
    ensure(1);
    depth--;
    buffer[position++] = bracket;
  }

  void writeStartObject() throws IOException {
    open((byte) '{');
  }

  void writeEndObject() throws IOException {
    close((byte) '}');
  }

  void writeStartArray() throws IOException {
    open((byte) '[');
  }

  void writeEndArray() throws IOException {
    close((byte) ']');
  }

  void writeFieldName(SerializableString name) throws IOException {
    byte[] quoted = name.asQuotedUTF8();
    ensure(quoted.length + 4);
    if (hasElement[depth]) {
      buffer[position++] = ',';
    }
    hasElement[depth] = true;
    buffer[position++] = '"';
    System.arraycopy(quoted, 0, buffer, position, quoted.length);
    position += quoted.length;
    buffer[position++] = '"';
    buffer[position++] = ':';
    afterFieldName = true;
  }

  void writeBoolean(boolean value) throws IOException {
    beforeValue();
    ascii(value ? "true" : "false");
  }

  void writeNumber(int value) throws IOException {
    writeNumber((long) value);
  }

  void writeNumber(long value) throws IOException {
    beforeValue();
    decimal(value);
  }

  private void decimal(long value) throws IOException {
    if (value == Long.MIN_VALUE) {
      ascii("-9223372036854775808");
      return;
    }
    ensure(20);
    long magnitude = Math.abs(value);
    if (value < 0) {
      buffer[position++] = '-';
    }
    // in parts of nine digits, so that the divisions are of ints: a timestamp has 19 digits
    if (magnitude < BILLION) {
      position = digits((int) magnitude, position);
      return;
    }
    long upper = magnitude / BILLION;
    int lowest = (int) (magnitude - upper * BILLION);
    if (upper < BILLION) {
      position = digits((int) upper, position);
    } else {
      int top = (int) (upper / BILLION);
      position = digits(top, position);
      position = nineDigits((int) (upper - top * BILLION), position);
    }
    position = nineDigits(lowest, position);
  }

  /** Writes {@code value} (not negative) at {@code at}; returns where it ends. */
  private int digits(int value, int at) {
    int count = 1;
    for (int bound = 10; count < 10 && value >= bound; bound *= 10) {
      count++;
    }
    int end = at + count;
    int rest = value;
    int next = end;
    while (rest >= 100) {
      int pair = rest % 100;
      rest /= 100;
      buffer[--next] = ONES[pair];
      buffer[--next] = TENS[pair];
    }
    if (rest >= 10) {
      buffer[--next] = ONES[rest];
      buffer[--next] = TENS[rest];
    } else {
      buffer[--next] = (byte) ('0' + rest);
    }
    return end;
  }

  /** Writes {@code value} (below a billion) as nine digits, zeros first. */
  private int nineDigits(int value, int at) {
    int rest = value;
    for (int next = at + 8; next > at; next -= 2) {
      int pair = rest % 100;
      rest /= 100;
      buffer[next] = ONES[pair];
      buffer[next - 1] = TENS[pair];
    }
    buffer[at] = (byte) ('0' + rest);
    return at + 9;
  }

  /** A finite double, as {@link Double#toString(double)} writes it (as Jackson does). */
  void writeNumber(double value) throws IOException {
    beforeValue();
    ascii(Double.toString(value));
  }

  private void ascii(String text) throws IOException {
    int length = text.length();
    ensure(length);
    for (int i = 0; i < length; i++) {
      buffer[position++] = (byte) text.charAt(i);
    }
  }

  /**
   * A string; an unpaired surrogate (half of a character, which UTF-8 cannot hold) is written as
   * U+FFFD.
   */
  void writeString(String text) throws IOException {
    beforeValue();
    rawString(text);
  }

  /** A string where the caller has placed the comma, as in text it writes raw. */
  void rawString(String text) throws IOException {
    ensure(1);
    buffer[position++] = '"';
    int length = text.length();
    int start = 0;
    while (start < length) {
      int end = Math.min(length, start + SEGMENT);
      // a pair stays in one segment
      if (end < length
          && Character.isHighSurrogate(text.charAt(end - 1))
          && Character.isLowSurrogate(text.charAt(end))) {
        end++;
      }
      ensure(6 * (end - start));
      position = segment(text, start, end, position);
      start = end;
    }
    ensure(1);
    buffer[position++] = '"';
  }

  /**
   * The bytes {@link #rawString} writes for {@code text}, for keeping; null when they are too many
   * to keep.
   */
  byte[] quoted(String text) throws IOException {
    if (!RepeatedStrings.keepable(text.length() + 2)) {
      return null;
    }
    // room first, so that the text is not sent on half written
    ensure(6 * text.length() + 2);
    int mark = position;
    rawString(text);
    byte[] bytes = Arrays.copyOfRange(buffer, mark, position);
    position = mark;
    return RepeatedStrings.keepable(bytes.length) ? bytes : null;
  }

  /** Begins a value with bytes encoded earlier (after a comma where one is due). */
  void rawValueStart(byte[] encoded) throws IOException {
    beforeValue();
    raw(encoded);
  }

  /** Bytes encoded earlier, within a value begun with {@link #rawValueStart}. */
  void raw(byte[] encoded) throws IOException {
    ensure(encoded.length);
    System.arraycopy(encoded, 0, buffer, position, encoded.length);
    position += encoded.length;
  }

  /** A quoted decimal number within a value begun with {@link #rawValueStart}. */
  void rawQuotedNumber(long value) throws IOException {
    ensure(1);
    buffer[position++] = '"';
    decimal(value);
    ensure(1);
    buffer[position++] = '"';
  }

  /** Encoded keys and values kept for this output's next requests. */
  RepeatedStrings repeated() {
    return repeated;
  }

  /** Writes the characters {@code [from, to)} of {@code text} at {@code at}; returns the end. */
  private int segment(String text, int from, int to, int at) {
    byte[] bytes = buffer;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        int escape = ESCAPES[c];
        if (escape == 0) {
          bytes[at++] = (byte) c;
        } else {
          at = escape(c, escape, at);
        }
      } else if (c < 0x800) {
        bytes[at++] = (byte) (0xc0 | (c >> 6));
        bytes[at++] = (byte) (0x80 | (c & 0x3f));
      } else if (!Character.isSurrogate(c)) {
        at = threeBytes(c, at);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < to
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        int codePoint = Character.toCodePoint(c, text.charAt(++i));
        bytes[at++] = (byte) (0xf0 | (codePoint >> 18));
        bytes[at++] = (byte) (0x80 | ((codePoint >> 12) & 0x3f));
        bytes[at++] = (byte) (0x80 | ((codePoint >> 6) & 0x3f));
        bytes[at++] = (byte) (0x80 | (codePoint & 0x3f));
      } else {
        at = threeBytes(REPLACEMENT, at);
      }
    }
    return at;
  }

  private int threeBytes(char c, int at) {
    buffer[at] = (byte) (0xe0 | (c >> 12));
    buffer[at + 1] = (byte) (0x80 | ((c >> 6) & 0x3f));
    buffer[at + 2] = (byte) (0x80 | (c & 0x3f));
    return at + 3;
  }

  /**
   * A 64-bit integer as a JSON string of its decimal digits, the protobuf JSON form of int64 and
   * fixed64.
   */
  void writeQuotedNumber(long value) throws IOException {
    beforeValue();
    rawQuotedNumber(value);
  }

  private int escape(char c, int escape, int at) {
    buffer[at++] = '\\';
    if (escape > 0) {
      buffer[at++] = (byte) escape;
    } else {
      buffer[at++] = 'u';
      buffer[at++] = '0';
      buffer[at++] = '0';
      buffer[at++] = HEX[c >> 4];
      buffer[at++] = HEX[c & 0xf];
    }
    return at;
  }
}
