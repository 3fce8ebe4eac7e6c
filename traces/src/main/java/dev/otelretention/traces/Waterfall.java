package dev.otelretention.traces;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Draws a {@link Trace} as a waterfall of text lines: its spans as an indented tree (children under
 * their parent, by start time), each with a bar whose position and length are its start and
 * duration on the trace's time line, its duration, its status when it is an error, and a few key
 * attributes; each log record under the span it was recorded in, by time. Spans whose parent is not
 * in the trace are drawn at the top level.
 */
public final class Waterfall {
  /** Attributes shown beside a span, in this order, when it has them. */
  private static final List<String> KEY_ATTRIBUTES =
      List.of(
          "http.request.method",
          "http.method",
          "http.route",
          "url.full",
          "http.response.status_code",
          "http.status_code",
          "db.system",
          "db.query.text",
          "db.statement",
          "rpc.method",
          "messaging.destination.name",
          "exception.type");

  private static final int MAX_ATTRIBUTES = 3;
  private static final int MAX_VALUE_LENGTH = 60;
  private static final int MAX_NAME_COLUMN = 48;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final int barWidth;

  private Waterfall(int barWidth) {
    this.barWidth = barWidth;
  }

  /**
   * A waterfall whose bars are {@code barWidth} characters wide for the whole trace.
   *
   * @throws IllegalArgumentException if {@code barWidth} is below 10
   */
  public static Waterfall withBarWidth(int barWidth) {
    if (barWidth < 10) {
      throw new IllegalArgumentException("barWidth must be at least 10, got " + barWidth);
    }
    return new Waterfall(barWidth);
  }

  /** The waterfall of {@code trace}: a heading line, then one line per span and log record. */
  public List<String> render(Trace trace) {
    List<String> lines = new ArrayList<>();
    if (trace.spans().isEmpty()) {
      lines.add("trace " + trace.traceId() + ": no spans");
      return lines;
    }
    TraceSummary summary = trace.summary();
    lines.add(
        "trace "
            + trace.traceId()
            + "  "
            + summary.service()
            + "  "
            + summary.rootName()
            + "  "
            + Durations.format(summary.duration().toNanos())
            + "  "
            + summary.spans()
            + (summary.spans() == 1 ? " span" : " spans")
            + (summary.errors() == 0
                ? ""
                : "  " + summary.errors() + (summary.errors() == 1 ? " error" : " errors"))
            + "  started "
            + DateTimeFormatter.ISO_INSTANT.format(summary.start().truncatedTo(ChronoUnit.MILLIS)));

    Map<String, List<TraceSpan>> children = new HashMap<>();
    Set<String> ids = new HashSet<>();
    for (TraceSpan span : trace.spans()) {
      ids.add(span.spanId());
    }
    List<TraceSpan> roots = new ArrayList<>();
    for (TraceSpan span : trace.spans()) {
      if (span.parentSpanId().isEmpty()
          || span.parentSpanId().equals(span.spanId())
          || !ids.contains(span.parentSpanId())) {
        roots.add(span);
      } else {
        children.computeIfAbsent(span.parentSpanId(), unused -> new ArrayList<>()).add(span);
      }
    }
    Map<String, List<TraceLog>> logsBySpan = new LinkedHashMap<>();
    List<TraceLog> unplaced = new ArrayList<>();
    for (TraceLog log : trace.logs()) {
      if (ids.contains(log.spanId())) {
        logsBySpan.computeIfAbsent(log.spanId(), unused -> new ArrayList<>()).add(log);
      } else {
        unplaced.add(log);
      }
    }

    List<Row> rows = new ArrayList<>();
    for (TraceSpan root : roots) {
      walk(root, 0, children, rows, new HashSet<>());
    }
    int nameColumn = 0;
    for (Row row : rows) {
      nameColumn = Math.max(nameColumn, 2 * row.depth + 2 + row.span.name().length());
    }
    nameColumn = Math.min(nameColumn, MAX_NAME_COLUMN);
    int serviceColumn = 0;
    for (TraceSpan span : trace.spans()) {
      serviceColumn = Math.max(serviceColumn, span.service().length());
    }
    serviceColumn = Math.min(serviceColumn, 24);

    long start = trace.spans().stream().mapToLong(TraceSpan::startEpochNanos).min().orElse(0);
    long total = Math.max(1, summary.duration().toNanos());
    for (Row row : rows) {
      TraceSpan span = row.span;
      String label = "  ".repeat(row.depth) + (span.error() ? "! " : "  ") + span.name();
      StringBuilder line = new StringBuilder();
      line.append(pad(label, nameColumn)).append(' ');
      line.append(pad(span.service(), serviceColumn)).append(' ');
      line.append('|').append(bar(span.startEpochNanos() - start, span.durationNanos(), total));
      line.append("| ");
      String duration = Durations.format(span.durationNanos());
      line.append(" ".repeat(Math.max(0, 10 - duration.length()))).append(duration);
      if (span.error()) {
        line.append("  ERROR");
        if (!span.statusMessage().isEmpty()) {
          line.append(' ').append(clip(span.statusMessage()));
        }
      }
      String attributes = keyAttributes(span);
      if (!attributes.isEmpty()) {
        line.append("  ").append(attributes);
      }
      lines.add(line.toString().stripTrailing());
      for (TraceLog log : logsBySpan.getOrDefault(span.spanId(), List.of())) {
        lines.add(logLine(log, row.depth + 2));
      }
    }
    if (!unplaced.isEmpty()) {
      lines.add("log records of the trace outside its spans:");
      for (TraceLog log : unplaced) {
        lines.add(logLine(log, 1));
      }
    }
    return lines;
  }

  private static void walk(
      TraceSpan span,
      int depth,
      Map<String, List<TraceSpan>> children,
      List<Row> rows,
      Set<String> visited) {
    if (!visited.add(span.spanId())) {
      return;
    }
    rows.add(new Row(span, depth));
    for (TraceSpan child : children.getOrDefault(span.spanId(), List.of())) {
      walk(child, depth + 1, children, rows, visited);
    }
  }

  private String bar(long offsetNanos, long durationNanos, long totalNanos) {
    int from = (int) Math.min(barWidth - 1, Math.max(0, offsetNanos * barWidth / totalNanos));
    int length =
        (int)
            Math.max(
                1,
                Math.min(
                    barWidth - from, Math.round((double) durationNanos * barWidth / totalNanos)));
    return " ".repeat(from) + "█".repeat(length) + " ".repeat(barWidth - from - length);
  }

  private static String logLine(TraceLog log, int depth) {
    return "  ".repeat(depth)
        + "· "
        + TIME.format(Instant.ofEpochSecond(0, log.epochNanos()))
        + " "
        + (log.severity().isEmpty() ? "" : log.severity() + " ")
        + clip(log.body().replace('\n', ' '));
  }

  private static String keyAttributes(TraceSpan span) {
    List<String> shown = new ArrayList<>();
    for (String key : KEY_ATTRIBUTES) {
      String value = span.attributes().get(key);
      if (value != null && shown.size() < MAX_ATTRIBUTES) {
        shown.add(key + "=" + clip(value));
      }
    }
    return String.join(" ", shown);
  }

  private static String clip(String text) {
    return text.length() > MAX_VALUE_LENGTH ? text.substring(0, MAX_VALUE_LENGTH - 1) + "…" : text;
  }

  private static String pad(String text, int width) {
    if (text.length() > width) {
      return text.substring(0, width - 1) + "…";
    }
    return text + " ".repeat(width - text.length());
  }

  private record Row(TraceSpan span, int depth) {}
}
