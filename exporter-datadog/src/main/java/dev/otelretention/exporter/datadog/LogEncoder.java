package dev.otelretention.exporter.datadog;

import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;

/**
 * Log records as {@code /api/v2/logs} payloads: JSON arrays of at most 1,000 entries and 5 MB; an
 * entry over the per-entry limit has its message truncated and ends with {@value #TRUNCATED}.
 * Severity maps to Datadog's status; the trace and span ids correlate as {@code dd.trace_id}/{@code
 * dd.span_id} (decimal, lower 64 bits).
 */
final class LogEncoder {
  static final String TRUNCATED = "...[TRUNCATED]";

  /** The encoded payloads and how many entries were truncated. */
  record Result(List<JsonChunks.Chunk> chunks, int truncated) {}

  private final DatadogSettings settings;

  LogEncoder(DatadogSettings settings) {
    this.settings = settings;
  }

  Result encode(Collection<LogRecordData> logs) {
    List<byte[]> entries = new ArrayList<>(logs.size());
    int truncated = 0;
    for (LogRecordData log : logs) {
      String message = log.getBodyValue() == null ? "" : log.getBodyValue().asString();
      byte[] entry = entry(log, message);
      if (entry.length > settings.maxLogBytes()) {
        int overflow = entry.length - settings.maxLogBytes() + TRUNCATED.length() + 16;
        byte[] messageBytes = message.getBytes(StandardCharsets.UTF_8);
        int keep = Math.max(0, messageBytes.length - overflow);
        String shortened = new String(messageBytes, 0, keep, StandardCharsets.UTF_8);
        while (!shortened.isEmpty() && shortened.charAt(shortened.length() - 1) == '\uFFFD') {
          shortened = shortened.substring(0, shortened.length() - 1);
        }
        entry = entry(log, shortened + TRUNCATED);
        truncated++;
      }
      entries.add(entry);
    }
    return new Result(
        JsonChunks.pack(
            entries, "[", "]", settings.maxLogsPayloadBytes(), settings.maxLogsPerPayload()),
        truncated);
  }

  private byte[] entry(LogRecordData log, String message) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + message.length());
    try (JsonGenerator gen = WellFormedJson.generator(bytes)) {
      gen.writeStartObject();
      gen.writeStringField("message", message);
      gen.writeStringField("status", status(log.getSeverity().getSeverityNumber()));
      gen.writeStringField("service", Tags.service(settings, log.getResource()));
      String host = Tags.host(settings, log.getResource());
      if (host != null) {
        gen.writeStringField("hostname", host);
      }
      gen.writeStringField("ddsource", settings.source());
      StringJoiner tags = new StringJoiner(",");
      if (settings.env() != null) {
        tags.add(Tags.tag("env", settings.env()));
      }
      if (settings.version() != null) {
        tags.add(Tags.tag("version", settings.version()));
      }
      log.getResource()
          .getAttributes()
          .forEach(
              (key, value) -> {
                if (!key.getKey().equals("service.name") && !key.getKey().equals("host.name")) {
                  tags.add(
                      Tags.tag(
                          Tags.remap(settings.remaps(), key.getKey()),
                          Tags.text(key.getType(), value)));
                }
              });
      gen.writeStringField("ddtags", tags.toString());
      long timestamp =
          log.getTimestampEpochNanos() != 0
              ? log.getTimestampEpochNanos()
              : log.getObservedTimestampEpochNanos();
      gen.writeNumberField("timestamp", timestamp / 1_000_000L);
      if (log.getSeverityText() != null) {
        gen.writeStringField("otel.severity_text", log.getSeverityText());
      }
      SpanContext context = log.getSpanContext();
      if (context.isValid()) {
        gen.writeStringField(
            "dd.trace_id",
            Long.toUnsignedString(Long.parseUnsignedLong(context.getTraceId().substring(16), 16)));
        gen.writeStringField(
            "dd.span_id", Long.toUnsignedString(Long.parseUnsignedLong(context.getSpanId(), 16)));
        gen.writeStringField("otel.trace_id", context.getTraceId());
      }
      List<Object[]> attributes = new ArrayList<>();
      log.getAttributes()
          .forEach(
              (key, value) ->
                  attributes.add(
                      new Object[] {
                        Tags.remap(settings.remaps(), key.getKey()), key.getType(), value
                      }));
      for (Object[] attribute : attributes) {
        String name = (String) attribute[0];
        AttributeType type = (AttributeType) attribute[1];
        Object value = attribute[2];
        switch (type) {
          case LONG -> gen.writeNumberField(name, (Long) value);
          case DOUBLE -> {
            double d = (Double) value;
            if (Double.isFinite(d)) {
              gen.writeNumberField(name, d);
            } else {
              gen.writeStringField(name, Double.toString(d));
            }
          }
          case BOOLEAN -> gen.writeBooleanField(name, (Boolean) value);
          default -> gen.writeStringField(name, Tags.text(type, value));
        }
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Datadog's status for an OpenTelemetry severity number. */
  static String status(int severity) {
    if (severity == 0) {
      return "info";
    }
    if (severity <= 8) {
      return "debug";
    }
    if (severity <= 12) {
      return "info";
    }
    if (severity <= 16) {
      return "warning";
    }
    if (severity <= 20) {
      return "error";
    }
    return "critical";
  }
}
