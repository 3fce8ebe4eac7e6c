package dev.otelretention.exporter.datadog;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.otelretention.common.HexIds;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Log records as {@code /api/v2/logs} payloads: JSON arrays of at most 1,000 entries and 5 MB; an
 * entry over the per-entry limit has its message truncated and ends with {@value #TRUNCATED}.
 * Severity maps to Datadog's status; the trace and span ids correlate as {@code dd.trace_id}/{@code
 * dd.span_id} (decimal, lower 64 bits).
 *
 * <p>Every key appears once in an entry. An attribute named as one of the intake's reserved keys
 * ({@code message}, {@code status}, {@code service}, {@code hostname}, {@code ddsource}, {@code
 * ddtags}, {@code timestamp}) or as a field this encoder writes keeps its value under {@value
 * Tags#RENAMED_PREFIX}{@code <name>}. The {@code exception.*} attributes are also given as
 * Datadog's standard {@code error.kind}, {@code error.message} and {@code error.stack}.
 */
final class LogEncoder {
  static final String TRUNCATED = "...[TRUNCATED]";

  /**
   * The top-level keys Datadog's intake gives a meaning; each appears once, never from an
   * attribute.
   */
  private static final Set<String> RESERVED =
      Set.of("message", "status", "service", "hostname", "ddsource", "ddtags", "timestamp");

  /** OpenTelemetry's exception attributes and Datadog's standard error attributes for them. */
  private static final Map<String, String> ERROR_ATTRIBUTES =
      Map.of(
          "exception.type", "error.kind",
          "exception.message", "error.message",
          "exception.stacktrace", "error.stack");

  /** The encoded payloads and how many entries were truncated. */
  record Result(List<JsonChunks.Chunk> chunks, int truncated) {}

  private final DatadogSettings settings;
  private final ServiceTags.Cache serviceTags;

  LogEncoder(DatadogSettings settings) {
    this.settings = settings;
    this.serviceTags = new ServiceTags.Cache(settings);
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
    try (JsonGenerator generator = WellFormedJson.generator(bytes)) {
      UniqueFields gen = new UniqueFields(generator);
      generator.writeStartObject();
      gen.writeStringField("message", message);
      gen.writeStringField("status", status(log.getSeverity().getSeverityNumber()));
      ServiceTags unified = serviceTags.of(log.getResource());
      gen.writeStringField("service", unified.service());
      String host = Tags.host(settings, log.getResource());
      if (host != null) {
        gen.writeStringField("hostname", host);
      }
      gen.writeStringField("ddsource", settings.source());
      StringJoiner tags = new StringJoiner(",");
      Set<String> tagKeys = new HashSet<>();
      if (unified.env() != null) {
        tags.add(Tags.tag("env", unified.env()));
        tagKeys.add("env");
      }
      if (unified.version() != null) {
        tags.add(Tags.tag("version", unified.version()));
        tagKeys.add("version");
      }
      unified.tags().forEach(tags::add);
      log.getResource()
          .getAttributes()
          .forEach(
              (key, value) -> {
                if (!key.getKey().equals("service.name") && !key.getKey().equals("host.name")) {
                  String tag =
                      Tags.attributeTag(
                          settings.remaps(), tagKeys, key.getKey(), key.getType(), value);
                  if (!tag.isEmpty()) {
                    tags.add(tag);
                  }
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
            "dd.trace_id", Long.toUnsignedString(HexIds.parse(context.getTraceId(), 16)));
        gen.writeStringField(
            "dd.span_id", Long.toUnsignedString(HexIds.parse(context.getSpanId(), 0)));
        gen.writeStringField("otel.trace_id", context.getTraceId());
      }
      List<Attribute> attributes = new ArrayList<>();
      log.getAttributes()
          .forEach(
              (key, value) -> {
                String error = ERROR_ATTRIBUTES.get(key.getKey());
                if (error != null) {
                  attributes.add(
                      new Attribute(error, AttributeType.STRING, Tags.text(key.getType(), value)));
                }
                attributes.add(
                    new Attribute(
                        Tags.remap(settings.remaps(), key.getKey()), key.getType(), value));
              });
      for (Attribute attribute : attributes) {
        String name = gen.uniqueAttribute(attribute.name());
        Object value = attribute.value();
        switch (attribute.type()) {
          case LONG -> generator.writeNumberField(name, (Long) value);
          case DOUBLE -> {
            double d = (Double) value;
            if (Double.isFinite(d)) {
              generator.writeNumberField(name, d);
            } else {
              generator.writeStringField(name, Double.toString(d));
            }
          }
          case BOOLEAN -> generator.writeBooleanField(name, (Boolean) value);
          default -> generator.writeStringField(name, Tags.text(attribute.type(), value));
        }
      }
      generator.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private record Attribute(String name, AttributeType type, Object value) {}

  /** Writes string and number fields of one entry, remembering every name so that none repeats. */
  private static final class UniqueFields {
    private final JsonGenerator generator;
    private final Set<String> names = new HashSet<>();

    UniqueFields(JsonGenerator generator) {
      this.generator = generator;
    }

    void writeStringField(String name, String value) throws IOException {
      generator.writeStringField(unique(name), value);
    }

    void writeNumberField(String name, long value) throws IOException {
      generator.writeNumberField(unique(name), value);
    }

    /** {@code name} if the entry does not have it yet, else a renamed one that it does not have. */
    String unique(String name) {
      if (names.add(name)) {
        return name;
      }
      return renamed(name);
    }

    /** As {@link #unique}, and never one of Datadog's reserved top-level keys. */
    String uniqueAttribute(String name) {
      if (!RESERVED.contains(name) && names.add(name)) {
        return name;
      }
      return renamed(name);
    }

    private String renamed(String name) {
      String renamed = Tags.RENAMED_PREFIX + name;
      for (int i = 2; !names.add(renamed); i++) {
        renamed = Tags.RENAMED_PREFIX + name + "." + i;
      }
      return renamed;
    }
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
