package dev.otelretention.exporter.clickhouse.internal.rowbinary;

import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attribute values as the strings the Collector's ClickHouse exporter stores in its {@code
 * Map(String, String)} columns: strings as they are, integers and booleans in decimal/{@code true},
 * doubles without an exponent, arrays and maps as JSON, bytes as base64. Keys are sorted so equal
 * maps are equal rows.
 */
public final class AttributeStrings {
  private AttributeStrings() {}

  public static Map<String, String> of(Attributes attributes) {
    Map<String, String> result = new TreeMap<>();
    attributes.forEach((key, value) -> result.put(key.getKey(), toString(key.getType(), value)));
    return result;
  }

  public static String toString(AttributeType type, Object value) {
    switch (type) {
      case STRING -> {
        return (String) value;
      }
      case BOOLEAN, LONG -> {
        return String.valueOf(value);
      }
      case DOUBLE -> {
        return formatDouble((Double) value);
      }
      case VALUE -> {
        return valueToString((Value<?>) value);
      }
      default -> {
        StringBuilder json = new StringBuilder("[");
        for (Object element : (List<?>) value) {
          if (json.length() > 1) {
            json.append(',');
          }
          appendJson(json, element);
        }
        return json.append(']').toString();
      }
    }
  }

  /**
   * Attributes as the JSON object the Collector's ClickHouse exporter sends to its {@code JSON}
   * columns: values keep their types (numbers, booleans, arrays, maps), so that the server stores
   * {@code http.response.status_code} as an integer; bytes are base64 strings, and a double that is
   * not finite, which JSON has no number for, is the string Go's formatting gives it.
   */
  public static String jsonObject(Attributes attributes) {
    StringBuilder json = new StringBuilder(16 + 32 * attributes.size()).append('{');
    attributes.forEach(
        (key, value) -> {
          if (json.length() > 1) {
            json.append(',');
          }
          appendJsonString(json, key.getKey());
          json.append(':');
          if (value instanceof List<?> list) {
            json.append('[');
            for (int i = 0; i < list.size(); i++) {
              if (i > 0) {
                json.append(',');
              }
              appendJson(json, list.get(i));
            }
            json.append(']');
          } else {
            appendJson(json, value);
          }
        });
    return json.append('}').toString();
  }

  /** A log body or complex attribute: strings as they are, everything else as JSON. */
  public static String valueToString(Value<?> value) {
    if (value == null) {
      return "";
    }
    switch (value.getType()) {
      case STRING -> {
        return (String) value.getValue();
      }
      case BOOLEAN, LONG -> {
        return String.valueOf(value.getValue());
      }
      case DOUBLE -> {
        return formatDouble((Double) value.getValue());
      }
      case BYTES -> {
        return base64((ByteBuffer) value.getValue());
      }
      case EMPTY -> {
        return "";
      }
      default -> {
        StringBuilder json = new StringBuilder();
        appendJson(json, value);
        return json.toString();
      }
    }
  }

  /** Doubles as Go's {@code strconv.FormatFloat(v, 'f', -1, 64)} writes them. */
  public static String formatDouble(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
  }

  private static void appendJson(StringBuilder json, Object value) {
    if (value instanceof Value) {
      Value<?> v = (Value<?>) value;
      switch (v.getType()) {
        case ARRAY -> {
          json.append('[');
          boolean first = true;
          for (Object element : (List<?>) v.getValue()) {
            if (!first) {
              json.append(',');
            }
            first = false;
            appendJson(json, element);
          }
          json.append(']');
          return;
        }
        case KEY_VALUE_LIST -> {
          json.append('{');
          boolean firstEntry = true;
          for (Object entry : (List<?>) v.getValue()) {
            KeyValue keyValue = (KeyValue) entry;
            if (!firstEntry) {
              json.append(',');
            }
            firstEntry = false;
            appendJsonString(json, keyValue.getKey());
            json.append(':');
            appendJson(json, keyValue.getValue());
          }
          json.append('}');
          return;
        }
        case BYTES -> {
          appendJsonString(json, base64((ByteBuffer) v.getValue()));
          return;
        }
        case EMPTY -> {
          json.append("null");
          return;
        }
        default -> {
          appendJson(json, v.getValue());
          return;
        }
      }
    }
    if (value instanceof String string) {
      appendJsonString(json, string);
    } else if (value instanceof Double d) {
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        appendJsonString(json, formatDouble(d));
      } else {
        json.append(formatDouble(d));
      }
    } else {
      json.append(value);
    }
  }

  private static void appendJsonString(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }

  private static String base64(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
