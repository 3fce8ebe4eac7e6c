package dev.otelretention.traces;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads from a traces request only what a list of traces needs — ids, name, times, error status and
 * the resource's {@code service.name} — and skips the rest unparsed, several times faster than a
 * full decode. Spans come without attributes. Field names in lowerCamelCase or snake_case, times as
 * strings or numbers, the status code as a number or a name, as protobuf's JSON mapping allows.
 */
public final class OtlpJsonSpans {
  private static final JsonFactory JSON = new JsonFactory();
  private static final int STATUS_ERROR = 2;

  private OtlpJsonSpans() {}

  /**
   * Hands every span of the request {@code json} to {@code spans}.
   *
   * @throws IllegalArgumentException if the text is not a JSON object with the structure of a
   *     traces request
   */
  public static void read(String json, Consumer<TraceSpan> spans) {
    try (JsonParser parser = JSON.createParser(json)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT, "request");
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (is(field, "resourceSpans", "resource_spans") && value == JsonToken.START_ARRAY) {
          while (parser.nextToken() == JsonToken.START_OBJECT) {
            resourceSpans(parser, spans);
          }
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not an OTLP/JSON traces request: " + e.getMessage(), e);
    }
  }

  private static void resourceSpans(JsonParser parser, Consumer<TraceSpan> spans)
      throws IOException {
    String service = "";
    List<Span> read = new ArrayList<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("resource") && value == JsonToken.START_OBJECT) {
        service = service(parser);
      } else if (is(field, "scopeSpans", "scope_spans") && value == JsonToken.START_ARRAY) {
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          scopeSpans(parser, read);
        }
      } else {
        parser.skipChildren();
      }
    }
    for (Span span : read) {
      spans.accept(span.toTraceSpan(service));
    }
  }

  private static String service(JsonParser parser) throws IOException {
    String service = "";
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("attributes") && value == JsonToken.START_ARRAY) {
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          String key = null;
          String text = null;
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            if (name.equals("key")) {
              key = parser.getValueAsString();
            } else if (name.equals("value") && token == JsonToken.START_OBJECT) {
              while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String kind = parser.currentName();
                parser.nextToken();
                if (is(kind, "stringValue", "string_value")) {
                  text = parser.getValueAsString();
                } else {
                  parser.skipChildren();
                }
              }
            } else {
              parser.skipChildren();
            }
          }
          if ("service.name".equals(key) && text != null) {
            service = text;
          }
        }
      } else {
        parser.skipChildren();
      }
    }
    return service;
  }

  private static void scopeSpans(JsonParser parser, List<Span> read) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("spans") && value == JsonToken.START_ARRAY) {
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          read.add(span(parser));
        }
      } else {
        parser.skipChildren();
      }
    }
  }

  private static Span span(JsonParser parser) throws IOException {
    Span span = new Span();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "traceId", "trace_id" -> span.traceId = id(parser);
        case "spanId", "span_id" -> span.spanId = id(parser);
        case "parentSpanId", "parent_span_id" -> span.parentSpanId = id(parser);
        case "name" -> span.name = parser.getValueAsString();
        case "startTimeUnixNano", "start_time_unix_nano" -> span.start = nanos(parser, field);
        case "endTimeUnixNano", "end_time_unix_nano" -> span.end = nanos(parser, field);
        case "status" -> {
          if (value == JsonToken.START_OBJECT) {
            span.error = status(parser);
          } else {
            parser.skipChildren();
          }
        }
        default -> parser.skipChildren();
      }
    }
    if (span.traceId == null || span.traceId.isEmpty() || span.spanId == null) {
      throw new IllegalArgumentException("a span without traceId or spanId");
    }
    return span;
  }

  private static boolean status(JsonParser parser) throws IOException {
    boolean error = false;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("code")) {
        error =
            value == JsonToken.VALUE_NUMBER_INT
                ? parser.getIntValue() == STATUS_ERROR
                : "STATUS_CODE_ERROR".equals(parser.getValueAsString());
      } else {
        parser.skipChildren();
      }
    }
    return error;
  }

  private static String id(JsonParser parser) throws IOException {
    String text = parser.getValueAsString();
    return text == null ? "" : text.toLowerCase(Locale.ROOT);
  }

  private static long nanos(JsonParser parser, String field) throws IOException {
    try {
      return parser.currentToken() == JsonToken.VALUE_NUMBER_INT
          ? parser.getLongValue()
          : Long.parseUnsignedLong(parser.getValueAsString());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " is not a number of nanoseconds", e);
    }
  }

  private static boolean is(String field, String camel, String snake) {
    return field.equals(camel) || field.equals(snake);
  }

  private static void expect(JsonToken actual, JsonToken expected, String what) {
    if (actual != expected) {
      throw new IllegalArgumentException(what + " is not a JSON object");
    }
  }

  private static final class Span {
    private String traceId;
    private String spanId;
    private String parentSpanId = "";
    private String name = "";
    private long start;
    private long end;
    private boolean error;

    TraceSpan toTraceSpan(String service) {
      return new TraceSpan(
          traceId, spanId, parentSpanId, name, service, start, end, error, "", Map.of());
    }
  }
}
