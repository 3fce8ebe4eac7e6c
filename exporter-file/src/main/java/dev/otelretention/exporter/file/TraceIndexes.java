package dev.otelretention.exporter.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.otelretention.traces.OtlpJsonSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Making and finding the index of a telemetry file: fed by the writer as it writes, or rebuilt by
 * reading the file when its index is missing, stale or of another format.
 */
final class TraceIndexes {
  private static final Logger logger = Logger.getLogger(TraceIndexes.class.getName());
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final JsonFactory JSON = new JsonFactory();

  private TraceIndexes() {}

  /** What the writer tells the index of each line it writes. */
  interface Feed<T> {
    void add(Collection<T> items, TraceIndexBuilder index);

    /** The signal code of the index files it makes. */
    byte signal();
  }

  /** The spans of a line, for the traces file's index; one per writer. */
  static Feed<SpanData> spans() {
    return new Feed<>() {
      private Resource lastResource;
      private String lastService = "";

      @Override
      public void add(Collection<SpanData> spans, TraceIndexBuilder index) {
        for (SpanData span : spans) {
          index.span(
              span.getTraceId(),
              !span.getParentSpanContext().isValid(),
              span.getName(),
              service(span.getResource()),
              span.getStartEpochNanos(),
              span.getEndEpochNanos(),
              span.getStatus().getStatusCode() == StatusCode.ERROR);
        }
      }

      @Override
      public byte signal() {
        return TraceIndexFile.SPANS;
      }

      // called under the writer's lock
      private String service(Resource resource) {
        if (resource != lastResource) {
          String name = resource.getAttribute(SERVICE_NAME);
          lastService = name == null ? "" : name;
          lastResource = resource;
        }
        return lastService;
      }
    };
  }

  /** The log records of a line that belong to a trace, for the logs file's index. */
  static final Feed<LogRecordData> LOG_RECORDS =
      new Feed<>() {
        @Override
        public void add(Collection<LogRecordData> logs, TraceIndexBuilder index) {
          for (LogRecordData log : logs) {
            if (log.getSpanContext().isValid()) {
              index.record(log.getSpanContext().getTraceId());
            }
          }
        }

        @Override
        public byte signal() {
          return TraceIndexFile.LOG_RECORDS;
        }
      };

  /**
   * The index of a rotated file: its index file if that is current, else one rebuilt by reading the
   * file and written beside it for the next reader (where the directory allows).
   */
  static TraceIndex ofBackup(Path dataFile, byte signal) throws IOException {
    Path indexFile = TraceIndexFile.pathFor(dataFile);
    TraceIndex stored = TraceIndexFile.open(indexFile, signal);
    if (stored != null) {
      if (TraceIndexFile.compressed(dataFile) || Files.size(dataFile) == stored.dataLength()) {
        return stored;
      }
      stored.close();
    }
    TraceIndexBuilder built = scan(dataFile, signal);
    if (!TraceIndexFile.ofOtherFormat(indexFile)) {
      // a later version's index stays for that version
      try {
        TraceIndexFile.write(indexFile, built);
        TraceIndex written = TraceIndexFile.open(indexFile, signal);
        if (written != null) {
          return written;
        }
      } catch (IOException | RuntimeException e) {
        logger.log(
            Level.FINE, "otel-retention: could not write the index " + indexFile + ": " + e, e);
      }
    }
    return built.build();
  }

  /** The index of the active file, read from it: it has no index file until it is rotated. */
  static TraceIndex ofActive(Path dataFile, byte signal) throws IOException {
    return Files.exists(dataFile) ? scan(dataFile, signal).build() : null;
  }

  /** Reads a file into an index; unreadable lines are counted in it. */
  static TraceIndexBuilder scan(Path dataFile, byte signal) throws IOException {
    TraceIndexBuilder index = new TraceIndexBuilder(signal, Integer.MAX_VALUE);
    try (DataLines lines = DataLines.open(dataFile, 0)) {
      while (lines.next()) {
        if (!lines.terminated()) {
          index.skippedLine(lines.end());
          continue;
        }
        if (lines.isEmpty()) {
          continue;
        }
        index.line(lines.start(), lines.end());
        try {
          if (signal == TraceIndexFile.SPANS) {
            OtlpJsonSpans.read(
                lines.text(),
                span ->
                    index.span(
                        span.traceId(),
                        span.parentSpanId().isEmpty(),
                        span.name(),
                        span.service(),
                        span.startEpochNanos(),
                        span.endEpochNanos(),
                        span.error()));
          } else {
            logTraceIds(lines.text(), index);
          }
        } catch (IllegalArgumentException e) {
          index.skippedLine(lines.end());
        }
      }
    } catch (IOException e) {
      // a damaged compressed tail: what was read is indexed, the rest counts as one skipped line
      index.skippedLine(index.dataLength());
    }
    return index;
  }

  private static void logTraceIds(String json, TraceIndexBuilder index) {
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      int depth = 1;
      while (depth > 0) {
        JsonToken token = parser.nextToken();
        if (token == null) {
          throw new IllegalArgumentException("the JSON object is not closed");
        }
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        } else if (token == JsonToken.FIELD_NAME
            && (parser.currentName().equals("traceId")
                || parser.currentName().equals("trace_id"))) {
          if (parser.nextToken() == JsonToken.VALUE_STRING) {
            index.record(parser.getText().toLowerCase(Locale.ROOT));
          } else {
            parser.skipChildren();
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not OTLP/JSON: " + e.getMessage(), e);
    }
  }
}
