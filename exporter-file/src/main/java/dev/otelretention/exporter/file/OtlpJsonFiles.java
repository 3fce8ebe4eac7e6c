package dev.otelretention.exporter.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.github.luben.zstd.ZstdInputStream;
import dev.otelretention.exporter.file.BackupFiles.Backup;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

/**
 * Reads telemetry files back: every record of an active file and its rotated (possibly compressed)
 * backups, oldest first. Only complete lines that hold a whole JSON object are returned; anything
 * else (the partial last line a crash leaves, a damaged compressed tail) is skipped and reported by
 * {@link Reader#skipped()}.
 *
 * <pre>{@code
 * try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(Path.of("telemetry/traces.jsonl"))) {
 *   reader.forEachRemaining(record -> replay(record.json()));
 *   reader.skipped().forEach(System.err::println);
 * }
 * }</pre>
 */
public final class OtlpJsonFiles {
  private static final JsonFactory JSON = new JsonFactory();

  private OtlpJsonFiles() {}

  /**
   * The files holding the records of {@code activeFile}, oldest first: its backups in time order
   * (plain, {@code .gz} or {@code .zst}), then the active file itself if it exists.
   */
  public static List<Path> files(Path activeFile) throws IOException {
    List<Path> result = new ArrayList<>();
    for (Backup backup : new BackupFiles(activeFile, false).list()) {
      result.add(backup.path());
    }
    if (Files.exists(activeFile)) {
      result.add(activeFile.toAbsolutePath());
    }
    return result;
  }

  /** A reader over the backups and the active file, oldest record first. */
  public static Reader open(Path activeFile) throws IOException {
    return new Reader(files(activeFile));
  }

  /**
   * A reader over the given files in the given order (each plain, {@code .gz} or {@code .zst} by
   * its name).
   */
  public static Reader open(List<Path> files) {
    return new Reader(List.copyOf(files));
  }

  /** Iterates over the records of several files; close it to release the open file. */
  public static final class Reader implements Iterator<OtlpJsonRecord>, Closeable {
    private final Deque<Path> files;
    private final List<SkippedLine> skipped = new ArrayList<>();
    private Path currentFile;
    private InputStream in;
    private long lineNumber;
    private OtlpJsonRecord next;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private CountingInputStream counted;
    private long finishedBytes;

    private Reader(List<Path> files) {
      this.files = new ArrayDeque<>(files);
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        try {
          next = advance();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return next != null;
    }

    @Override
    public OtlpJsonRecord next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      OtlpJsonRecord result = next;
      next = null;
      return result;
    }

    /**
     * Bytes of the files read so far, as stored (compressed bytes for a compressed file), counting
     * whole files already finished; a little ahead of the records returned, because reading is
     * buffered.
     */
    public long bytesRead() {
      return finishedBytes + (counted == null ? 0 : counted.count);
    }

    /** Lines skipped so far, in reading order. */
    public List<SkippedLine> skipped() {
      return Collections.unmodifiableList(skipped);
    }

    /** Reads everything that is left into a list. */
    public List<OtlpJsonRecord> readAll() {
      List<OtlpJsonRecord> all = new ArrayList<>();
      forEachRemaining(all::add);
      return all;
    }

    @Override
    public void close() throws IOException {
      if (in != null) {
        in.close();
        in = null;
      }
      files.clear();
    }

    private OtlpJsonRecord advance() throws IOException {
      while (true) {
        if (in == null) {
          Path file = files.pollFirst();
          if (file == null) {
            return null;
          }
          if (!Files.exists(file)) {
            continue;
          }
          currentFile = file;
          lineNumber = 0;
          counted = new CountingInputStream(Files.newInputStream(file));
          in = decompressing(file, counted);
        }
        OtlpJsonRecord record = readLine();
        if (record != null) {
          return record;
        }
      }
    }

    /** Reads the next complete valid line of the current file; null (and closes it) at its end. */
    private OtlpJsonRecord readLine() throws IOException {
      while (true) {
        line.reset();
        boolean terminated = false;
        try {
          while (!terminated) {
            if (position == limit) {
              int read = in.read(buffer);
              if (read == -1) {
                break;
              }
              position = 0;
              limit = read;
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
              position++;
            }
            line.write(buffer, start, position - start);
            if (position < limit) {
              position++;
              terminated = true;
            }
          }
        } catch (IOException e) {
          lineNumber++;
          skipped.add(
              new SkippedLine(
                  currentFile,
                  lineNumber,
                  "unreadable rest of file: " + e.getMessage(),
                  line.size()));
          endOfFile();
          return null;
        }
        if (!terminated && line.size() == 0) {
          endOfFile();
          return null;
        }
        lineNumber++;
        byte[] bytes = line.toByteArray();
        if (!terminated) {
          skipped.add(
              new SkippedLine(
                  currentFile, lineNumber, "partial last line (no newline)", bytes.length));
          endOfFile();
          return null;
        }
        if (bytes.length == 0) {
          continue;
        }
        String problem = validate(bytes);
        if (problem != null) {
          skipped.add(new SkippedLine(currentFile, lineNumber, problem, bytes.length));
          continue;
        }
        return new OtlpJsonRecord(
            currentFile, lineNumber, new String(bytes, StandardCharsets.UTF_8));
      }
    }

    private void endOfFile() throws IOException {
      in.close();
      in = null;
      position = 0;
      limit = 0;
      finishedBytes += counted.count;
      counted = null;
    }
  }

  /** Null when {@code bytes} is exactly one JSON object, otherwise what is wrong. */
  static String validate(byte[] bytes) {
    try (JsonParser parser = JSON.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return "not a JSON object";
      }
      parser.skipChildren();
      if (parser.nextToken() != null) {
        return "text after the JSON object";
      }
      return null;
    } catch (JsonProcessingException e) {
      return "malformed JSON: " + e.getOriginalMessage();
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
  }

  /** Counts the bytes read through it. */
  private static final class CountingInputStream extends FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }
  }

  static InputStream decompressing(Path file, InputStream stored) throws IOException {
    InputStream raw = new BufferedInputStream(stored, 1 << 16);
    String name = file.getFileName().toString();
    try {
      if (name.endsWith(Compression.GZIP.suffix())) {
        return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
      }
      if (name.endsWith(Compression.ZSTD.suffix())) {
        return new BufferedInputStream(new ZstdInputStream(raw), 1 << 16);
      }
    } catch (IOException e) {
      raw.close();
      throw e;
    }
    return raw;
  }

  /**
   * A line the reader did not return: the partial last line a crash left, a line that is not a
   * complete JSON object, or the unreadable rest of a damaged compressed file.
   *
   * @param file the file
   * @param lineNumber the line number in that file, from 1
   * @param reason why it was skipped
   * @param length its length in bytes (as far as it could be read)
   */
  public record SkippedLine(Path file, long lineNumber, String reason, long length) {}
}
