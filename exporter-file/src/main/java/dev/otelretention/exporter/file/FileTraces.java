package dev.otelretention.exporter.file;

import dev.otelretention.export.Signal;
import dev.otelretention.otlpjson.OtlpJsonDecoder;
import dev.otelretention.traces.OtlpJsonSpans;
import dev.otelretention.traces.Trace;
import dev.otelretention.traces.TraceCollector;
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
import java.time.Instant;
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
   * The traces {@code filter} lets through, the most recent first, from one pass over the span
   * files.
   */
  public List<TraceSummary> list(TraceFilter filter) throws IOException {
    Objects.requireNonNull(filter, "filter");
    TraceCollector collector = new TraceCollector();
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(activeFile(Signal.TRACES))) {
      while (reader.hasNext()) {
        List<TraceSpan> line = new ArrayList<>();
        try {
          OtlpJsonSpans.read(reader.next().json(), line::add);
        } catch (IllegalArgumentException e) {
          skippedLines++;
          continue;
        }
        for (TraceSpan span : line) {
          if (filter.until() == null
              || Instant.ofEpochSecond(0, span.startEpochNanos()).isBefore(filter.until())) {
            collector.add(span);
          }
        }
      }
      skippedLines += reader.skipped().size();
    }
    return collector.summaries(filter);
  }

  /**
   * The trace {@code traceId} with its log records, or empty when no span of it is in the files.
   *
   * @throws IllegalArgumentException if {@code traceId} is not 32 hex digits
   */
  public Optional<Trace> find(String traceId) throws IOException {
    String id = Objects.requireNonNull(traceId, "traceId").toLowerCase(Locale.ROOT);
    if (!TRACE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a trace id is 32 hex digits, got '" + traceId + "'");
    }
    List<TraceSpan> spans = new ArrayList<>();
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(activeFile(Signal.TRACES))) {
      while (reader.hasNext()) {
        OtlpJsonRecord record = reader.next();
        // OTLP/JSON writes ids as hex: a line without the id holds none of the trace's spans
        if (record.json().contains(id)) {
          for (SpanData span : spans(record)) {
            if (span.getTraceId().equals(id)) {
              spans.add(toTraceSpan(span));
            }
          }
        }
      }
      skippedLines += reader.skipped().size();
    }
    if (spans.isEmpty()) {
      return Optional.empty();
    }
    List<TraceLog> logs = new ArrayList<>();
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(activeFile(Signal.LOGS))) {
      while (reader.hasNext()) {
        OtlpJsonRecord record = reader.next();
        if (record.json().contains(id)) {
          for (LogRecordData log : logs(record)) {
            if (log.getSpanContext().getTraceId().equals(id)) {
              logs.add(toTraceLog(log));
            }
          }
        }
      }
      skippedLines += reader.skipped().size();
    }
    return Optional.of(new Trace(id, spans, logs));
  }

  /** Lines skipped so far because they were incomplete or not OTLP/JSON. */
  public long skippedLines() {
    return skippedLines;
  }

  private Path activeFile(Signal signal) {
    return directory.resolve(RotatingFileExporters.fileName(signal));
  }

  private List<SpanData> spans(OtlpJsonRecord record) {
    try {
      return OtlpJsonDecoder.decode(record.json()).spans();
    } catch (IllegalArgumentException e) {
      skippedLines++;
      return List.of();
    }
  }

  private List<LogRecordData> logs(OtlpJsonRecord record) {
    try {
      return OtlpJsonDecoder.decode(record.json()).logs();
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
