package dev.otelretention.otlpjson.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.common.ValueType;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfoBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every OTLP/JSON request shares when it is read: the envelope by resource and scope,
 * attributes and any-values, ids, and the OTLP/JSON rules for numbers (64-bit integers as strings
 * or numbers, {@code NaN}/{@code Infinity} as strings) and enums (numbers or names).
 */
final class JsonReader {
  private static final JsonFactory JSON = new JsonFactory();

  private static final Object NULL = new Object();

  interface ItemDecoder {
    void decode(
        Resource resource, InstrumentationScopeInfo scope, Map<String, Object> item, String path);
  }

  static void forEachScope(
      Map<String, Object> request,
      String resourcesField,
      String scopesField,
      String itemsField,
      ItemDecoder decoder) {
    List<Object> resources = array(request.get(resourcesField), resourcesField);
    for (int r = 0; r < resources.size(); r++) {
      String resourcePath = resourcesField + "[" + r + "]";
      Map<String, Object> resourceEntry = object(resources.get(r), resourcePath);
      Map<String, Object> resourceObject =
          optionalObject(resourceEntry.get("resource"), resourcePath + ".resource");
      Resource resource =
          Resource.create(
              attributes(resourceObject.get("attributes"), resourcePath + ".resource.attributes"),
              emptyToNull(string(resourceEntry.get("schemaUrl"), resourcePath + ".schemaUrl")));
      List<Object> scopes = array(resourceEntry.get(scopesField), resourcePath + "." + scopesField);
      for (int s = 0; s < scopes.size(); s++) {
        String scopePath = resourcePath + "." + scopesField + "[" + s + "]";
        Map<String, Object> scopeEntry = object(scopes.get(s), scopePath);
        Map<String, Object> scopeObject =
            optionalObject(scopeEntry.get("scope"), scopePath + ".scope");
        InstrumentationScopeInfoBuilder scopeBuilder =
            InstrumentationScopeInfo.builder(
                string(scopeObject.get("name"), scopePath + ".scope.name"));
        String version = string(scopeObject.get("version"), scopePath + ".scope.version");
        if (!version.isEmpty()) {
          scopeBuilder.setVersion(version);
        }
        String schemaUrl = string(scopeEntry.get("schemaUrl"), scopePath + ".schemaUrl");
        if (!schemaUrl.isEmpty()) {
          scopeBuilder.setSchemaUrl(schemaUrl);
        }
        scopeBuilder.setAttributes(
            attributes(scopeObject.get("attributes"), scopePath + ".scope.attributes"));
        InstrumentationScopeInfo scope = scopeBuilder.build();
        List<Object> items = array(scopeEntry.get(itemsField), scopePath + "." + itemsField);
        for (int i = 0; i < items.size(); i++) {
          String itemPath = scopePath + "." + itemsField + "[" + i + "]";
          decoder.decode(resource, scope, object(items.get(i), itemPath), itemPath);
        }
      }
    }
  }

  // ---- attributes and values ----

  static Attributes attributes(Object value, String path) {
    List<Object> list = array(value, path);
    if (list.isEmpty()) {
      return Attributes.empty();
    }
    AttributesBuilder builder = Attributes.builder();
    for (int i = 0; i < list.size(); i++) {
      String itemPath = path + "[" + i + "]";
      Map<String, Object> entry = object(list.get(i), itemPath);
      String key = string(entry.get("key"), itemPath + ".key");
      Value<?> decoded =
          anyValue(optionalObject(entry.get("value"), itemPath + ".value"), itemPath + ".value");
      put(builder, key, decoded);
    }
    return builder.build();
  }

