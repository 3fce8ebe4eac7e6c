package dev.otelretention.exporter.datadog;

import dev.otelretention.common.RepeatedStrings;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The msgpack the span payload needs (maps, arrays, strings, integers, doubles), written into one
 * growable buffer that is reused for every batch: no object per value, unlike a packer's strings.
 * Strings are UTF-8 as {@link String#getBytes} makes them.
 */
final class MsgpackBuffer {
  private static final int KEEP_AT_MOST = 4 << 20;

  private static final int KEY_SLOTS = 256;

  private byte[] bytes = new byte[64 * 1024];
  private int size;
  private char[] chars = new char[256];

  /** The bytes of tag names seen again and again, and of their repeated values. */
  private final RepeatedStrings repeated = new RepeatedStrings(KEY_SLOTS);

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

  /**
   * Leaves room for the header of a map whose size is not known yet; returns where it goes, for
   * {@link #mapHeaderAt}.
   */
  int reserveMapHeader() {
    ensure(5);
    int at = size;
    size += 5;
    return at;
  }

  /**
   * Writes the header of the map begun at {@code at} with {@code entries}, in its shortest form,
   * moving the entries written after the room to follow it.
   */
  void mapHeaderAt(int at, int entries) {
    int written = size - at - 5;
    int end = size;
    size = at;
    mapHeader(entries);
    int headerEnd = size;
    System.arraycopy(bytes, at + 5, bytes, headerEnd, written);
    size = headerEnd + written;
    assert size <= end;
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

  /** A map key: a string whose bytes are kept once it repeats. */
  void key(String key) {
    keySlot(key);
  }

  /**
   * A map entry of a key and a text value; the value's bytes are kept when the same string object
   * comes again for the key.
   */
  @SuppressWarnings("ReferenceEquality") // the same String object: its bytes are known
  void entry(String key, CharSequence value) {
    int slot = keySlot(key);
    if (slot < 0 || !(value instanceof String)) {
      string(value);
      return;
    }
    if (repeated.lastValue(slot) != value) {
      repeated.lastValue(slot, value);
      string(value);
      return;
    }
    byte[] kept = repeated.valueBytes(slot);
    if (kept != null) {
      raw(kept);
      return;
    }
    int mark = size;
    string(value);
    if (RepeatedStrings.keepable(size - mark)) {
      repeated.keepValue(slot, Arrays.copyOfRange(bytes, mark, size));
    }
  }

  /** Writes a key; returns its slot if it repeats, else -1 (it takes the slot for next time). */
  private int keySlot(String key) {
    int slot = repeated.slot(key);
    byte[] kept = slot < 0 ? null : repeated.keyBytes(slot);
    if (kept != null) {
      raw(kept);
      return slot;
    }
    int mark = size;
    string(key);
    if (slot >= 0 && RepeatedStrings.keepable(size - mark)) {
      repeated.keepKey(slot, Arrays.copyOfRange(bytes, mark, size));
    }
    return slot;
  }

  /** Bytes encoded before. */
  void raw(byte[] encoded) {
    ensure(encoded.length);
    System.arraycopy(encoded, 0, bytes, size, encoded.length);
    size += encoded.length;
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
    char[] chars = charScratch(length);
    if (text instanceof StringBuilder builder) {
      // one bulk copy instead of a call per character
      builder.getChars(0, length, chars, 0);
    } else {
      for (int i = 0; i < length; i++) {
        chars[i] = text.charAt(i);
      }
    }
    byte[] target = bytes;
    int at = size;
    for (int i = 0; i < length; i++) {
      char c = chars[i];
      if (c >= 0x80) {
        size = mark;
        utf8(text.toString());
        return;
      }
      target[at + i] = (byte) c;
    }
    size = at + length;
  }

  private char[] charScratch(int length) {
    if (chars.length < length) {
      chars = new char[Math.max(length, chars.length * 2)];
    }
    return chars;
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
