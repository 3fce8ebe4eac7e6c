package dev.otelretention.traces;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One trace: its spans and the log records made in it, each sorted by time.
 *
 * @param traceId the trace id
 * @param spans its spans, by start time
 * @param logs its log records, by time
 */
public record Trace(String traceId, List<TraceSpan> spans, List<TraceLog> logs) {

  public Trace {
    Objects.requireNonNull(traceId, "traceId");
    List<TraceSpan> sortedSpans = new ArrayList<>(spans);
    sortedSpans.sort(
        Comparator.comparingLong(TraceSpan::startEpochNanos).thenComparing(TraceSpan::spanId));
    spans = List.copyOf(sortedSpans);
    List<TraceLog> sortedLogs = new ArrayList<>(logs);
    sortedLogs.sort(Comparator.comparingLong(TraceLog::epochNanos));
    logs = List.copyOf(sortedLogs);
  }

  /** This trace in a list of traces. */
  public TraceSummary summary() {
    TraceCollector collector = new TraceCollector();
    spans.forEach(collector::add);
    List<TraceSummary> one = collector.summaries(TraceFilter.builder().limit(1).build());
    if (one.isEmpty()) {
      throw new IllegalStateException("trace " + traceId + " has no spans");
    }
    return one.get(0);
  }
}
