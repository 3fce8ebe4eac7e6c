package dev.otelretention.exporter.clickhouse.internal;

import java.io.IOException;
import java.io.OutputStream;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Writes an LZ4 frame (the {@code Content-Encoding: lz4} that ClickHouse's HTTP interface reads):
 * independent 64 KiB blocks, no checksums, each block stored as it is where it would not shrink.
 * One instance per sender thread serves every insert with the same two buffers, where a compressing
 * stream per request allocated its blocks anew each time.
 */
final class Lz4FrameStream extends OutputStream {
  static final int BLOCK_SIZE = 64 * 1024;
  private static final int MAGIC = 0x184D2204;

  /** Version 01, independent blocks, no block or content checksum, no size, no dictionary. */
  private static final byte FLAGS = 0x60;

  /** Largest block 64 KiB. */
  private static final byte BLOCK_DESCRIPTOR = 0x40;

  private static final byte HEADER_CHECKSUM;
  private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();

  static {
    byte[] descriptor = {FLAGS, BLOCK_DESCRIPTOR};
    HEADER_CHECKSUM =
        (byte) (XXHashFactory.fastestInstance().hash32().hash(descriptor, 0, 2, 0) >>> 8);
  }

  private final byte[] block = new byte[BLOCK_SIZE];
  private final byte[] compressed = new byte[4 + COMPRESSOR.maxCompressedLength(BLOCK_SIZE)];
  private OutputStream target;
  private int filled;

  /** Starts a frame on {@code out}. */
  void start(OutputStream out) throws IOException {
    target = out;
    filled = 0;
    putInt(compressed, 0, MAGIC);
    compressed[4] = FLAGS;
    compressed[5] = BLOCK_DESCRIPTOR;
    compressed[6] = HEADER_CHECKSUM;
    out.write(compressed, 0, 7);
  }

  @Override
  public void write(int b) throws IOException {
    if (filled == BLOCK_SIZE) {
      writeBlock();
    }
    block[filled++] = (byte) b;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    int position = offset;
    int remaining = length;
    while (remaining > 0) {
      if (filled == BLOCK_SIZE) {
        writeBlock();
      }
      int chunk = Math.min(remaining, BLOCK_SIZE - filled);
      System.arraycopy(bytes, position, block, filled, chunk);
      filled += chunk;
      position += chunk;
      remaining -= chunk;
    }
  }

  /** Writes the last block and the end mark; the target stays open. */
  void finish() throws IOException {
    if (filled > 0) {
      writeBlock();
    }
    putInt(compressed, 0, 0);
    target.write(compressed, 0, 4);
    target = null;
  }

  private void writeBlock() throws IOException {
    int length = COMPRESSOR.compress(block, 0, filled, compressed, 4, compressed.length - 4);
    if (length >= filled) {
      // the high bit marks a block stored uncompressed
      putInt(compressed, 0, filled | 0x80000000);
      target.write(compressed, 0, 4);
      target.write(block, 0, filled);
    } else {
      putInt(compressed, 0, length);
      target.write(compressed, 0, 4 + length);
    }
    filled = 0;
  }

  private static void putInt(byte[] target, int at, int value) {
    target[at] = (byte) value;
    target[at + 1] = (byte) (value >>> 8);
    target[at + 2] = (byte) (value >>> 16);
    target[at + 3] = (byte) (value >>> 24);
  }
}