  @SuppressWarnings("unchecked")
  static void put(AttributesBuilder builder, String key, Value<?> value) {
    switch (value.getType()) {
      case STRING -> {
        builder.put(AttributeKey.stringKey(key), (String) value.getValue());
        return;
      }
      case BOOLEAN -> {
        builder.put(AttributeKey.booleanKey(key), (Boolean) value.getValue());
        return;
      }
      case LONG -> {
        builder.put(AttributeKey.longKey(key), (Long) value.getValue());
        return;
      }
      case DOUBLE -> {
        builder.put(AttributeKey.doubleKey(key), (Double) value.getValue());
        return;
      }
      case ARRAY -> {
        List<Value<?>> elements = (List<Value<?>>) value.getValue();
        if (!elements.isEmpty()) {
          ValueType type = elements.get(0).getType();
          boolean homogeneous = true;
          for (Value<?> element : elements) {
            homogeneous &= element.getType() == type;
          }
          if (homogeneous) {
            switch (type) {
              case STRING:
                builder.put(AttributeKey.stringArrayKey(key), values(elements, String.class));
                return;
              case BOOLEAN:
                builder.put(AttributeKey.booleanArrayKey(key), values(elements, Boolean.class));
                return;
              case LONG:
                builder.put(AttributeKey.longArrayKey(key), values(elements, Long.class));
                return;
              case DOUBLE:
                builder.put(AttributeKey.doubleArrayKey(key), values(elements, Double.class));
                return;
              default:
                break;
            }
          }
        } else {
          builder.put(AttributeKey.stringArrayKey(key), List.of());
          return;
        }
        builder.put(AttributeKey.valueKey(key), value);
        return;
      }
      default -> builder.put(AttributeKey.valueKey(key), value);
    }
  }

  static <T> List<T> values(List<Value<?>> elements, Class<T> type) {
    List<T> result = new ArrayList<>(elements.size());
    for (Value<?> element : elements) {
      result.add(type.cast(element.getValue()));
    }
    return result;
  }

