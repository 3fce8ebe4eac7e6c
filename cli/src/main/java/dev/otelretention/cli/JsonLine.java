package dev.otelretention.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One JSON object on one line, {@code {"<kind>": {fields}}}, as {@code --json} prints them. */
final class JsonLine {
  private static final JsonFactory FACTORY = new JsonFactory();
  private final String kind;
  private final Map<String, Object> fields = new LinkedHashMap<>();

  private JsonLine(String kind) {
    this.kind = kind;
  }

  static JsonLine of(String kind) {
    return new JsonLine(kind);
  }

  /** Adds a field: a string, a number, a boolean or a list of strings. */
  JsonLine with(String name, Object value) {
    fields.put(name, value);
    return this;
  }

  @Override
  public String toString() {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = FACTORY.createGenerator(text)) {
      json.writeStartObject();
      json.writeObjectFieldStart(kind);
      for (Map.Entry<String, Object> field : fields.entrySet()) {
        Object value = field.getValue();
        if (value instanceof Number number) {
          json.writeFieldName(field.getKey());
          if (number instanceof Double || number instanceof Float) {
            json.writeNumber(number.doubleValue());
          } else {
            json.writeNumber(number.longValue());
          }
        } else if (value instanceof Boolean bool) {
          json.writeBooleanField(field.getKey(), bool);
        } else if (value instanceof List<?> list) {
          json.writeArrayFieldStart(field.getKey());
          for (Object item : list) {
            json.writeString(String.valueOf(item));
          }
          json.writeEndArray();
        } else if (value == null) {
          json.writeNullField(field.getKey());
        } else {
          json.writeStringField(field.getKey(), String.valueOf(value));
        }
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }
}
