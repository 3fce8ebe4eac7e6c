package dev.otelretention.exporter.datadog;

import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Spans as the Agent's {@code /v0.4/traces} payload: a msgpack array of traces, each an array of
 * span maps. The 128-bit trace id travels as its lower 64 bits in {@code trace_id} and its upper 64
 * bits, as 16 hex characters, in {@code meta._dd.p.tid}. Payloads are split at trace boundaries (a
 * very large trace into several chunks of the same id) so that none exceeds the limit.
 */
final class TraceEncoder {
  static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
  static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
  static final AttributeKey<Long> HTTP_STATUS_CODE =
      AttributeKey.longKey("http.response.status_code");
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  /** Room for the outer array header of a payload. */
  private static final int HEADER_ROOM = 16;

  /** One request body and what it holds. */
  record Payload(byte[] body, int traces, int spans) {}

  private final DatadogSettings settings;

  TraceEncoder(DatadogSettings settings) {
    this.settings = settings;
  }

  List<Payload> encode(Collection<SpanData> spans) {
    Map<String, List<SpanData>> traces = new LinkedHashMap<>();
    for (SpanData span : spans) {
      traces.computeIfAbsent(span.getTraceId(), id -> new ArrayList<>()).add(span);
    }
    int limit = settings.maxTracePayloadBytes() - HEADER_ROOM;
    List<byte[]> chunks = new ArrayList<>();
    List<Integer> chunkSpans = new ArrayList<>();
    for (List<SpanData> trace : traces.values()) {
      List<byte[]> encodedSpans = new ArrayList<>(trace.size());
      for (SpanData span : trace) {
        encodedSpans.add(span(span));
      }
      int start = 0;
      while (start < encodedSpans.size()) {
        int size = HEADER_ROOM;
        int end = start;
        while (end < encodedSpans.size()
            && (end == start || size + encodedSpans.get(end).length <= limit)) {
          size += encodedSpans.get(end).length;
          end++;
        }
        chunks.add(array(encodedSpans.subList(start, end)));
        chunkSpans.add(end - start);
        start = end;
      }
    }
    List<Payload> payloads = new ArrayList<>();
    int start = 0;
    while (start < chunks.size()) {
      int size = 0;
      int spanCount = 0;
      int end = start;
      while (end < chunks.size() && (end == start || size + chunks.get(end).length <= limit)) {
        size += chunks.get(end).length;
        spanCount += chunkSpans.get(end);
        end++;
      }
      payloads.add(new Payload(array(chunks.subList(start, end)), end - start, spanCount));
      start = end;
    }
    return payloads;
  }

