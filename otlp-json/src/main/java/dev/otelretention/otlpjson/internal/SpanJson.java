package dev.otelretention.otlpjson.internal;

import static dev.otelretention.otlpjson.internal.JsonReader.array;
import static dev.otelretention.otlpjson.internal.JsonReader.attributes;
import static dev.otelretention.otlpjson.internal.JsonReader.count;
import static dev.otelretention.otlpjson.internal.JsonReader.enumNumber;
import static dev.otelretention.otlpjson.internal.JsonReader.id;
import static dev.otelretention.otlpjson.internal.JsonReader.int64;
import static dev.otelretention.otlpjson.internal.JsonReader.object;
import static dev.otelretention.otlpjson.internal.JsonReader.optionalObject;
import static dev.otelretention.otlpjson.internal.JsonReader.string;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.ATTRIBUTES;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.CODE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.DROPPED_ATTRIBUTES;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.DROPPED_EVENTS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.DROPPED_LINKS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.END_TIME;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.EVENTS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.FLAGS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.HAS_IS_REMOTE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.IS_REMOTE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.KIND;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.LINKS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.MESSAGE;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.NAME;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.PARENT_SPAN_ID;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.RESOURCE_SPANS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.SCOPE_SPANS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.SPANS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.START_TIME;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.STATUS;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.TIME;
import static dev.otelretention.otlpjson.internal.OtlpJsonFields.TRACE_STATE;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Spans in OTLP/JSON, both ways: written from the SDK's {@code SpanData}, read back into it. */
public final class SpanJson {
  private final JsonWriter json;
  private final JsonOutput gen;

  private SpanJson(JsonWriter json) {
    this.json = json;
    this.gen = json.generator();
  }

  /** Writes {@code spans} as one {@code ExportTraceServiceRequest} JSON object (no newline). */
  public static void write(Collection<SpanData> spans, OutputStream out) throws IOException {
    JsonWriter.write(
        out,
        json ->
            json.request(
                spans,
                SpanData::getResource,
                SpanData::getInstrumentationScopeInfo,
                RESOURCE_SPANS,
                SCOPE_SPANS,
                SPANS,
                new SpanJson(json)::writeSpan));
  }

  // ---- spans ----

  private void writeSpan(SpanData span) throws IOException {
    gen.writeStartObject();
    SpanContext context = span.getSpanContext();
    json.writeIds(context);
    String traceState = encodeTraceState(context);
    json.writeNonEmptyString(TRACE_STATE, traceState);
    SpanContext parent = span.getParentSpanContext();
    if (parent.isValid()) {
      gen.writeFieldName(PARENT_SPAN_ID);
      gen.writeString(parent.getSpanId());
    }
    int flags = (context.getTraceFlags().asByte() & 0xff) | HAS_IS_REMOTE;
    if (parent.isRemote()) {
      flags |= IS_REMOTE;
    }
    gen.writeFieldName(FLAGS);
    gen.writeNumber(flags);
    gen.writeFieldName(NAME);
    json.writeString(span.getName());
    gen.writeFieldName(KIND);
    gen.writeNumber(otlpKind(span.getKind()));
    gen.writeFieldName(START_TIME);
    json.writeLongString(span.getStartEpochNanos());
    gen.writeFieldName(END_TIME);
    json.writeLongString(span.getEndEpochNanos());
    Attributes attributes = span.getAttributes();
    json.writeAttributes(ATTRIBUTES, attributes);
    json.writeCount(DROPPED_ATTRIBUTES, span.getTotalAttributeCount() - attributes.size());
    List<EventData> events = span.getEvents();
    if (!events.isEmpty()) {
      gen.writeFieldName(EVENTS);
      gen.writeStartArray();
      // indexed: the SDK's lists are random access, and an iterator is an allocation per span
      for (int i = 0; i < events.size(); i++) {
        EventData event = events.get(i);
        gen.writeStartObject();
        gen.writeFieldName(TIME);
        json.writeLongString(event.getEpochNanos());
        gen.writeFieldName(NAME);
        json.writeString(event.getName());
        json.writeAttributes(ATTRIBUTES, event.getAttributes());
        json.writeCount(DROPPED_ATTRIBUTES, event.getDroppedAttributesCount());
        gen.writeEndObject();
      }
      gen.writeEndArray();
    }
    json.writeCount(DROPPED_EVENTS, span.getTotalRecordedEvents() - events.size());
    List<LinkData> links = span.getLinks();
    if (!links.isEmpty()) {
      gen.writeFieldName(LINKS);
      gen.writeStartArray();
      for (int i = 0; i < links.size(); i++) {
        LinkData link = links.get(i);
        gen.writeStartObject();
        SpanContext linked = link.getSpanContext();
        json.writeIds(linked);
        json.writeNonEmptyString(TRACE_STATE, encodeTraceState(linked));
        json.writeAttributes(ATTRIBUTES, link.getAttributes());
        json.writeCount(
            DROPPED_ATTRIBUTES, link.getTotalAttributeCount() - link.getAttributes().size());
        int linkFlags = (linked.getTraceFlags().asByte() & 0xff) | HAS_IS_REMOTE;
        if (linked.isRemote()) {
          linkFlags |= IS_REMOTE;
        }
        gen.writeFieldName(FLAGS);
        gen.writeNumber(linkFlags);
        gen.writeEndObject();
      }
      gen.writeEndArray();
    }
    json.writeCount(DROPPED_LINKS, span.getTotalRecordedLinks() - links.size());
    StatusData status = span.getStatus();
    String description = status.getDescription();
    int code = statusCode(status);
    if (code != 0 || (description != null && !description.isEmpty())) {
      gen.writeFieldName(STATUS);
      gen.writeStartObject();
      json.writeNonEmptyString(MESSAGE, description);
      if (code != 0) {
        gen.writeFieldName(CODE);
        gen.writeNumber(code);
      }
      gen.writeEndObject();
    }
    gen.writeEndObject();
  }

