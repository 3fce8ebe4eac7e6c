package dev.otelretention.exporter.file;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The index file beside a rotated telemetry file: {@code <backup name>.idx}, the name without a
 * compression suffix, so one index serves the backup before and after its compression.
 *
 * <p>Format 1, big-endian: the magic {@code OTRI}, the format (a short, 1), the signal code (a
 * byte: 1 spans, 2 log records), the indexed bytes of the uncompressed file, its unreadable lines,
 * the earliest and latest span start; the strings (count, then each as length and UTF-8); the
 * service sets (count, then each as count and string numbers); the entries (count, then each of
 * {@link TraceIndex.Entry#bytes} bytes, sorted by trace id as unsigned numbers). A file of another
 * format is left alone and rebuilt in memory.
 */
final class TraceIndexFile {
  static final String SUFFIX = ".idx";
  static final int FORMAT = 1;
  static final byte SPANS = 1;
  static final byte LOG_RECORDS = 2;
  private static final int MAGIC = 0x4F545249; // "OTRI"
  private static final int BUFFER = 1 << 16;

  private TraceIndexFile() {}

  /** The index file of {@code dataFile}, compressed or not. */
  static Path pathFor(Path dataFile) {
    String name = dataFile.getFileName().toString();
    for (Compression compression : Compression.values()) {
      if (compression != Compression.NONE && name.endsWith(compression.suffix())) {
        name = name.substring(0, name.length() - compression.suffix().length());
      }
    }
    return dataFile.resolveSibling(name + SUFFIX);
  }

  /** Whether {@code dataFile} is a compressed backup, by its name. */
  static boolean compressed(Path dataFile) {
    return !pathFor(dataFile).getFileName().toString().equals(dataFile.getFileName() + SUFFIX);
  }

  /** Writes the index through a temporary file, so a reader never sees half of it. */
  static void write(Path indexFile, TraceIndexBuilder index) throws IOException {
    Path temporary = indexFile.resolveSibling(indexFile.getFileName() + BackupFiles.TEMP_SUFFIX);
    Files.deleteIfExists(temporary);
    try {
      RotatingFileWriter.createOwnerOnly(temporary);
      try (DataOutputStream out =
          new DataOutputStream(
              new BufferedOutputStream(
                  Files.newOutputStream(temporary, StandardOpenOption.WRITE), BUFFER))) {
        out.writeInt(MAGIC);
        out.writeShort(FORMAT);
        out.writeByte(index.signal());
        // merging a trace's entries of several lines may add service sets: before the header
        int[] order = index.compact();
        out.writeLong(index.dataLength());
        out.writeLong(index.skippedLines());
        out.writeLong(index.minStart());
        out.writeLong(index.maxStart());
        out.writeInt(index.strings().size());
        for (String text : index.strings()) {
          byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
          out.writeInt(utf8.length);
          out.write(utf8);
        }
        out.writeInt(index.sets().size());
        for (int[] members : index.sets()) {
          out.writeInt(members.length);
          for (int member : members) {
            out.writeInt(member);
          }
        }
        out.writeInt(order.length);
        byte[] buffer = new byte[TraceIndex.Entry.bytes(index.signal()) * 256];
        ByteBuffer chunk = ByteBuffer.wrap(buffer);
        index.forEach(
            order,
            entry -> {
              if (!chunk.hasRemaining()) {
                flush(buffer, chunk, out);
              }
              entry.write(chunk, index.signal());
            });
        flush(buffer, chunk, out);
      }
      Files.move(temporary, indexFile, StandardCopyOption.ATOMIC_MOVE);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static void flush(byte[] buffer, ByteBuffer chunk, DataOutputStream out) {
    try {
      out.write(buffer, 0, chunk.position());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    chunk.clear();
  }

  /** Whether {@code indexFile} is an index of a format this version does not know. */
  static boolean ofOtherFormat(Path indexFile) {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(indexFile))) {
      return in.readInt() == MAGIC && in.readShort() != FORMAT;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Opens an index file of the given signal; null when it is missing, of another format or signal,
   * or damaged. The entries stay in the file and are read as needed; close the index.
   */
  static TraceIndex open(Path indexFile, byte signal) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(indexFile, StandardOpenOption.READ);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
    try {
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), BUFFER));
      long headerBytes = Integer.BYTES + Short.BYTES + Byte.BYTES + 4L * Long.BYTES;
      if (in.readInt() != MAGIC || in.readShort() != FORMAT || in.readByte() != signal) {
        channel.close();
        return null;
      }
      long dataLength = in.readLong();
      long skipped = in.readLong();
      long minStart = in.readLong();
      long maxStart = in.readLong();
      int stringCount = in.readInt();
      List<String> strings = new ArrayList<>(Math.min(stringCount, 1 << 16));
      for (int i = 0; i < stringCount; i++) {
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        headerBytes += Integer.BYTES + utf8.length;
        strings.add(new String(utf8, StandardCharsets.UTF_8));
      }
      int setCount = in.readInt();
      List<int[]> sets = new ArrayList<>(Math.min(setCount, 1 << 16));
      for (int i = 0; i < setCount; i++) {
        int[] members = new int[in.readInt()];
        headerBytes += Integer.BYTES * (1L + members.length);
        for (int m = 0; m < members.length; m++) {
          members[m] = in.readInt();
        }
        sets.add(members);
      }
      int count = in.readInt();
      long entriesAt = headerBytes + 3L * Integer.BYTES;
      if (count < 0
          || entriesAt + (long) count * TraceIndex.Entry.bytes(signal) != channel.size()) {
        channel.close();
        return null;
      }
      return new TraceIndex(
          dataLength,
          skipped,
          strings,
          sets,
          new StoredEntries(channel, entriesAt, count, signal),
          minStart,
          maxStart);
    } catch (EOFException | IllegalArgumentException | NegativeArraySizeException e) {
      channel.close();
      return null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Entries read from the index file. */
  private static final class StoredEntries implements TraceIndex.EntrySource {
    private final FileChannel channel;
    private final long entriesAt;
    private final int size;
    private final byte signal;
    private final int entryBytes;
    private final ByteBuffer one;

    StoredEntries(FileChannel channel, long entriesAt, int size, byte signal) {
      this.channel = channel;
      this.entriesAt = entriesAt;
      this.size = size;
      this.signal = signal;
      this.entryBytes = TraceIndex.Entry.bytes(signal);
      this.one = ByteBuffer.allocate(entryBytes);
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public void read(int position, TraceIndex.Entry into) throws IOException {
      one.clear();
      long at = entriesAt + (long) position * entryBytes;
      while (one.hasRemaining()) {
        if (channel.read(one, at + one.position()) < 0) {
          throw new EOFException("index entry " + position + " is cut short");
        }
      }
      into.read(one.flip(), signal);
    }

    @Override
    public TraceIndex.Cursor cursor() {
      ByteBuffer chunk = ByteBuffer.allocate(entryBytes * 512).limit(0);
      long[] next = {entriesAt};
      long end = entriesAt + (long) size * entryBytes;
      return into -> {
        if (!chunk.hasRemaining()) {
          if (next[0] >= end) {
            return false;
          }
          chunk.clear().limit((int) Math.min(chunk.capacity(), end - next[0]));
          while (chunk.hasRemaining()) {
            if (channel.read(chunk, next[0] + chunk.position()) < 0) {
              throw new EOFException("the index ends before its entries");
            }
          }
          next[0] += chunk.position();
          chunk.flip();
        }
        into.read(chunk, signal);
        return true;
      };
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
