package dev.otelretention.exporter.file;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The lines of an uncompressed telemetry file that hold an ASCII text, found by searching its bytes
 * a block at a time instead of splitting every line: a trace view looks for one trace id in an
 * active file of up to the rotation size, whose lines can be megabytes long. Only the lines with a
 * match are read whole.
 */
final class LineSearch {
  private static final int BLOCK = 1 << 20;

  /** Receives each line with a match, in file order. */
  interface Found {
    void line(String text);
  }

  private final FileChannel channel;
  private final long size;
  private final byte[] block = new byte[BLOCK];
  private final byte[] sought;
  private final int[] shift = new int[256];

  private LineSearch(FileChannel channel, String ascii) throws IOException {
    this.channel = channel;
    this.size = channel.size();
    this.sought = ascii.getBytes(StandardCharsets.ISO_8859_1);
    // Horspool's table: how far the search may move on, by the byte under the sought text's last
    Arrays.fill(shift, sought.length);
    for (int i = 0; i < sought.length - 1; i++) {
      shift[sought[i] & 0xff] = sought.length - 1 - i;
    }
  }

  /**
   * Calls {@code found} with each complete line in {@code [from, to)} of {@code file} that holds
   * {@code ascii}, where {@code from} is where a line begins; returns 1 when the range ends in a
   * line the writer has not finished (no newline), which is not searched, else 0.
   */
  static int find(Path file, long from, long to, String ascii, Found found) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return new LineSearch(channel, ascii).find(from, to, found);
    }
  }

  private int find(long from, long to, Found found) throws IOException {
    long limit = Math.min(to, size);
    int unfinished = 0;
    if (limit == size && size > from && byteAt(size - 1) != '\n') {
      limit = lineStart(size - 1, from);
      unfinished = 1;
    }
    long position = from;
    while (limit - position >= sought.length) {
      int length = read(position, (int) Math.min(BLOCK, limit - position));
      int at = indexOf(length);
      if (at < 0) {
        // the next block starts early enough to hold a match cut by this block's end
        position += length - sought.length + 1;
        continue;
      }
      // both ends from this block first: looking further back or on reads into it
      int before = lastNewline(at - 1);
      int after = nextNewline(at + sought.length, length);
      long end = after >= 0 ? position + after : lineEnd(position + length, limit);
      long start = before >= 0 ? position + before + 1 : lineStart(position + at, from);
      found.line(text(start, end));
      position = end + 1;
    }
    return unfinished;
  }

  /** Where the sought text first is in the block's first {@code length} bytes, or -1. */
  private int indexOf(int length) {
    int last = sought.length - 1;
    byte lastByte = sought[last];
    int at = 0;
    while (at + last < length) {
      byte under = block[at + last];
      if (under == lastByte && matchesAt(at)) {
        return at;
      }
      at += shift[under & 0xff];
    }
    return -1;
  }

  private boolean matchesAt(int at) {
    for (int i = 0; i < sought.length - 1; i++) {
      if (block[at + i] != sought[i]) {
        return false;
      }
    }
    return true;
  }

  private int lastNewline(int from) {
    for (int i = from; i >= 0; i--) {
      if (block[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private int nextNewline(int from, int length) {
    for (int i = from; i < length; i++) {
      if (block[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Where the line holding {@code offset} begins, searching back no further than {@code floor}. */
  private long lineStart(long offset, long floor) throws IOException {
    long end = offset;
    while (end > floor) {
      int length = (int) Math.min(BLOCK, end - floor);
      long start = end - length;
      read(start, length);
      int newline = lastNewline(length - 1);
      if (newline >= 0) {
        return start + newline + 1;
      }
      end = start;
    }
    return floor;
  }

  /**
   * Where the newline that ends the line holding {@code offset} is; {@code limit} if none before.
   */
  private long lineEnd(long offset, long limit) throws IOException {
    long start = offset;
    while (start < limit) {
      int length = read(start, (int) Math.min(BLOCK, limit - start));
      int newline = nextNewline(0, length);
      if (newline >= 0) {
        return start + newline;
      }
      start += length;
    }
    return limit;
  }

  private String text(long start, long end) throws IOException {
    if (end - start > Integer.MAX_VALUE - 8) {
      throw new IOException("a line of " + (end - start) + " bytes is too long to read");
    }
    ByteBuffer line = ByteBuffer.allocate((int) (end - start));
    readFully(start, line);
    return new String(line.array(), 0, line.limit(), StandardCharsets.UTF_8);
  }

  private byte byteAt(long offset) throws IOException {
    read(offset, 1);
    return block[0];
  }

  private int read(long offset, int length) throws IOException {
    readFully(offset, ByteBuffer.wrap(block, 0, length));
    return length;
  }

  private void readFully(long offset, ByteBuffer into) throws IOException {
    long at = offset;
    while (into.hasRemaining()) {
      int read = channel.read(into, at);
      if (read < 0) {
        throw new EOFException("the file ends before byte " + (offset + into.limit()));
      }
      at += read;
    }
  }
}
