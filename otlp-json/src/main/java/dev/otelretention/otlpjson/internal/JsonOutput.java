package dev.otelretention.otlpjson.internal;

import com.fasterxml.jackson.core.SerializableString;
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
 * per-string character copies were most of what writing a span cost. Callers pass well-formed
 * strings (no unpaired surrogates).
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
    int digits = 1;
    for (long rest = magnitude / 10; rest != 0; rest /= 10) {
      digits++;
    }
    int at = position + digits - 1;
    long rest = magnitude;
    do {
      buffer[at--] = (byte) ('0' + (int) (rest % 10));
      rest /= 10;
    } while (rest != 0);
    position += digits;
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

  void writeString(String text) throws IOException {
    beforeValue();
    ensure(1);
    buffer[position++] = '"';
    int length = text.length();
    int start = 0;
    while (start < length) {
      int end = Math.min(length, start + SEGMENT);
      if (end < length && Character.isHighSurrogate(text.charAt(end - 1))) {
        end++;
      }
      ensure(6 * (end - start));
      for (int i = start; i < end; i++) {
        char c = text.charAt(i);
        if (c < 0x80) {
          int escape = ESCAPES[c];
          if (escape == 0) {
            buffer[position++] = (byte) c;
          } else {
            escape(c, escape);
          }
        } else if (c < 0x800) {
          buffer[position++] = (byte) (0xc0 | (c >> 6));
          buffer[position++] = (byte) (0x80 | (c & 0x3f));
        } else if (Character.isHighSurrogate(c) && i + 1 < end) {
          int codePoint = Character.toCodePoint(c, text.charAt(++i));
          buffer[position++] = (byte) (0xf0 | (codePoint >> 18));
          buffer[position++] = (byte) (0x80 | ((codePoint >> 12) & 0x3f));
          buffer[position++] = (byte) (0x80 | ((codePoint >> 6) & 0x3f));
          buffer[position++] = (byte) (0x80 | (codePoint & 0x3f));
        } else {
          buffer[position++] = (byte) (0xe0 | (c >> 12));
          buffer[position++] = (byte) (0x80 | ((c >> 6) & 0x3f));
          buffer[position++] = (byte) (0x80 | (c & 0x3f));
        }
      }
      start = end;
    }
    ensure(1);
    buffer[position++] = '"';
  }

  /**
   * A 64-bit integer as a JSON string of its decimal digits, the protobuf JSON form of int64 and
   * fixed64.
   */
  void writeQuotedNumber(long value) throws IOException {
    beforeValue();
    ensure(1);
    buffer[position++] = '"';
    decimal(value);
    ensure(1);
    buffer[position++] = '"';
  }

  private void escape(char c, int escape) {
    buffer[position++] = '\\';
    if (escape > 0) {
      buffer[position++] = (byte) escape;
    } else {
      buffer[position++] = 'u';
      buffer[position++] = '0';
      buffer[position++] = '0';
      buffer[position++] = HEX[c >> 4];
      buffer[position++] = HEX[c & 0xf];
    }
  }
}
