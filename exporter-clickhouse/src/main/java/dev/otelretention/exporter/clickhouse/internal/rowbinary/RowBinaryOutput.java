package dev.otelretention.exporter.clickhouse.internal.rowbinary;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes values in ClickHouse's RowBinary format into a growable buffer: little-endian fixed-width
 * numbers, LEB128 lengths, UTF-8 strings, arrays and maps as a length followed by their elements.
 */
public final class RowBinaryOutput {
  private byte[] bytes = new byte[64 * 1024];
  private int size;

  public void reset() {
    size = 0;
    if (bytes.length > (8 << 20)) {
      bytes = new byte[64 * 1024];
    }
  }

  public int size() {
    return size;
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes, 0, size);
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }

  public void uint8(int value) {
    ensure(1);
    bytes[size++] = (byte) value;
  }

  public void bool(boolean value) {
    uint8(value ? 1 : 0);
  }

  public void int32(int value) {
    ensure(4);
    bytes[size++] = (byte) value;
    bytes[size++] = (byte) (value >>> 8);
    bytes[size++] = (byte) (value >>> 16);
    bytes[size++] = (byte) (value >>> 24);
  }

  public void uint32(long value) {
    int32((int) value);
  }

  public void int64(long value) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      bytes[size++] = (byte) (value >>> (8 * i));
    }
  }

  public void uint64(long value) {
    int64(value);
  }

  public void float64(double value) {
    int64(Double.doubleToRawLongBits(value));
  }

  /** DateTime64(9): nanoseconds since the epoch as Int64. */
  public void dateTime64Nanos(long epochNanos) {
    int64(epochNanos);
  }

  public void varint(long value) {
    ensure(10);
    long remaining = value;
    while ((remaining & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((remaining & 0x7F) | 0x80);
      remaining >>>= 7;
    }
    bytes[size++] = (byte) remaining;
  }

  public void string(String value) {
    String text = value == null ? "" : value;
    if (isAscii(text)) {
      int length = text.length();
      varint(length);
      ensure(length);
      for (int i = 0; i < length; i++) {
        bytes[size++] = (byte) text.charAt(i);
      }
    } else {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      varint(utf8.length);
      ensure(utf8.length);
      System.arraycopy(utf8, 0, bytes, size, utf8.length);
      size += utf8.length;
    }
  }

  /** Map(String, String) from a map already in the order to write (sorted by key). */
  public void stringMap(Map<String, String> map) {
    varint(map.size());
    for (Map.Entry<String, String> entry : map.entrySet()) {
      string(entry.getKey());
      string(entry.getValue());
    }
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
