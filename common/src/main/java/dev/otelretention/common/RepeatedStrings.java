package dev.otelretention.common;

/**
 * The encoded bytes of map keys seen again and again, and of each key's last string value when the
 * same string object comes again, for encoders that write the same keys and many constant values
 * for every item: instrumentation uses a few key constants. Direct-mapped by the key's hash (which
 * an attribute key has computed already), compared by identity, so a lookup reads no text; bytes
 * are kept only for a key or value seen twice in a row, so keys and values that do not repeat cost
 * no allocation. The encoder writes and copies the bytes; one per encoder buffer, so not
 * thread-safe.
 */
public final class RepeatedStrings {
  private static final int LONGEST = 256;

  private final String[] keys;
  private final byte[][] keyBytes;
  private final Object[] values;
  private final byte[][] valueBytes;

  /** A table of {@code slots} keys, a power of two. */
  public RepeatedStrings(int slots) {
    if (Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two, got " + slots);
    }
    keys = new String[slots];
    keyBytes = new byte[slots][];
    values = new Object[slots];
    valueBytes = new byte[slots][];
  }

  /** The slot of {@code key}, or -1 when another key holds it (it is taken for next time). */
  @SuppressWarnings("ReferenceEquality") // the same String object: its bytes are known
  public int slot(String key) {
    int slot = key.hashCode() & (keys.length - 1);
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
  public byte[] keyBytes(int slot) {
    return keyBytes[slot];
  }

  public void keepKey(int slot, byte[] encoded) {
    keyBytes[slot] = encoded;
  }

  /** The key's last string value, the object. */
  public Object lastValue(int slot) {
    return values[slot];
  }

  /** The bytes of the key's last value, or null until it came twice in a row. */
  public byte[] valueBytes(int slot) {
    return valueBytes[slot];
  }

  public void lastValue(int slot, Object value) {
    values[slot] = value;
    valueBytes[slot] = null;
  }

  public void keepValue(int slot, byte[] encoded) {
    valueBytes[slot] = encoded;
  }

  /** Whether text of this many bytes is worth keeping. */
  public static boolean keepable(int length) {
    return length <= LONGEST;
  }
}