  private static int statusCode(StatusData status) {
    return switch (status.getStatusCode()) {
      case OK -> 1;
      case ERROR -> 2;
      default -> 0;
    };
  }

  private static String encodeTraceState(SpanContext context) {
    if (context.getTraceState().isEmpty()) {
      return null;
    }
    StringBuilder result = new StringBuilder();
    context
        .getTraceState()
        .forEach(
            (key, value) -> {
              if (result.length() > 0) {
                result.append(',');
              }
              result.append(key).append('=').append(value);
            });
    return result.toString();
  }

  // ---- decoding ----

  // ---- spans ----

  public static SpanData read(
      Resource resource, InstrumentationScopeInfo scope, Map<String, Object> span, String path) {
    long flags = int64(span.get("flags"), path + ".flags");
    String traceId = id(span.get("traceId"), 32, path + ".traceId");
    String spanId = id(span.get("spanId"), 16, path + ".spanId");
    TraceState traceState =
        traceState(string(span.get("traceState"), path + ".traceState"), path + ".traceState");
    SpanContext context =
        SpanContext.create(traceId, spanId, TraceFlags.fromByte((byte) flags), traceState);
    String parentSpanId = id(span.get("parentSpanId"), 16, path + ".parentSpanId");
    SpanContext parent = SpanContext.getInvalid();
    if (!parentSpanId.isEmpty()) {
      parent =
          (flags & 0x200) != 0
              ? SpanContext.createFromRemoteParent(
                  traceId, parentSpanId, context.getTraceFlags(), TraceState.getDefault())
              : SpanContext.create(
                  traceId, parentSpanId, context.getTraceFlags(), TraceState.getDefault());
    }
    Attributes attributes = attributes(span.get("attributes"), path + ".attributes");
    List<EventData> events = new ArrayList<>();
    List<Object> eventList = array(span.get("events"), path + ".events");
    for (int i = 0; i < eventList.size(); i++) {
      String eventPath = path + ".events[" + i + "]";
      Map<String, Object> event = object(eventList.get(i), eventPath);
      Attributes eventAttributes = attributes(event.get("attributes"), eventPath + ".attributes");
      events.add(
          EventData.create(
              int64(event.get("timeUnixNano"), eventPath + ".timeUnixNano"),
              string(event.get("name"), eventPath + ".name"),
              eventAttributes,
              eventAttributes.size()
                  + count(
                      event.get("droppedAttributesCount"), eventPath + ".droppedAttributesCount")));
    }
    List<LinkData> links = new ArrayList<>();
    List<Object> linkList = array(span.get("links"), path + ".links");
    for (int i = 0; i < linkList.size(); i++) {
      String linkPath = path + ".links[" + i + "]";
      Map<String, Object> link = object(linkList.get(i), linkPath);
      long linkFlags = int64(link.get("flags"), linkPath + ".flags");
      String linkedTrace = id(link.get("traceId"), 32, linkPath + ".traceId");
      String linkedSpan = id(link.get("spanId"), 16, linkPath + ".spanId");
      TraceState linkedState =
          traceState(
              string(link.get("traceState"), linkPath + ".traceState"), linkPath + ".traceState");
      SpanContext linked =
          (linkFlags & 0x200) != 0
              ? SpanContext.createFromRemoteParent(
                  linkedTrace, linkedSpan, TraceFlags.fromByte((byte) linkFlags), linkedState)
              : SpanContext.create(
                  linkedTrace, linkedSpan, TraceFlags.fromByte((byte) linkFlags), linkedState);
      Attributes linkAttributes = attributes(link.get("attributes"), linkPath + ".attributes");
      links.add(
          LinkData.create(
              linked,
              linkAttributes,
              linkAttributes.size()
                  + count(
                      link.get("droppedAttributesCount"), linkPath + ".droppedAttributesCount")));
    }
    Map<String, Object> status = optionalObject(span.get("status"), path + ".status");
    StatusCode code = statusCode(status.get("code"), path + ".status.code");
    String message = string(status.get("message"), path + ".status.message");
    return new DecodedData.Span(
        resource,
        scope,
        string(span.get("name"), path + ".name"),
        spanKind(span.get("kind"), path + ".kind"),
        context,
        parent,
        StatusData.create(code, message),
        int64(span.get("startTimeUnixNano"), path + ".startTimeUnixNano"),
        int64(span.get("endTimeUnixNano"), path + ".endTimeUnixNano"),
        attributes,
        attributes.size()
            + count(span.get("droppedAttributesCount"), path + ".droppedAttributesCount"),
        List.copyOf(events),
        events.size() + count(span.get("droppedEventsCount"), path + ".droppedEventsCount"),
        List.copyOf(links),
        links.size() + count(span.get("droppedLinksCount"), path + ".droppedLinksCount"));
  }

