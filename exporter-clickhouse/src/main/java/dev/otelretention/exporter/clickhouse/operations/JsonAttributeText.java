package dev.otelretention.exporter.clickhouse.operations;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads attributes from the text of a ClickHouse {@code JSON} column ({@code toJSONString}) as the
 * Map layout holds them: one entry per attribute path ({@code http.route}, which the server nests
 * as {@code {"http":{"route":…}}}), strings as they are, numbers and booleans as written, arrays as
 * JSON.
 */
final class JsonAttributeText {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonAttributeText() {}

  static Map<String, String> attributes(String json) {
    Map<String, String> attributes = new LinkedHashMap<>();
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() == JsonToken.START_OBJECT) {
        object(parser, "", attributes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("not the text of a JSON column: " + json, e);
    }
    return attributes;
  }

  private static void object(JsonParser parser, String prefix, Map<String, String> attributes)
      throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String path = prefix + parser.currentName();
      JsonToken value = parser.nextToken();
      if (value == JsonToken.START_OBJECT) {
        object(parser, path + ".", attributes);
      } else if (value == JsonToken.START_ARRAY) {
        StringWriter array = new StringWriter();
        try (var generator = JSON.createGenerator(array)) {
          generator.copyCurrentStructure(parser);
        }
        attributes.put(path, array.toString());
      } else if (value != JsonToken.VALUE_NULL) {
        attributes.put(path, parser.getText());
      }
    }
  }
}
