package dev.otelretention.exporter.file;

import java.io.OutputStream;
import java.util.Arrays;

/** A growable byte array that an encoder writes one record into; reused across exports. */
final class LineBuffer extends OutputStream {
  private static final int INITIAL = 64 * 1024;
  private static final int KEEP_AT_MOST = 4 * 1024 * 1024;

  private byte[] bytes = new byte[INITIAL];
  private int count;

  @Override
  public void write(int b) {
    ensure(1);
    bytes[count++] = (byte) b;
  }

  @Override
  public void write(byte[] source, int off, int len) {
    ensure(len);
    System.arraycopy(source, off, bytes, count, len);
    count += len;
  }

  private void ensure(int more) {
    int needed = count + more;
    if (needed > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
    }
  }

  byte[] array() {
    return bytes;
  }

  int size() {
    return count;
  }

  /** Empties the buffer, giving back memory a very large record made it take. */
  void reset() {
    count = 0;
    if (bytes.length > KEEP_AT_MOST) {
      bytes = new byte[INITIAL];
    }
  }
}
