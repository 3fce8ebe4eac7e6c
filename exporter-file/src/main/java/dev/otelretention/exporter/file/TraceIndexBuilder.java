package dev.otelretention.exporter.file;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Gathers a file's index while its lines are written (or read back): for every trace, where in the
 * file its first and last lines are and a summary of its spans there. Kept in primitive arrays, so
 * a trace costs about 80 bytes and a span no allocation. Not thread-safe.
 */
final class TraceIndexBuilder {
  /**
   * Beyond this many traces in one file the index is given up; readers rebuild it from the file.
   */
  static final int MAX_TRACES = 1 << 20;

  private final int maxTraces;
  private final byte signal;

  /**
   * The traces of the current line, by id: a line's spans are summed up per trace here, and the
   * same trace in several lines is merged when the index is built, so that a span never looks up a
   * table as large as the file (a cache miss per span).
   */
  private int[] slots = new int[2048];

  private int[] slotGeneration = new int[2048];
  private int generation = 1;
  private int lineFirst;
  private int size;
  private long[] high = new long[512];
  private long[] low = new long[512];
  private long[] start = new long[512];
  private long[] end = new long[512];
  private long[] rootStart = new long[512];
  private long[] firstLine = new long[512];
  private long[] lastLineEnd = new long[512];
  private int[] items = new int[512];
  private int[] errors = new int[512];
  private int[] rootName = new int[512];
  private int[] rootService = new int[512];
  private int[] serviceSet = new int[512];
  private boolean[] rootHasNoParent = new boolean[512];

  private final Map<String, Integer> stringIds = new HashMap<>();
  private final List<String> strings = new ArrayList<>();
  private final List<int[]> sets = new ArrayList<>(List.of(new int[0]));
  private final Map<String, Integer> setIds = new HashMap<>(Map.of("[]", 0));
  private final Map<Long, Integer> setWith = new HashMap<>();
  private String lastService;
  private int lastServiceId;
  private int lastSetFrom = -1;
  private int lastSetService = -1;
  private int lastSetTo;
  private long minStart = Long.MAX_VALUE;
  private long maxStart = Long.MIN_VALUE;
  private long[] packed = new long[0];
  private int[] compacted;

  private long lineStart;
  private long lineEnd;
  private long dataLength;
  private long skippedLines;
  private boolean abandoned;

  TraceIndexBuilder(byte signal) {
    this(signal, MAX_TRACES);
  }

  TraceIndexBuilder(byte signal, int maxTraces) {
    this.signal = signal;
    this.maxTraces = maxTraces;
  }

  /**
   * Empties the index for another file, keeping its arrays: a writer's indexes take turns. Not for
   * an index given up, whose arrays are gone.
   */
  void reset() {
    nextGeneration();
    lineFirst = 0;
    size = 0;
    compacted = null;
    stringIds.clear();
    strings.clear();
    sets.subList(1, sets.size()).clear();
    setIds.keySet().retainAll(List.of("[]"));
    setWith.clear();
    lastService = null;
    lastSetFrom = -1;
    lastSetService = -1;
    minStart = Long.MAX_VALUE;
    maxStart = Long.MIN_VALUE;
    lineStart = 0;
    lineEnd = 0;
    dataLength = 0;
    skippedLines = 0;
    abandoned = false;
  }

  /** The items that follow are in the line at {@code [start, end)} of the file. */
  void line(long start, long end) {
    nextGeneration();
    lineFirst = size;
    this.lineStart = start;
    this.lineEnd = end;
    this.dataLength = Math.max(dataLength, end);
  }

  /** A line that could not be read; counted in the index for the readers' totals. */
  void skippedLine(long end) {
    skippedLines++;
    this.dataLength = Math.max(dataLength, end);
  }

  /** Entries so far: a trace's part of each line. */
  int entries() {
    return size;
  }

  /** Bytes of the file covered so far. */
  long dataLength() {
    return dataLength;
  }

  /** Whether the index was given up: too many traces, or a line it missed. */
  boolean abandoned() {
    return abandoned;
  }

  /** Gives the index up, for a write that failed after its line was indexed. */
  void abandon() {
    abandoned = true;
    slots = new int[0];
    slotGeneration = new int[0];
    high = low = start = end = rootStart = firstLine = lastLineEnd = new long[0];
    items = errors = rootName = rootService = serviceSet = new int[0];
    rootHasNoParent = new boolean[0];
    size = 0;
  }