  /** OTLP's number of {@code kind}, written out rather than taken from the enum's order. */
  static int otlpKind(SpanKind kind) {
    return switch (kind) {
      case INTERNAL -> 1;
      case SERVER -> 2;
      case CLIENT -> 3;
      case PRODUCER -> 4;
      case CONSUMER -> 5;
    };
  }

  private static SpanKind spanKind(Object value, String path) {
    int kind =
        (int)
            enumNumber(
                value,
                path,
                "SPAN_KIND_",
                List.of("UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"));
    return switch (kind) {
      case 2 -> SpanKind.SERVER;
      case 3 -> SpanKind.CLIENT;
      case 4 -> SpanKind.PRODUCER;
      case 5 -> SpanKind.CONSUMER;
      default -> SpanKind.INTERNAL;
    };
  }

  private static StatusCode statusCode(Object value, String path) {
    int code = (int) enumNumber(value, path, "STATUS_CODE_", List.of("UNSET", "OK", "ERROR"));
    return code == 1 ? StatusCode.OK : code == 2 ? StatusCode.ERROR : StatusCode.UNSET;
  }

  private static TraceState traceState(String text, String path) {
    if (text.isEmpty()) {
      return TraceState.getDefault();
    }
    TraceStateBuilder builder = TraceState.builder();
    String[] members = text.split(",");
    // the builder puts each new member first, so add them last to first to keep the written order
    for (int i = members.length - 1; i >= 0; i--) {
      String trimmed = members[i].trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int equals = trimmed.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException(
            path + ": '" + trimmed + "' is not a key=value trace state member");
      }
      builder.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
    }
    return builder.build();
  }
}
