package dev.otelretention.exporter.datadog;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Datadog naming rules: tags, attribute values as strings, remapped keys, service and host. */
final class Tags {
  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
  private static final int MAX_TAG_LENGTH = 200;

  private Tags() {}

  /**
   * A {@code key:value} tag by Datadog's rules: lowercase; letters, digits, {@code _ - : . /} kept,
   * anything else becomes {@code _}; starts with a letter; at most 200 characters.
   */
  static String tag(String key, String value) {
    String raw = (key + ":" + value).toLowerCase(Locale.ROOT);
    StringBuilder tag = new StringBuilder(Math.min(raw.length(), MAX_TAG_LENGTH));
    for (int i = 0; i < raw.length() && tag.length() < MAX_TAG_LENGTH; i++) {
      char c = raw.charAt(i);
      boolean allowed =
          Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == ':' || c == '.' || c == '/';
      tag.append(allowed ? c : '_');
    }
    while (tag.length() > 0 && !Character.isLetter(tag.charAt(0))) {
      tag.deleteCharAt(0);
    }
    return tag.toString();
  }

  /** The key after the remapping rules. */
  static String remap(Map<String, String> remaps, String key) {
    String to = remaps.get(key);
    return to == null ? key : to;
  }

  static boolean isNumeric(AttributeType type) {
    return type == AttributeType.LONG || type == AttributeType.DOUBLE;
  }

  /**
   * Any attribute value as text: strings as they are, arrays comma-separated, complex values as
   * their string.
   */
  static String text(AttributeType type, Object value) {
    switch (type) {
      case STRING -> {
        return (String) value;
      }
      case STRING_ARRAY, BOOLEAN_ARRAY, LONG_ARRAY, DOUBLE_ARRAY -> {
        StringBuilder joined = new StringBuilder();
        for (Object element : (List<?>) value) {
          if (joined.length() > 0) {
            joined.append(',');
          }
          joined.append(element);
        }
        return joined.toString();
      }
      case VALUE -> {
        return ((Value<?>) value).asString();
      }
      default -> {
        return String.valueOf(value);
      }
    }
  }

  static String service(DatadogSettings settings, Resource resource) {
    if (settings.service() != null) {
      return settings.service();
    }
    String name = resource.getAttribute(SERVICE_NAME);
    return name == null ? "unknown_service" : name;
  }

  static String host(DatadogSettings settings, Resource resource) {
    if (settings.hostname() != null) {
      return settings.hostname();
    }
    return resource.getAttribute(HOST_NAME);
  }

  /** A Datadog operation name: lowercase letters, digits, {@code _} and {@code .}. */
  static String operationName(String text) {
    StringBuilder name = new StringBuilder(text.length());
    for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
      name.append(Character.isLetterOrDigit(c) || c == '.' ? c : '_');
    }
    return name.toString();
  }
}