  /**
   * A span in the current line; {@code traceId} is 32 lowercase hex digits (others are not
   * indexed).
   */
  void span(
      String traceId,
      boolean noParent,
      String name,
      String service,
      long startNanos,
      long endNanos,
      boolean error) {
    int entry = entry(traceId);
    if (entry < 0) {
      return;
    }
    start[entry] = Math.min(start[entry], startNanos);
    end[entry] = Math.max(end[entry], endNanos);
    minStart = Math.min(minStart, startNanos);
    maxStart = Math.max(maxStart, startNanos);
    if (error) {
      errors[entry]++;
    }
    int serviceId = serviceId(service);
    // the earliest span without a parent, else the earliest span
    if ((noParent && !rootHasNoParent[entry])
        || (noParent == rootHasNoParent[entry] && startNanos < rootStart[entry])) {
      rootName[entry] = stringId(name);
      rootService[entry] = serviceId;
      rootStart[entry] = startNanos;
      rootHasNoParent[entry] = noParent;
    }
    serviceSet[entry] = withService(serviceSet[entry], serviceId);
  }

  /** A log record of the trace {@code traceId} in the current line. */
  void record(String traceId) {
    entry(traceId);
  }

  /** The index of what was added, held in memory and sorted by trace id; null if given up. */
  TraceIndex build() {
    if (abandoned) {
      return null;
    }
    int[] order = compact();
    TraceIndex.Entries sorted = new TraceIndex.Entries(order.length, signal);
    TraceIndex.Entry entry = new TraceIndex.Entry();
    for (int i : order) {
      sorted.add(fill(entry, i));
    }
    return new TraceIndex(
        dataLength, skippedLines, List.copyOf(strings), List.copyOf(sets), sorted);
  }

  /**
   * Merges the entries of each trace (one per line it is in) into its first, in trace-id order;
   * returns the positions of the merged entries in that order. Once, before the index is written.
   */
  int[] compact() {
    if (compacted != null) {
      return compacted;
    }
    int[] order = sortedOrder();
    int heads = 0;
    for (int k = 0; k < order.length; ) {
      int head = order[k];
      int next = k + 1;
      while (next < order.length
          && high[order[next]] == high[head]
          && low[order[next]] == low[head]) {
        merge(head, order[next]);
        next++;
      }
      order[heads++] = head;
      k = next;
    }
    compacted = Arrays.copyOf(order, heads);
    return compacted;
  }

  private void merge(int into, int from) {
    start[into] = Math.min(start[into], start[from]);
    end[into] = Math.max(end[into], end[from]);
    firstLine[into] = Math.min(firstLine[into], firstLine[from]);
    lastLineEnd[into] = Math.max(lastLineEnd[into], lastLineEnd[from]);
    items[into] += items[from];
    errors[into] += errors[from];
    if ((rootHasNoParent[from] && !rootHasNoParent[into])
        || (rootHasNoParent[from] == rootHasNoParent[into] && rootStart[from] < rootStart[into])) {
      rootName[into] = rootName[from];
      rootService[into] = rootService[from];
      rootStart[into] = rootStart[from];
      rootHasNoParent[into] = rootHasNoParent[from];
    }
    for (int service : sets.get(serviceSet[from])) {
      serviceSet[into] = withService(serviceSet[into], service);
    }
  }

  byte signal() {
    return signal;
  }

  long skippedLines() {
    return skippedLines;
  }

  /** The earliest span start, {@link Long#MAX_VALUE} without spans. */
  long minStart() {
    return minStart;
  }

  /** The latest span start, {@link Long#MIN_VALUE} without spans. */
  long maxStart() {
    return maxStart;
  }

  List<String> strings() {
    return strings;
  }

  List<int[]> sets() {
    return sets;
  }

  /** Hands the entries at {@code order} to {@code sink}; the entry object is reused. */
  void forEach(int[] order, Consumer<TraceIndex.Entry> sink) {
    TraceIndex.Entry entry = new TraceIndex.Entry();
    for (int i : order) {
      sink.accept(fill(entry, i));
    }
  }

  private TraceIndex.Entry fill(TraceIndex.Entry entry, int i) {
    entry.high = high[i];
    entry.low = low[i];
    entry.start = start[i];
    entry.end = end[i];
    entry.rootStart = rootStart[i];
    entry.firstLine = firstLine[i];
    entry.lastLineEnd = lastLineEnd[i];
    entry.items = items[i];
    entry.errors = errors[i];
    entry.rootName = rootName[i];
    entry.rootService = rootService[i];
    entry.serviceSet = serviceSet[i];
    entry.rootHasNoParent = rootHasNoParent[i];
    return entry;
  }

