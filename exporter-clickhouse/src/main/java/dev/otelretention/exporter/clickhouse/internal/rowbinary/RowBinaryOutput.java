package dev.otelretention.exporter.clickhouse.internal.rowbinary;

import dev.otelretention.common.KeyOrder;
import dev.otelretention.common.RepeatedStrings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Writes values in ClickHouse's RowBinary format into a growable buffer: little-endian fixed-width
 * numbers, LEB128 lengths, UTF-8 strings, arrays and maps as a length followed by their elements.
 */
public final class RowBinaryOutput {
  private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] bytes = new byte[64 * 1024];
  private int size;
  private final AttributeScratch scratch = new AttributeScratch();
  private final RepeatedStrings encodedKeys = new RepeatedStrings(128);
  private final SortedWriter sortedWriter = new SortedWriter();

  /** The row encoders' cache of the last resource written into this output. */
  final RowEncoders.ResourceCache resourceCache = new RowEncoders.ResourceCache();

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
    LONG_LE.set(bytes, size, value);
    size += 8;
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
    if ((value & ~0x7FL) == 0) {
      ensure(1);
      bytes[size++] = (byte) value;
      return;
    }
    ensure(10);
    long remaining = value;
    while ((remaining & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((remaining & 0x7F) | 0x80);
      remaining >>>= 7;
    }
    bytes[size++] = (byte) remaining;
  }

  /**
   * A String column value: ASCII is copied as it is checked, in one pass; at the first other
   * character the value is written again as UTF-8.
   */
  public void string(String value) {
    String text = value == null ? "" : value;
    int length = text.length();
    // one room check for the length and the characters, as ASCII
    ensure(length + 10);
    byte[] target = bytes;
    int mark = size;
    int at = size;
    if (length < 0x80) {
      target[at++] = (byte) length;
    } else {
      varint(length);
      at = size;
    }
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        size = mark;
        utf8String(text);
        return;
      }
      target[at + i] = (byte) c;
    }
    size = at + length;
  }

  private void utf8String(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    varint(utf8.length);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, bytes, size, utf8.length);
    size += utf8.length;
  }

  /**
   * A string known to be ASCII, such as a hex trace or span id: copied without looking at its
   * characters.
   */
  @SuppressWarnings("deprecation") // the byte copy of Latin-1 characters is what is wanted here
  public void asciiString(String text) {
    int length = text.length();
    varint(length);
    ensure(length);
    // for a Latin-1 string (every ASCII string) this is one array copy
    text.getBytes(0, length, bytes, size);
    size += length;
  }

  /** Map(String, String) from a map already in the order to write (sorted by key). */
  public void stringMap(Map<String, String> map) {
    varint(map.size());
    for (Map.Entry<String, String> entry : map.entrySet()) {
      string(entry.getKey());
      string(entry.getValue());
    }
  }

  /**
   * Map(String, String) of attributes, written straight from them as {@link AttributeStrings#of}
   * would give them (keys sorted, a repeated key once with its last value), without building a map:
   * the entries are gathered in reused arrays and sorted there.
   */
  public void attributeMap(Attributes attributes) {
    if (attributes.isEmpty()) {
      varint(0);
      return;
    }
    // the SDK's attributes come sorted by key: written as they come, unless they turn out not to be
    int mark = size;
    varint(attributes.size());
    SortedWriter writer = sortedWriter;
    writer.start();
    attributes.forEach(writer);
    if (writer.inOrder && writer.count == attributes.size()) {
      writer.previous = null;
      return;
    }
    writer.previous = null;
    size = mark;
    AttributeScratch entries = scratch;
    entries.clear();
    attributes.forEach(entries);
    int count = entries.sortAndMerge();
    varint(count);
    for (int i = 0; i < count; i++) {
      int entry = entries.order.position(i);
      string(entries.keys[entry]);
      attributeValue(entries.types[entry], entries.values[entry]);
    }
    entries.clear();
  }

  private void attributeValue(AttributeType type, Object value) {
    switch (type) {
      case STRING -> string((String) value);
      case LONG -> decimal((Long) value);
      case BOOLEAN -> {
        byte[] text = (Boolean) value ? TRUE : FALSE;
        varint(text.length);
        ensure(text.length);
        System.arraycopy(text, 0, bytes, size, text.length);
        size += text.length;
      }
      default -> string(AttributeStrings.toString(type, value));
    }
  }

  /** A copy of what was written from {@code mark} on. */
  byte[] bytesSince(int mark) {
    return Arrays.copyOfRange(bytes, mark, size);
  }

  /** Copies bytes encoded before. */
  void raw(byte[] encoded) {
    ensure(encoded.length);
    System.arraycopy(encoded, 0, bytes, size, encoded.length);
    size += encoded.length;
  }

  /** A key and its value, from the bytes kept for them where they repeat. */
  private void entry(AttributeKey<?> key, Object value) {
    RepeatedStrings cache = encodedKeys;
    String name = key.getKey();
    int slot = cache.slot(name);
    byte[] keyBytes = slot < 0 ? null : cache.keyBytes(slot);
    if (keyBytes != null) {
      raw(keyBytes);
    } else {
      int mark = size;
      string(name);
      if (slot >= 0 && RepeatedStrings.keepable(size - mark)) {
        cache.keepKey(slot, Arrays.copyOfRange(bytes, mark, size));
      }
    }
    if (slot < 0 || key.getType() != AttributeType.STRING) {
      attributeValue(key.getType(), value);
      return;
    }
    if (cache.lastValue(slot) == value) {
      byte[] valueBytes = cache.valueBytes(slot);
      if (valueBytes != null) {
        raw(valueBytes);
        return;
      }
      int mark = size;
      string((String) value);
      if (RepeatedStrings.keepable(size - mark)) {
        cache.keepValue(slot, Arrays.copyOfRange(bytes, mark, size));
      }
      return;
    }
    cache.lastValue(slot, value);
    string((String) value);
  }

  /** Writes entries as they come while their keys rise; notes when one does not. */
  private final class SortedWriter implements BiConsumer<AttributeKey<?>, Object> {
    String previous;
    boolean inOrder;
    int count;

    void start() {
      previous = null;
      inOrder = true;
      count = 0;
    }

    @Override
    public void accept(AttributeKey<?> key, Object value) {
      if (!inOrder) {
        return;
      }
      String name = key.getKey();
      if (previous != null && previous.compareTo(name) >= 0) {
        inOrder = false;
        return;
      }
      previous = name;
      count++;
      entry(key, value);
    }
  }

  /** A long in decimal as a String column value, as {@link Long#toString(long)} writes it. */
  void decimal(long value) {
    if (value == Long.MIN_VALUE) {
      string(Long.toString(value));
      return;
    }
    long magnitude = Math.abs(value);
    int digits = 1;
    for (long rest = magnitude / 10; rest != 0; rest /= 10) {
      digits++;
    }
    int length = digits + (value < 0 ? 1 : 0);
    varint(length);
    ensure(length);
    if (value < 0) {
      bytes[size] = '-';
    }
    int position = size + length - 1;
    long rest = magnitude;
    do {
      bytes[position--] = (byte) ('0' + (int) (rest % 10));
      rest /= 10;
    } while (rest != 0);
    size += length;
  }

  /** Attribute entries of one map, gathered for sorting; reused for every map. */
  private static final class AttributeScratch implements BiConsumer<AttributeKey<?>, Object> {
    String[] keys = new String[16];
    AttributeType[] types = new AttributeType[16];
    Object[] values = new Object[16];
    final KeyOrder order = new KeyOrder();
    int count;

    @Override
    public void accept(AttributeKey<?> key, Object value) {
      if (count == keys.length) {
        int capacity = count * 2;
        keys = Arrays.copyOf(keys, capacity);
        types = Arrays.copyOf(types, capacity);
        values = Arrays.copyOf(values, capacity);
      }
      keys[count] = key.getKey();
      types[count] = key.getType();
      values[count] = value;
      count++;
    }

    /** Orders the entries by key, the last of a repeated key kept; returns how many remain. */
    int sortAndMerge() {
      return order.sort(keys, count);
    }

    void clear() {
      Arrays.fill(values, 0, count, null);
      count = 0;
    }
  }
}