  private static byte[] array(List<byte[]> elements) {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      packer.packArrayHeader(elements.size());
      packer.flush();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(packer.toByteArray());
      for (byte[] element : elements) {
        out.write(element);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] span(SpanData span) {
    Map<String, String> meta = new TreeMap<>();
    Map<String, Double> metrics = new TreeMap<>();
    span.getResource()
        .getAttributes()
        .forEach(
            (key, value) ->
                meta.put(
                    Tags.remap(settings.remaps(), key.getKey()), Tags.text(key.getType(), value)));
    span.getAttributes()
        .forEach(
            (key, value) -> {
              String name = Tags.remap(settings.remaps(), key.getKey());
              if (Tags.isNumeric(key.getType())) {
                metrics.put(name, ((Number) value).doubleValue());
              } else {
                meta.put(name, Tags.text(key.getType(), value));
              }
            });
    meta.put("span.kind", span.getKind().name().toLowerCase(Locale.ROOT));
    meta.put("otel.scope.name", span.getInstrumentationScopeInfo().getName());
    if (span.getInstrumentationScopeInfo().getVersion() != null) {
      meta.put("otel.scope.version", span.getInstrumentationScopeInfo().getVersion());
    }
    meta.put("otel.status_code", span.getStatus().getStatusCode().name());
    Long statusCode = span.getAttributes().get(HTTP_STATUS_CODE);
    if (statusCode != null) {
      // dd-trace-java's form, which Datadog's HTTP views read
      meta.put("http.status_code", Long.toString(statusCode));
    }
    if (!span.getLinks().isEmpty()) {
      meta.put("_dd.span_links", links(span.getLinks()));
    }
    String events = events(span.getEvents());
    if (events != null) {
      meta.put("events", events);
    }
    if (settings.env() != null) {
      meta.put("env", settings.env());
    }
    if (settings.version() != null) {
      meta.put("version", settings.version());
    }
    String traceId = span.getTraceId();
    String upper = traceId.substring(0, 16);
    if (!upper.equals("0000000000000000")) {
      meta.put("_dd.p.tid", upper);
    }
    boolean error = span.getStatus().getStatusCode() == StatusCode.ERROR;
    if (error) {
      addError(span, meta);
    }
    SpanContext parent = span.getParentSpanContext();
    boolean localRoot = !parent.isValid() || parent.isRemote();
    if (localRoot) {
      metrics.put("_sampling_priority_v1", 1.0);
      metrics.put("_top_level", 1.0);
    }
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      packer.packMapHeader(12);
      packer.packString("service").packString(Tags.service(settings, span.getResource()));
      packer
          .packString("name")
          .packString(
              Tags.operationName(
                  span.getInstrumentationScopeInfo().getName() + "." + span.getKind().name()));
      packer.packString("resource").packString(resource(span));
      packer.packString("trace_id");
      packUnsigned(packer, Long.parseUnsignedLong(traceId.substring(16), 16));
      packer.packString("span_id");
      packUnsigned(packer, Long.parseUnsignedLong(span.getSpanId(), 16));
      packer.packString("parent_id");
      packUnsigned(packer, parent.isValid() ? Long.parseUnsignedLong(parent.getSpanId(), 16) : 0);
      packer.packString("start").packLong(span.getStartEpochNanos());
      packer
          .packString("duration")
          .packLong(Math.max(0, span.getEndEpochNanos() - span.getStartEpochNanos()));
      packer.packString("error").packInt(error ? 1 : 0);
      packer.packString("meta").packMapHeader(meta.size());
      for (Map.Entry<String, String> entry : meta.entrySet()) {
        packer.packString(entry.getKey()).packString(entry.getValue());
      }
      packer.packString("metrics").packMapHeader(metrics.size());
      for (Map.Entry<String, Double> entry : metrics.entrySet()) {
        packer.packString(entry.getKey()).packDouble(entry.getValue());
      }
      packer.packString("type").packString(type(span));
      return packer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String resource(SpanData span) {
    if (settings.spanNameAsResourceName()) {
      return span.getName();
    }
    String method = span.getAttributes().get(AttributeKey.stringKey("http.request.method"));
    String route = span.getAttributes().get(AttributeKey.stringKey("http.route"));
    return method != null && route != null ? method + " " + route : span.getName();
  }

  private static String type(SpanData span) {
    Attributes attributes = span.getAttributes();
    if (attributes.get(DB_SYSTEM) != null || attributes.get(DB_SYSTEM_NAME) != null) {
      return "db";
    }
    if (span.getKind() == SpanKind.SERVER) {
      return "web";
    }
    return span.getKind() == SpanKind.CLIENT ? "http" : "custom";
  }

  private static void addError(SpanData span, Map<String, String> meta) {
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
    if (!meta.containsKey("error.message") && description != null && !description.isEmpty()) {
      meta.put("error.message", description);
    }
  }

  /**
   * Span links in the JSON form the Agent reads from {@code meta._dd.span_links}: trace id (32
   * hex), span id (16 hex), trace state, flags and string attributes.
   */
  private static String links(List<LinkData> links) {
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

  /**
   * Span events other than {@code exception} (which become the error fields) in the JSON form of
   * {@code meta.events}: name, time in nanoseconds and attributes; {@code null} when there are
   * none.
   */
  private static String events(List<EventData> events) {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    int written = 0;
    try (JsonGenerator gen = WellFormedJson.generator(json)) {
      gen.writeStartArray();
      for (EventData event : events) {
        if (event.getName().equals("exception")) {
          continue;
        }
        gen.writeStartObject();
        gen.writeStringField("name", event.getName());
        gen.writeNumberField("time_unix_nano", event.getEpochNanos());
        writeAttributes(gen, event.getAttributes());
        gen.writeEndObject();
        written++;
      }
      gen.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return written == 0 ? null : json.toString(StandardCharsets.UTF_8);
  }

  private static void writeAttributes(JsonGenerator gen, Attributes attributes) throws IOException {
    if (attributes.isEmpty()) {
      return;
    }
    gen.writeObjectFieldStart("attributes");
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    attributes.forEach(
        (key, value) -> entries.add(Map.entry(key.getKey(), Tags.text(key.getType(), value))));
    for (Map.Entry<String, String> entry : entries) {
      gen.writeStringField(entry.getKey(), entry.getValue());
    }
    gen.writeEndObject();
  }

  private static void putIfPresent(Map<String, String> meta, String key, String value) {
    if (value != null) {
      meta.put(key, value);
    }
  }

  /** uint64 as msgpack: values with the top bit set go out unsigned, not as negative int64. */
  static void packUnsigned(MessageBufferPacker packer, long value) throws IOException {
    if (value >= 0) {
      packer.packLong(value);
    } else {
      packer.packBigInteger(BigInteger.valueOf(value).add(TWO_TO_64));
    }
  }
}