  /**
   * The entries' positions in trace-id order, without boxing: the upper bits of each id with the
   * position below them, sorted as numbers, then runs of equal upper bits put in order by the whole
   * id.
   */
  private int[] sortedOrder() {
    int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, size));
    if (packed.length < size) {
      packed = new long[size];
    }
    long positionMask = (1L << bits) - 1;
    for (int i = 0; i < size; i++) {
      // the sign bit flipped, so that signed order is the ids' unsigned order
      packed[i] = ((high[i] ^ Long.MIN_VALUE) & ~positionMask) | i;
    }
    Arrays.sort(packed, 0, size);
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = (int) (packed[i] & positionMask);
    }
    for (int i = 1; i < size; i++) {
      int current = order[i];
      int j = i - 1;
      while (j >= 0
          && ((high[order[j]] ^ high[current]) & ~positionMask) == 0
          && TraceIds.compare(high[order[j]], low[order[j]], high[current], low[current]) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = current;
    }
    return order;
  }

  private int entry(String traceId) {
    if (abandoned || !TraceIds.valid(traceId)) {
      return -1;
    }
    long h = TraceIds.high(traceId);
    long l = TraceIds.low(traceId);
    int mask = slots.length - 1;
    int slot = (int) mix(h ^ l) & mask;
    while (slotGeneration[slot] == generation) {
      int entry = slots[slot];
      if (high[entry] == h && low[entry] == l) {
        items[entry]++;
        lastLineEnd[entry] = lineEnd;
        return entry;
      }
      slot = (slot + 1) & mask;
    }
    if (size == maxTraces) {
      abandon();
      return -1;
    }
    int entry = size++;
    if (entry == high.length) {
      grow();
    }
    slots[slot] = entry;
    slotGeneration[slot] = generation;
    high[entry] = h;
    low[entry] = l;
    start[entry] = Long.MAX_VALUE;
    end[entry] = Long.MIN_VALUE;
    rootStart[entry] = Long.MAX_VALUE;
    rootName[entry] = -1;
    rootService[entry] = -1;
    rootHasNoParent[entry] = false;
    errors[entry] = 0;
    serviceSet[entry] = 0;
    firstLine[entry] = lineStart;
    lastLineEnd[entry] = lineEnd;
    items[entry] = 1;
    if ((size - lineFirst) * 2 > slots.length) {
      widenLineTable();
    }
    return entry;
  }

  @SuppressWarnings("ReferenceEquality") // spans of one resource hand out one String: no lookup
  private int serviceId(String service) {
    if (service != lastService) {
      lastServiceId = stringId(service);
      lastService = service;
    }
    return lastServiceId;
  }

  private int stringId(String text) {
    Integer id = stringIds.get(text);
    if (id == null) {
      id = strings.size();
      strings.add(text);
      stringIds.put(text, id);
    }
    return id;
  }

  private int withService(int set, int service) {
    if (set == lastSetFrom && service == lastSetService) {
      return lastSetTo;
    }
    lastSetFrom = set;
    lastSetService = service;
    lastSetTo = widen(set, service);
    return lastSetTo;
  }

  private int widen(int set, int service) {
    for (int member : sets.get(set)) {
      if (member == service) {
        return set;
      }
    }
    long key = ((long) set << 32) | service;
    Integer next = setWith.get(key);
    if (next == null) {
      int[] members = sets.get(set);
      int[] wider = Arrays.copyOf(members, members.length + 1);
      wider[members.length] = service;
      Arrays.sort(wider);
      next = setIds.computeIfAbsent(Arrays.toString(wider), unused -> addSet(wider));
      setWith.put(key, next);
    }
    return next;
  }

  private int addSet(int[] members) {
    sets.add(members);
    return sets.size() - 1;
  }

  private void grow() {
    int capacity = high.length * 2;
    high = Arrays.copyOf(high, capacity);
    low = Arrays.copyOf(low, capacity);
    start = Arrays.copyOf(start, capacity);
    end = Arrays.copyOf(end, capacity);
    rootStart = Arrays.copyOf(rootStart, capacity);
    firstLine = Arrays.copyOf(firstLine, capacity);
    lastLineEnd = Arrays.copyOf(lastLineEnd, capacity);
    items = Arrays.copyOf(items, capacity);
    errors = Arrays.copyOf(errors, capacity);
    rootName = Arrays.copyOf(rootName, capacity);
    rootService = Arrays.copyOf(rootService, capacity);
    serviceSet = Arrays.copyOf(serviceSet, capacity);
    rootHasNoParent = Arrays.copyOf(rootHasNoParent, capacity);
  }

  /** A line with more traces than the table holds well: a table twice as large for it. */
  private void widenLineTable() {
    slots = new int[slots.length * 2];
    slotGeneration = new int[slots.length];
    generation = 1;
    int mask = slots.length - 1;
    for (int entry = lineFirst; entry < size; entry++) {
      int slot = (int) mix(high[entry] ^ low[entry]) & mask;
      while (slotGeneration[slot] == generation) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = entry;
      slotGeneration[slot] = generation;
    }
  }

  private void nextGeneration() {
    if (generation == Integer.MAX_VALUE) {
      Arrays.fill(slotGeneration, 0);
      generation = 0;
    }
    generation++;
  }

  private static long mix(long value) {
    long x = value * 0x9E3779B97F4A7C15L;
    return x ^ (x >>> 29);
  }
}
