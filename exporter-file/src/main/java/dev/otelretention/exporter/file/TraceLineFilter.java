package dev.otelretention.exporter.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;

/**
 * Cuts an export request down to the spans or log records whose text holds a trace id, keeping
 * their resources and scopes, so that only they are decoded: a line of a file can hold thousands of
 * spans and a trace view wants a few. Items are kept by their text, not their parsed id, so an item
 * that only mentions the id (a link, say) is kept too and the decoder's result is still filtered by
 * the caller.
 */
final class TraceLineFilter {
  private static final JsonFactory JSON = new JsonFactory();

  private final String json;
  private final String traceId;
  private int nextMention = -1;

  private TraceLineFilter(String json, String traceId) {
    this.json = json;
    this.traceId = traceId;
  }

  /**
   * The request with only the items that mention {@code traceId}; the whole line when its layout is
   * not the expected one, so the decoder decides.
   */
  static String keep(String json, String traceId) {
    return new TraceLineFilter(json, traceId).keep();
  }

  private String keep() {
    StringWriter out = new StringWriter(1024);
    try (JsonParser parser = JSON.createParser(json);
        JsonGenerator generator = JSON.createGenerator(out)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return json;
      }
      generator.writeStartObject();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        generator.writeFieldName(field);
        if (isAny(field, "resourceSpans", "resource_spans", "resourceLogs", "resource_logs")
            && value == JsonToken.START_ARRAY) {
          copyArray(parser, generator, 0);
        } else {
          generator.copyCurrentStructure(parser);
        }
      }
      generator.writeEndObject();
    } catch (IOException | RuntimeException e) {
      return json;
    }
    return out.toString();
  }

  /**
   * Copies an array of resources (depth 0), scopes (1) or items (2), keeping at depth 2 only items
   * that mention the id.
   */
  private void copyArray(JsonParser parser, JsonGenerator generator, int depth) throws IOException {
    generator.writeStartArray();
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      if (depth == 2) {
        int start = (int) parser.currentTokenLocation().getCharOffset();
        parser.skipChildren();
        int end = (int) parser.currentLocation().getCharOffset();
        if (mentions(start, end)) {
          generator.writeRawValue(json, start, end - start);
        }
        continue;
      }
      generator.writeStartObject();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        generator.writeFieldName(field);
        boolean nested =
            depth == 0
                ? isAny(field, "scopeSpans", "scope_spans", "scopeLogs", "scope_logs")
                : isAny(field, "spans", "logRecords", "log_records");
        if (nested && value == JsonToken.START_ARRAY) {
          copyArray(parser, generator, depth + 1);
        } else {
          generator.copyCurrentStructure(parser);
        }
      }
      generator.writeEndObject();
    }
    generator.writeEndArray();
  }

  /** Whether the text in {@code [start, end)} holds the id; items come in order, so one pass. */
  private boolean mentions(int start, int end) {
    if (nextMention != Integer.MAX_VALUE && nextMention < start) {
      int at = json.indexOf(traceId, start);
      nextMention = at < 0 ? Integer.MAX_VALUE : at;
    }
    return nextMention + traceId.length() <= end;
  }

  private static boolean isAny(String field, String... names) {
    for (String name : names) {
      if (field.equals(name)) {
        return true;
      }
    }
    return false;
  }
}
