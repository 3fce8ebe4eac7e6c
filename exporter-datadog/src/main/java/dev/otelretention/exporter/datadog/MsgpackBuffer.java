package dev.otelretention.exporter.datadog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The msgpack the span payload needs (maps, arrays, strings, integers, doubles), written into one
 * growable buffer that is reused for every batch: no object per value, unlike a packer's strings.
 * Strings are UTF-8 as {@link String#getBytes} makes them.
 */
final class MsgpackBuffer {
  private static final int KEEP_AT_MOST = 4 << 20;

  private byte[] bytes = new byte[64 * 1024];
  private int size;

  void reset() {
    size = 0;
  }

  /** Lets go of a buffer that grew large for one big batch. */
  void shrink() {
    if (bytes.length > KEEP_AT_MOST) {
      bytes = new byte[64 * 1024];
    }
    size = 0;
  }

  int size() {
    return size;
  }

  byte[] bytes() {
    return bytes;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }

  void mapHeader(int entries) {
    ensure(5);
    if (entries < 16) {
      bytes[size++] = (byte) (0x80 | entries);
    } else if (entries < 0x10000) {
      bytes[size++] = (byte) 0xde;
      putShort(entries);
    } else {
      bytes[size++] = (byte) 0xdf;
      putInt(entries);
    }
  }

  /** Bytes of an array header for {@code elements}. */
  static int arrayHeaderLength(int elements) {
    return elements < 16 ? 1 : elements < 0x10000 ? 3 : 5;
  }

  /**
   * Writes an array header at {@code position} of {@code target}; returns the position after it.
   */
  static int arrayHeader(byte[] target, int position, int elements) {
    if (elements < 16) {
      target[position] = (byte) (0x90 | elements);
      return position + 1;
    }
    if (elements < 0x10000) {
      target[position] = (byte) 0xdc;
      target[position + 1] = (byte) (elements >>> 8);
      target[position + 2] = (byte) elements;
      return position + 3;
    }
    target[position] = (byte) 0xdd;
    target[position + 1] = (byte) (elements >>> 24);
    target[position + 2] = (byte) (elements >>> 16);
    target[position + 3] = (byte) (elements >>> 8);
    target[position + 4] = (byte) elements;
    return position + 5;
  }

  /**
   * A string: ASCII is copied as it is checked, in one pass; at the first other character the
   * string is written again as UTF-8.
   */
  void string(String text) {
    int length = text.length();
    int mark = size;
    stringHeader(length);
    ensure(length);
    byte[] target = bytes;
    int at = size;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        size = mark;
        utf8(text);
        return;
      }
      target[at + i] = (byte) c;
    }
    size = at + length;
  }

  /** A string held in a builder or a view. */
  void string(CharSequence text) {
    if (text instanceof String string) {
      string(string);
      return;
    }
    int length = text.length();
    int mark = size;
    stringHeader(length);
    ensure(length);
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        size = mark;
        utf8(text.toString());
        return;
      }
      bytes[size++] = (byte) c;
    }
  }

  private void utf8(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    stringHeader(utf8.length);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, bytes, size, utf8.length);
    size += utf8.length;
  }

  private void stringHeader(int length) {
    ensure(5);
    if (length < 32) {
      bytes[size++] = (byte) (0xa0 | length);
    } else if (length < 0x100) {
      bytes[size++] = (byte) 0xd9;
      bytes[size++] = (byte) length;
    } else if (length < 0x10000) {
      bytes[size++] = (byte) 0xda;
      putShort(length);
    } else {
      bytes[size++] = (byte) 0xdb;
      putInt(length);
    }
  }

  /** An integer in its shortest msgpack form, as msgpack-java's {@code packLong} writes it. */
  void signed(long value) {
    ensure(9);
    if (value >= 0) {
      unsignedNonNegative(value);
    } else if (value >= -32) {
      bytes[size++] = (byte) value;
    } else if (value >= Byte.MIN_VALUE) {
      bytes[size++] = (byte) 0xd0;
      bytes[size++] = (byte) value;
    } else if (value >= Short.MIN_VALUE) {
      bytes[size++] = (byte) 0xd1;
      putShort((int) value);
    } else if (value >= Integer.MIN_VALUE) {
      bytes[size++] = (byte) 0xd2;
      putInt((int) value);
    } else {
      bytes[size++] = (byte) 0xd3;
      putLong(value);
    }
  }

  /** A uint64 held in a long: values with the top bit set go out as uint64, not negative. */
  void unsigned(long value) {
    ensure(9);
    if (value < 0) {
      bytes[size++] = (byte) 0xcf;
      putLong(value);
    } else {
      unsignedNonNegative(value);
    }
  }

  private void unsignedNonNegative(long value) {
    if (value < 128) {
      bytes[size++] = (byte) value;
    } else if (value < 0x100) {
      bytes[size++] = (byte) 0xcc;
      bytes[size++] = (byte) value;
    } else if (value < 0x10000) {
      bytes[size++] = (byte) 0xcd;
      putShort((int) value);
    } else if (value < 0x100000000L) {
      bytes[size++] = (byte) 0xce;
      putInt((int) value);
    } else {
      bytes[size++] = (byte) 0xcf;
      putLong(value);
    }
  }

  void float64(double value) {
    ensure(9);
    bytes[size++] = (byte) 0xcb;
    putLong(Double.doubleToRawLongBits(value));
  }

  private void putShort(int value) {
    bytes[size++] = (byte) (value >>> 8);
    bytes[size++] = (byte) value;
  }

  private void putInt(int value) {
    bytes[size++] = (byte) (value >>> 24);
    bytes[size++] = (byte) (value >>> 16);
    bytes[size++] = (byte) (value >>> 8);
    bytes[size++] = (byte) value;
  }

  private void putLong(long value) {
    putInt((int) (value >>> 32));
    putInt((int) value);
  }
}
