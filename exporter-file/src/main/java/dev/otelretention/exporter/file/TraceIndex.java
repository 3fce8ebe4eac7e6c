package dev.otelretention.exporter.file;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The index of one telemetry file: per trace, the part of the file its lines are in and a summary
 * of its spans there, sorted by trace id; and for the whole file its time range and services. Held
 * in memory ({@link TraceIndexBuilder#build()}) or read from an index file ({@link
 * TraceIndexFile#open}), whose entries are then read as they are needed.
 */
final class TraceIndex implements Closeable {
  private final long dataLength;
  private final long skippedLines;
  private final List<String> strings;
  private final List<int[]> sets;
  private final EntrySource entries;
  private final long minStart;
  private final long maxStart;

  TraceIndex(
      long dataLength, long skippedLines, List<String> strings, List<int[]> sets, Entries entries) {
    this(dataLength, skippedLines, strings, sets, entries, entries.minStart(), entries.maxStart());
  }

  TraceIndex(
      long dataLength,
      long skippedLines,
      List<String> strings,
      List<int[]> sets,
      EntrySource entries,
      long minStart,
      long maxStart) {
    this.dataLength = dataLength;
    this.skippedLines = skippedLines;
    this.strings = strings;
    this.sets = sets;
    this.entries = entries;
    this.minStart = minStart;
    this.maxStart = maxStart;
  }

  /** Bytes of the file (uncompressed) the index covers. */
  long dataLength() {
    return dataLength;
  }

  /** Lines of the file that could not be read. */
  long skippedLines() {
    return skippedLines;
  }

  List<String> strings() {
    return strings;
  }

  List<int[]> sets() {
    return sets;
  }

  int size() {
    return entries.size();
  }

  /** The earliest span start in the file, {@link Long#MAX_VALUE} when it has no span. */
  long minStart() {
    return minStart;
  }

  /** The latest span start in the file, {@link Long#MIN_VALUE} when it has no span. */
  long maxStart() {
    return maxStart;
  }

  /** A string of the index's table, or empty for none ({@code -1}). */
  String string(int id) {
    return id < 0 ? "" : strings.get(id);
  }

  /** Which service sets of this index hold {@code service}, by set number. */
  boolean[] setsWith(String service) {
    int id = strings.indexOf(service);
    boolean[] with = new boolean[sets.size()];
    for (int set = 0; set < with.length; set++) {
      for (int member : sets.get(set)) {
        if (member == id) {
          with[set] = true;
        }
      }
    }
    return with;
  }

  /** Reads the entries in trace-id order. */
  Cursor cursor() {
    return entries.cursor();
  }

  /** Fills {@code into} with the entry of the trace and returns true, or returns false. */
  boolean find(long high, long low, Entry into) throws IOException {
    int from = 0;
    int to = entries.size() - 1;
    while (from <= to) {
      int middle = (from + to) >>> 1;
      entries.read(middle, into);
      int order = TraceIds.compare(into.high, into.low, high, low);
      if (order == 0) {
        return true;
      }
      if (order < 0) {
        from = middle + 1;
      } else {
        to = middle - 1;
      }
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    entries.close();
  }

  /** One trace's part of a file; filled in place, so reading allocates nothing. */
  static final class Entry {
    long high;
    long low;
    long start;
    long end;
    long rootStart;
    long firstLine;
    long lastLineEnd;
    int items;
    int errors;
    int rootName;
    int rootService;
    int serviceSet;
    boolean rootHasNoParent;

    private static final int SPAN_BYTES = 7 * Long.BYTES + 5 * Integer.BYTES + 1;
    private static final int LOG_RECORD_BYTES = 4 * Long.BYTES + Integer.BYTES;

    /**
     * The size of an entry: the id, the lines and the count for log records; for spans also the
     * summary.
     */
    static int bytes(byte signal) {
      return signal == TraceIndexFile.SPANS ? SPAN_BYTES : LOG_RECORD_BYTES;
    }

    void write(ByteBuffer out, byte signal) {
      out.putLong(high).putLong(low).putLong(firstLine).putLong(lastLineEnd).putInt(items);
      if (signal == TraceIndexFile.SPANS) {
        out.putLong(start).putLong(end).putLong(rootStart);
        out.putInt(errors).putInt(rootName).putInt(rootService).putInt(serviceSet);
        out.put((byte) (rootHasNoParent ? 1 : 0));
      }
    }

    void read(ByteBuffer in, byte signal) {
      high = in.getLong();
      low = in.getLong();
      firstLine = in.getLong();
      lastLineEnd = in.getLong();
      items = in.getInt();
      if (signal == TraceIndexFile.SPANS) {
        start = in.getLong();
        end = in.getLong();
        rootStart = in.getLong();
        errors = in.getInt();
        rootName = in.getInt();
        rootService = in.getInt();
        serviceSet = in.getInt();
        rootHasNoParent = in.get() != 0;
      }
    }
  }

  /** Entries in trace-id order. */
  interface Cursor {
    /** Fills {@code into} with the next entry; false after the last. */
    boolean next(Entry into) throws IOException;
  }

  /** Where the entries come from: memory or an index file. */
  interface EntrySource extends Closeable {
    int size();

    void read(int position, Entry into) throws IOException;

    Cursor cursor();

    @Override
    default void close() throws IOException {}
  }

  /** Entries held in memory, in the order they were added. */
  static final class Entries implements EntrySource {
    private final ByteBuffer bytes;
    private final byte signal;
    private final int entryBytes;
    private int size;
    private long minStart = Long.MAX_VALUE;
    private long maxStart = Long.MIN_VALUE;

    Entries(int capacity, byte signal) {
      this.signal = signal;
      this.entryBytes = Entry.bytes(signal);
      this.bytes = ByteBuffer.allocate(capacity * entryBytes);
    }

    void add(Entry entry) {
      bytes.position(size * entryBytes);
      entry.write(bytes, signal);
      size++;
      if (entry.start != Long.MAX_VALUE) {
        minStart = Math.min(minStart, entry.start);
        maxStart = Math.max(maxStart, entry.start);
      }
    }

    long minStart() {
      return minStart;
    }

    long maxStart() {
      return maxStart;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public void read(int position, Entry into) {
      into.read(bytes.duplicate().position(position * entryBytes), signal);
    }

    @Override
    public Cursor cursor() {
      ByteBuffer view = bytes.duplicate().position(0).limit(size * entryBytes);
      return into -> {
        if (!view.hasRemaining()) {
          return false;
        }
        into.read(view, signal);
        return true;
      };
    }
  }
}