  static Value<?> anyValue(Map<String, Object> value, String path) {
    if (value.get("stringValue") != null) {
      return Value.of(string(value.get("stringValue"), path + ".stringValue"));
    }
    if (value.get("boolValue") != null) {
      return Value.of(bool(value.get("boolValue"), path + ".boolValue"));
    }
    if (value.get("intValue") != null) {
      return Value.of(int64(value.get("intValue"), path + ".intValue"));
    }
    if (value.get("doubleValue") != null) {
      return Value.of(dbl(value.get("doubleValue"), path + ".doubleValue"));
    }
    if (value.get("arrayValue") != null) {
      Map<String, Object> array = object(value.get("arrayValue"), path + ".arrayValue");
      List<Object> raw = array(array.get("values"), path + ".arrayValue.values");
      List<Value<?>> elements = new ArrayList<>(raw.size());
      for (int i = 0; i < raw.size(); i++) {
        String elementPath = path + ".arrayValue.values[" + i + "]";
        elements.add(anyValue(object(raw.get(i), elementPath), elementPath));
      }
      return Value.of(elements);
    }
    if (value.get("kvlistValue") != null) {
      Map<String, Object> list = object(value.get("kvlistValue"), path + ".kvlistValue");
      List<Object> raw = array(list.get("values"), path + ".kvlistValue.values");
      KeyValue[] entries = new KeyValue[raw.size()];
      for (int i = 0; i < raw.size(); i++) {
        String entryPath = path + ".kvlistValue.values[" + i + "]";
        Map<String, Object> entry = object(raw.get(i), entryPath);
        entries[i] =
            KeyValue.of(
                string(entry.get("key"), entryPath + ".key"),
                anyValue(
                    optionalObject(entry.get("value"), entryPath + ".value"),
                    entryPath + ".value"));
      }
      return Value.of(entries);
    }
    if (value.get("bytesValue") != null) {
      try {
        return Value.of(
            Base64.getDecoder().decode(string(value.get("bytesValue"), path + ".bytesValue")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path + ".bytesValue: not base64", e);
      }
    }
    return Value.empty();
  }

  // ---- scalars ----

  static Object parse(String json) {
    if (json == null) {
      throw new IllegalArgumentException("no JSON text");
    }
    try (JsonParser parser = JSON.createParser(json)) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw new IllegalArgumentException("empty JSON text");
      }
      Object value = read(parser, token);
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("text after the JSON object");
      }
      return value;
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
    }
  }

  static Object read(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT -> {
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          object.put(name, read(parser, parser.nextToken()));
        }
        return object;
      }
      case START_ARRAY -> {
        List<Object> array = new ArrayList<>();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
          array.add(read(parser, next));
        }
        return array;
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT -> {
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? parser.getBigIntegerValue()
            : parser.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return parser.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return true;
      }
      case VALUE_FALSE -> {
        return false;
      }
      case VALUE_NULL -> {
        return NULL;
      }
      default -> throw new IOException("unexpected " + token);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object value, String path) {
    if (value instanceof Map) {
      return (Map<String, Object>) value;
    }
    throw new IllegalArgumentException(path + ": expected an object");
  }

  static Map<String, Object> optionalObject(Object value, String path) {
    return value == null || value == NULL ? Map.of() : object(value, path);
  }

  @SuppressWarnings("unchecked")
  static List<Object> array(Object value, String path) {
    if (value == null || value == NULL) {
      return List.of();
    }
    if (value instanceof List) {
      return (List<Object>) value;
    }
    throw new IllegalArgumentException(path + ": expected an array");
  }

  static String string(Object value, String path) {
    if (value == null || value == NULL) {
      return "";
    }
    if (value instanceof String string) {
      return string;
    }
    throw new IllegalArgumentException(path + ": expected a string");
  }

  static String emptyToNull(String value) {
    return value.isEmpty() ? null : value;
  }

  static boolean bool(Object value, String path) {
    if (value == null || value == NULL) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException(path + ": expected true or false");
  }

  /**
   * A 64-bit integer given as a JSON number or a decimal string; unsigned values above 2^63 wrap as
   * in Java.
   */
  static long int64(Object value, String path) {
    if (value == null || value == NULL) {
      return 0;
    }
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof BigInteger bigInteger) {
      return bigInteger.longValue();
    }
    if (value instanceof String string) {
      try {
        return new BigInteger(string).longValue();
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(path + ": '" + value + "' is not an integer");
      }
    }
    if (value instanceof Double d && d == Math.rint(d)) {
      return d.longValue();
    }
    throw new IllegalArgumentException(path + ": expected an integer");
  }

  static int count(Object value, String path) {
    long count = int64(value, path);
    if (count < 0 || count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          path + ": a count must be between 0 and " + Integer.MAX_VALUE + ", got " + count);
    }
    return (int) count;
  }

  static double dbl(Object value, String path) {
    if (value == null || value == NULL) {
      return 0;
    }
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    if (value instanceof String string) {
      return switch (string) {
        case "NaN" -> Double.NaN;
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> {
          try {
            yield Double.parseDouble(string);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(path + ": '" + value + "' is not a number", e);
          }
        }
      };
    }
    throw new IllegalArgumentException(path + ": expected a number");
  }

  static List<Double> doubles(Object value, String path) {
    List<Object> raw = array(value, path);
    List<Double> result = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      result.add(dbl(raw.get(i), path + "[" + i + "]"));
    }
    return result;
  }

  static List<Long> longs(Object value, String path) {
    List<Object> raw = array(value, path);
    List<Long> result = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      result.add(int64(raw.get(i), path + "[" + i + "]"));
    }
    return result;
  }

  static long enumNumber(Object value, String path, String prefix, List<String> names) {
    if (value instanceof String name && !name.isEmpty() && !Character.isDigit(name.charAt(0))) {

      int index = names.indexOf(name.startsWith(prefix) ? name.substring(prefix.length()) : name);
      if (index < 0) {
        throw new IllegalArgumentException(path + ": unknown value '" + name + "'");
      }
      return index;
    }
    return int64(value, path);
  }

  /** A lowercase hex id of {@code digits} digits, or empty when absent. */
  static String id(Object value, int digits, String path) {
    String id = string(value, path);
    if (id.isEmpty()) {
      return id;
    }
    String lower = id.toLowerCase(Locale.ROOT);
    if (lower.length() != digits
        || !lower.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new IllegalArgumentException(
          path + ": expected " + digits + " hex digits, got '" + id + "'");
    }
    return lower;
  }

  private JsonReader() {}
}
