package dev.otelretention.exporter.file;

import dev.otelretention.traces.TraceFilter;
import dev.otelretention.traces.TraceSummary;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A list of traces from the indexes of several files: their entries merged by trace id, so that a
 * trace whose spans are in several files is summed up whole, and only the best {@code limit} kept.
 */
final class TraceListing {
  private static final Comparator<Listed> WORST_FIRST =
      Comparator.comparingLong(Listed::start)
          .thenComparing(Listed::traceId, Comparator.reverseOrder());

  private final TraceFilter filter;
  private final long minDuration;
  private final long since;
  private final long until;
  private final PriorityQueue<Listed> best = new PriorityQueue<>(WORST_FIRST);

  TraceListing(TraceFilter filter) {
    this.filter = filter;
    this.minDuration = filter.minDuration().toNanos();
    this.since = filter.since() == null ? Long.MIN_VALUE : nanos(filter.since());
    this.until = filter.until() == null ? Long.MAX_VALUE : nanos(filter.until());
  }

  List<TraceSummary> list(List<TraceIndex> indexes) throws IOException {
    PriorityQueue<Head> heads =
        new PriorityQueue<>(
            (a, b) -> TraceIds.compare(a.entry.high, a.entry.low, b.entry.high, b.entry.low));
    for (TraceIndex index : indexes) {
      Head head = new Head(index, filter.service());
      if (head.advance()) {
        heads.add(head);
      }
    }
    Trace trace = new Trace();
    while (!heads.isEmpty()) {
      Head first = heads.poll();
      trace.start(first);
      if (first.advance()) {
        heads.add(first);
      }
      while (!heads.isEmpty()
          && heads.peek().entry.high == trace.high
          && heads.peek().entry.low == trace.low) {
        Head same = heads.poll();
        trace.add(same);
        if (same.advance()) {
          heads.add(same);
        }
      }
      consider(trace);
    }
    List<Listed> listed = new ArrayList<>(best);
    listed.sort(WORST_FIRST.reversed());
    List<TraceSummary> summaries = new ArrayList<>(listed.size());
    for (Listed one : listed) {
      summaries.add(one.summary());
    }
    return List.copyOf(summaries);
  }

  private void consider(Trace trace) {
    if (!trace.hasService
        || trace.start < since
        || trace.start >= until
        || trace.end - trace.start < minDuration
        || (filter.errorsOnly() && trace.errors == 0)) {
      return;
    }
    if (best.size() == filter.limit()) {
      Listed worst = best.peek();
      if (trace.start < worst.start) {
        return;
      }
      String id = TraceIds.text(trace.high, trace.low);
      if (trace.start == worst.start && id.compareTo(worst.traceId) > 0) {
        return;
      }
      best.poll();
      best.add(trace.listed(id));
    } else {
      best.add(trace.listed(TraceIds.text(trace.high, trace.low)));
    }
  }

  static long nanos(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
  }

  /** One index being read, and its current entry. */
  private static final class Head {
    final TraceIndex index;
    final TraceIndex.Cursor cursor;
    final TraceIndex.Entry entry = new TraceIndex.Entry();
    final boolean[] setsWithService;

    Head(TraceIndex index, String service) {
      this.index = index;
      this.cursor = index.cursor();
      this.setsWithService = service == null ? null : index.setsWith(service);
    }

    boolean advance() throws IOException {
      return cursor.next(entry);
    }

    boolean hasService() {
      return setsWithService == null || setsWithService[entry.serviceSet];
    }
  }

  /** The trace being summed up from its entries in the files. */
  private static final class Trace {
    long high;
    long low;
    long start;
    long end;
    long spans;
    long errors;
    String rootName;
    String rootService;
    long rootStart;
    boolean rootHasNoParent;
    boolean hasService;

    void start(Head head) {
      TraceIndex.Entry entry = head.entry;
      high = entry.high;
      low = entry.low;
      start = Long.MAX_VALUE;
      end = Long.MIN_VALUE;
      spans = 0;
      errors = 0;
      rootStart = Long.MAX_VALUE;
      rootHasNoParent = false;
      rootName = "";
      rootService = "";
      hasService = false;
      add(head);
    }

    void add(Head head) {
      TraceIndex.Entry entry = head.entry;
      start = Math.min(start, entry.start);
      end = Math.max(end, entry.end);
      spans += entry.items;
      errors += entry.errors;
      hasService |= head.hasService();
      // the earliest span without a parent, else the earliest span
      if ((entry.rootHasNoParent && !rootHasNoParent)
          || (entry.rootHasNoParent == rootHasNoParent && entry.rootStart < rootStart)) {
        rootName = head.index.string(entry.rootName);
        rootService = head.index.string(entry.rootService);
        rootStart = entry.rootStart;
        rootHasNoParent = entry.rootHasNoParent;
      }
    }

    Listed listed(String traceId) {
      return new Listed(traceId, rootName, rootService, start, end, spans, errors);
    }
  }

  /** A trace kept for the list. */
  private record Listed(
      String traceId,
      String rootName,
      String service,
      long start,
      long end,
      long spans,
      long errors) {
    TraceSummary summary() {
      return new TraceSummary(
          traceId,
          rootName,
          service,
          Instant.ofEpochSecond(0, start),
          Duration.ofNanos(Math.max(0, end - start)),
          spans,
          errors);
    }
  }
}
