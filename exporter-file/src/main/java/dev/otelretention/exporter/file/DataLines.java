package dev.otelretention.exporter.file;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The lines of a telemetry file, plain or compressed, with where each begins in the uncompressed
 * text; from a given offset on, so that an indexed part of a file is read without the rest.
 */
final class DataLines implements Closeable {
  private final InputStream in;
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private long offset;
  private byte[] line = new byte[1 << 12];
  private int length;
  private long lineStart;
  private boolean terminated;

  private DataLines(InputStream in, long offset) {
    this.in = in;
    this.offset = offset;
  }

  /** The lines of {@code file} from {@code offset}, which must be where a line begins. */
  static DataLines open(Path file, long offset) throws IOException {
    InputStream in = OtlpJsonFiles.decompressing(file, Files.newInputStream(file));
    try {
      long skipped = 0;
      while (skipped < offset) {
        long step = in.skip(offset - skipped);
        if (step <= 0) {
          if (in.read() < 0) {
            throw new EOFException(file + " ends before offset " + offset);
          }
          step = 1;
        }
        skipped += step;
      }
      return new DataLines(in, offset);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** Reads the next line; false at the end of the file. */
  boolean next() throws IOException {
    lineStart = offset;
    length = 0;
    terminated = false;
    while (true) {
      if (position == limit) {
        int read = in.read(buffer);
        if (read < 0) {
          return length > 0;
        }
        position = 0;
        limit = read;
      }
      int from = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      append(from, position - from);
      if (position < limit) {
        position++;
        offset++;
        terminated = true;
        return true;
      }
    }
  }

  private void append(int from, int count) {
    if (length + count > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
    }
    System.arraycopy(buffer, from, line, length, count);
    length += count;
    offset += count;
  }

  /** Where the current line begins. */
  long start() {
    return lineStart;
  }

  /** Where the next line begins: after the current one and its newline. */
  long end() {
    return offset;
  }

  /** Whether the current line ends with a newline; the last line a crash cut short does not. */
  boolean terminated() {
    return terminated;
  }

  boolean isEmpty() {
    return length == 0;
  }

  /** Whether the current line holds {@code ascii} anywhere. */
  boolean contains(String ascii) {
    // a Latin-1 view is a plain copy, and its search is the JDK's vectorized one
    return new String(line, 0, length, StandardCharsets.ISO_8859_1).contains(ascii);
  }

  String text() {
    return new String(line, 0, length, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
