package dev.otelretention.traces;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sums up spans into one {@link TraceSummary} per trace as they are read, keeping a few numbers per
 * trace rather than the spans, so a list can be made of more spans than fit in memory. Not
 * thread-safe.
 */
public final class TraceCollector {
  private final Map<String, Totals> traces = new HashMap<>();

  /** Adds a span to its trace. */
  public void add(TraceSpan span) {
    traces.computeIfAbsent(span.traceId(), unused -> new Totals()).add(span);
  }

  /** How many traces were seen. */
  public int traceCount() {
    return traces.size();
  }

  /** The traces {@code filter} lets through, the most recent first. */
  public List<TraceSummary> summaries(TraceFilter filter) {
    List<TraceSummary> matching = new ArrayList<>();
    for (Map.Entry<String, Totals> entry : traces.entrySet()) {
      Totals totals = entry.getValue();
      if (filter.service() != null && !totals.services.contains(filter.service())) {
        continue;
      }
      TraceSummary summary = totals.summary(entry.getKey());
      if (filter.matches(summary)) {
        matching.add(summary);
      }
    }
    matching.sort(
        Comparator.comparing(TraceSummary::start).reversed().thenComparing(TraceSummary::traceId));
    return matching.size() > filter.limit()
        ? List.copyOf(matching.subList(0, filter.limit()))
        : List.copyOf(matching);
  }

  private static final class Totals {
    private long start = Long.MAX_VALUE;
    private long end = Long.MIN_VALUE;
    private long spans;
    private long errors;
    private String rootName;
    private String rootService;
    private long rootStart = Long.MAX_VALUE;
    private boolean rootHasNoParent;
    private final Set<String> services = new HashSet<>(2);

    void add(TraceSpan span) {
      start = Math.min(start, span.startEpochNanos());
      end = Math.max(end, span.endEpochNanos());
      spans++;
      if (span.error()) {
        errors++;
      }
      services.add(span.service());
      boolean noParent = span.parentSpanId().isEmpty();
      // the earliest span without a parent, else the earliest span
      if ((noParent && !rootHasNoParent)
          || (noParent == rootHasNoParent && span.startEpochNanos() < rootStart)) {
        rootName = span.name();
        rootService = span.service();
        rootStart = span.startEpochNanos();
        rootHasNoParent = noParent;
      }
    }

    TraceSummary summary(String traceId) {
      return new TraceSummary(
          traceId,
          rootName,
          rootService,
          Instant.ofEpochSecond(0, start),
          Duration.ofNanos(Math.max(0, end - start)),
          spans,
          errors);
    }
  }
}
