package dev.otelretention.exporter.file;

import dev.otelretention.export.Signal;
import dev.otelretention.otlpjson.OtlpJsonDecoder;
import dev.otelretention.traces.Trace;
import dev.otelretention.traces.TraceFilter;
import dev.otelretention.traces.TraceLog;
import dev.otelretention.traces.TraceSpan;
import dev.otelretention.traces.TraceSummary;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The traces in a directory of telemetry files ({@code traces.jsonl} and {@code logs.jsonl}, with
 * their rotated, possibly compressed backups), for the trace views. Lines that are not OTLP/JSON
 * are skipped and counted.
 *
 * <pre>{@code
 * FileTraces files = FileTraces.in(Path.of("telemetry"));
 * List<TraceSummary> recent = files.list(TraceFilter.builder().errorsOnly(true).build());
 * Optional<Trace> trace = files.find(recent.get(0).traceId());
 * }</pre>
 */
public final class FileTraces {
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");

  private final Path directory;
  private long skippedLines;

  private FileTraces(Path directory) {
    this.directory = directory;
  }

  /** The telemetry files in {@code directory}. */
  public static FileTraces in(Path directory) {
    return new FileTraces(Objects.requireNonNull(directory, "directory"));
  }

  /**
   * The traces {@code filter} lets through, the most recent first. Rotated files are read through
   * their indexes (rebuilt and written beside them where missing), the active file from its lines;
   * memory holds one entry per file and the traces listed, whatever the size of the directory.
   */
  public List<TraceSummary> list(TraceFilter filter) throws IOException {
    Objects.requireNonNull(filter, "filter");
    List<TraceIndex> indexes = new ArrayList<>();
    try {
      Long since = filter.since() == null ? null : TraceListing.nanos(filter.since());
      for (Path file : OtlpJsonFiles.files(activeFile(Signal.TRACES))) {
        TraceIndex index = index(file, TraceIndexFile.SPANS);
        if (index == null) {
          continue;
        }
        skippedLines += index.skippedLines();
        // a trace with a span that starts before the bound starts before it too
        if (since != null && index.maxStart() < since) {
          index.close();
        } else {
          indexes.add(index);
        }
      }
      return new TraceListing(filter).list(indexes);
    } finally {
      for (TraceIndex index : indexes) {
        index.close();
      }
    }
  }

  /**
   * The trace {@code traceId} with its log records, or empty when no span of it is in the files. Of
   * a rotated file only the lines its index names are read.
   *
   * @throws IllegalArgumentException if {@code traceId} is not 32 hex digits
   */
  public Optional<Trace> find(String traceId) throws IOException {
    String id = Objects.requireNonNull(traceId, "traceId").toLowerCase(Locale.ROOT);
    if (!TRACE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a trace id is 32 hex digits, got '" + traceId + "'");
    }
    List<TraceSpan> spans = new ArrayList<>();
    for (String json : linesOf(id, Signal.TRACES, TraceIndexFile.SPANS)) {
      for (SpanData span : spans(json)) {
        if (span.getTraceId().equals(id)) {
          spans.add(toTraceSpan(span));
        }
      }
    }
    if (spans.isEmpty()) {
      return Optional.empty();
    }
    List<TraceLog> logs = new ArrayList<>();
    for (String json : linesOf(id, Signal.LOGS, TraceIndexFile.LOG_RECORDS)) {
      for (LogRecordData log : logs(json)) {
        if (log.getSpanContext().getTraceId().equals(id)) {
          logs.add(toTraceLog(log));
        }
      }
    }
    return Optional.of(new Trace(id, spans, logs));
  }

  /** The lines of the signal's files that hold the text {@code id}, oldest first. */
  private List<String> linesOf(String id, Signal signal, byte indexSignal) throws IOException {
    long high = TraceIds.high(id);
    long low = TraceIds.low(id);
    Path active = activeFile(signal).toAbsolutePath();
    List<String> found = new ArrayList<>();
    TraceIndex.Entry entry = new TraceIndex.Entry();
    for (Path file : OtlpJsonFiles.files(activeFile(signal))) {
      long from = 0;
      long to = Long.MAX_VALUE;
      if (!file.equals(active)) {
        try (TraceIndex index = TraceIndexes.ofBackup(file, indexSignal)) {
          if (!index.find(high, low, entry)) {
            continue;
          }
          from = entry.firstLine;
          to = entry.lastLineEnd;
        }
      }
      try {
        if (TraceIndexFile.compressed(file)) {
          readCompressed(file, from, to, id, found);
        } else {
          skippedLines +=
              LineSearch.find(
                  file, from, to, id, line -> found.add(TraceLineFilter.keep(line, id)));
        }
      } catch (IOException e) {
        skippedLines++;
      }
    }
    return found;
  }

  private void readCompressed(Path file, long from, long to, String id, List<String> found)
      throws IOException {
    try (DataLines lines = DataLines.open(file, from)) {
      while (lines.end() < to && lines.next()) {
        if (!lines.terminated()) {
          skippedLines++;
        } else if (lines.contains(id)) {
          found.add(TraceLineFilter.keep(lines.text(), id));
        }
      }
    }
  }

  private TraceIndex index(Path file, byte signal) throws IOException {
    return file.equals(activeFile(Signal.TRACES).toAbsolutePath())
        ? TraceIndexes.ofActive(file, signal)
        : TraceIndexes.ofBackup(file, signal);
  }

  /** Lines skipped so far because they were incomplete or not OTLP/JSON. */
  public long skippedLines() {
    return skippedLines;
  }

  private Path activeFile(Signal signal) {
    return directory.resolve(RotatingFileExporters.fileName(signal));
  }

  private List<SpanData> spans(String json) {
    try {
      return OtlpJsonDecoder.decode(json).spans();
    } catch (IllegalArgumentException e) {
      skippedLines++;
      return List.of();
    }
  }

  private List<LogRecordData> logs(String json) {
    try {
      return OtlpJsonDecoder.decode(json).logs();
    } catch (IllegalArgumentException e) {
      skippedLines++;
      return List.of();
    }
  }

  static TraceSpan toTraceSpan(SpanData span) {
    return new TraceSpan(
        span.getTraceId(),
        span.getSpanId(),
        span.getParentSpanContext().isValid() ? span.getParentSpanId() : "",
        span.getName(),
        service(span.getResource()),
        span.getStartEpochNanos(),
        span.getEndEpochNanos(),
        span.getStatus().getStatusCode() == StatusCode.ERROR,
        span.getStatus().getDescription(),
        text(span.getAttributes()));
  }

  static TraceLog toTraceLog(LogRecordData log) {
    long at =
        log.getTimestampEpochNanos() != 0
            ? log.getTimestampEpochNanos()
            : log.getObservedTimestampEpochNanos();
    String severity =
        log.getSeverityText() != null && !log.getSeverityText().isEmpty()
            ? log.getSeverityText()
            : log.getSeverity().name();
    Value<?> body = log.getBodyValue();
    return new TraceLog(
        at,
        log.getSpanContext().isValid() ? log.getSpanContext().getSpanId() : "",
        severity,
        body == null ? "" : body.asString(),
        service(log.getResource()));
  }

  private static String service(Resource resource) {
    String name = resource.getAttribute(SERVICE_NAME);
    return name == null ? "" : name;
  }

  private static Map<String, String> text(Attributes attributes) {
    Map<String, String> text = new LinkedHashMap<>();
    attributes.forEach((key, value) -> text.put(key.getKey(), String.valueOf(value)));
    return text;
  }
}
