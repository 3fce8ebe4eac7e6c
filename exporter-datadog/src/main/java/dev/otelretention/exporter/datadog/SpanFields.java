package dev.otelretention.exporter.datadog;

import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.BiConsumer;

/**
 * What the trace encoder derives from a span besides its own fields: the Datadog span type, the
 * error tags, span links as JSON, attributes as JSON members, and a reused view of the upper half
 * of a trace id.
 */
final class SpanFields {
  /** The upper half of a trace id that fits in 64 bits. */
  static final String ZERO_HALF = "0000000000000000";

  private SpanFields() {}

  /** Appends attributes as JSON members {@code "key":"text"}, comma-separated. */
  static final class JsonAttributes implements BiConsumer<AttributeKey<?>, Object> {
    private StringBuilder out;
    private boolean first;

    void start(StringBuilder target) {
      out = target;
      first = true;
    }

    @Override
    public void accept(AttributeKey<?> key, Object value) {
      if (!first) {
        out.append(',');
      }
      first = false;
      JsonText.appendString(out, key.getKey());
      out.append(':');
      JsonText.appendString(out, Tags.text(key.getType(), value));
    }
  }

  /** The upper half of a trace id, as a reused view rather than a substring per span. */
  static final class HexSlice implements CharSequence {
    private String id = ZERO_HALF;

    HexSlice of(String traceId) {
      id = traceId;
      return this;
    }

    @Override
    public int length() {
      return 16;
    }

    @Override
    public char charAt(int index) {
      return id.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return id.subSequence(start, end);
    }

    @Override
    public String toString() {
      return id.substring(0, 16);
    }
  }

  static String type(SpanData span) {
    Attributes attributes = span.getAttributes();
    if (attributes.get(TraceEncoder.DB_SYSTEM) != null
        || attributes.get(TraceEncoder.DB_SYSTEM_NAME) != null) {
      return "db";
    }
    if (span.getKind() == SpanKind.SERVER) {
      return "web";
    }
    return span.getKind() == SpanKind.CLIENT ? "http" : "custom";
  }

  static void addError(SpanData span, SortedEntries meta) {
    for (EventData event : span.getEvents()) {
      if (event.getName().equals("exception")) {
        putIfPresent(
            meta,
            "error.type",
            event.getAttributes().get(AttributeKey.stringKey("exception.type")));
        putIfPresent(
            meta,
            "error.message",
            event.getAttributes().get(AttributeKey.stringKey("exception.message")));
        putIfPresent(
            meta,
            "error.stack",
            event.getAttributes().get(AttributeKey.stringKey("exception.stacktrace")));
      }
    }
    String description = span.getStatus().getDescription();
    if (!meta.contains("error.message") && description != null && !description.isEmpty()) {
      meta.put("error.message", description);
    }
  }

  /**
   * Span links in the JSON form the Agent reads from {@code meta._dd.span_links}: trace id (32
   * hex), span id (16 hex), trace state, flags and string attributes.
   */
  static String links(List<LinkData> links) {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    try (JsonGenerator gen = WellFormedJson.generator(json)) {
      gen.writeStartArray();
      for (LinkData link : links) {
        SpanContext context = link.getSpanContext();
        gen.writeStartObject();
        gen.writeStringField("trace_id", context.getTraceId());
        gen.writeStringField("span_id", context.getSpanId());
        StringJoiner traceState = new StringJoiner(",");
        context.getTraceState().forEach((key, value) -> traceState.add(key + "=" + value));
        if (traceState.length() > 0) {
          gen.writeStringField("tracestate", traceState.toString());
        }
        // bit 31 says the flags are set, as Datadog's tracers write them
        gen.writeNumberField("flags", (context.getTraceFlags().asByte() & 0xff) | 0x80000000L);
        writeAttributes(gen, link.getAttributes());
        gen.writeEndObject();
      }
      gen.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return json.toString(StandardCharsets.UTF_8);
  }

  private static void writeAttributes(JsonGenerator gen, Attributes attributes) throws IOException {
    if (attributes.isEmpty()) {
      return;
    }
    gen.writeObjectFieldStart("attributes");
    try {
      attributes.forEach(
          (key, value) -> {
            try {
              gen.writeStringField(key.getKey(), Tags.text(key.getType(), value));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    gen.writeEndObject();
  }

  private static void putIfPresent(SortedEntries meta, String key, String value) {
    if (value != null) {
      meta.put(key, value);
    }
  }
}
