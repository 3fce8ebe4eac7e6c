package dev.otelretention.exporter.clickhouse.internal.rowbinary;

/**
 * The RowBinary bytes (length and UTF-8) of attribute keys seen again and again, and of each key's
 * last string value when the same string object comes again: instrumentation uses a few key
 * constants and many constant values. Direct-mapped by the key name's hash (which the attribute key
 * has computed already), compared by identity, so a lookup reads no text; bytes are kept only for a
 * key or value seen twice in a row, so keys and values that do not repeat cost no allocation. One
 * per output, so not thread-safe.
 */
final class EncodedKeys {
  private static final int SLOTS = 128;
  private static final int LONGEST = 256;

  private final String[] keys = new String[SLOTS];
  private final byte[][] keyBytes = new byte[SLOTS][];
  private final Object[] values = new Object[SLOTS];
  private final byte[][] valueBytes = new byte[SLOTS][];

  /** The slot of {@code key}, or -1 when another key holds it (it is taken for next time). */
  @SuppressWarnings("ReferenceEquality") // the same String object: its bytes are known
  int slot(String key) {
    int slot = key.hashCode() & (SLOTS - 1);
    if (keys[slot] != key) {
      keys[slot] = key;
      keyBytes[slot] = null;
      values[slot] = null;
      valueBytes[slot] = null;
      return -1;
    }
    return slot;
  }

  /** The key's bytes, or null until they are kept (the caller then encodes and offers them). */
  byte[] keyBytes(int slot) {
    return keyBytes[slot];
  }

  void keepKey(int slot, byte[] encoded) {
    keyBytes[slot] = encoded;
  }

  /** The key's last string value, the object. */
  Object lastValue(int slot) {
    return values[slot];
  }

  /** The bytes of the key's last value, or null until it came twice in a row. */
  byte[] valueBytes(int slot) {
    return valueBytes[slot];
  }

  void lastValue(int slot, Object value) {
    values[slot] = value;
    valueBytes[slot] = null;
  }

  void keepValue(int slot, byte[] encoded) {
    valueBytes[slot] = encoded;
  }

  /** Whether text of this many bytes is worth keeping. */
  static boolean keepable(int length) {
    return length <= LONGEST;
  }
}
