package dev.otelretention.exporter.datadog;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Datadog naming rules: tags, attribute values as strings, remapped keys, service and host. */
final class Tags {
  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");

  /**
   * Where an attribute goes whose name is one the exporter sets itself (a log field, a tag), in
   * every signal.
   */
  static final String RENAMED_PREFIX = "otel.attributes.";

  private static final int MAX_TAG_LENGTH = 200;
  private static final int MAX_SERVICE_LENGTH = 100;

  /** Datadog's 200 less the longest suffix the series encoder appends ({@code .quantile}). */
  static final int MAX_METRIC_NAME_LENGTH = 191;

  private Tags() {}

  /**
   * A {@code key:value} tag by Datadog's rules, or an empty string when nothing of it is left:
   * lowercase; letters, digits, {@code _ - : . /} kept, each run of other characters (an emoji, a
   * space) becomes one {@code _}; starts with a letter; at most 200 characters; never ends with
   * {@code :} or {@code _} (an empty value gives the bare key).
   */
  static String tag(String key, String value) {
    String raw = (value.isEmpty() ? key : key + ":" + value).toLowerCase(Locale.ROOT);
    StringBuilder tag = new StringBuilder(Math.min(raw.length(), MAX_TAG_LENGTH));
    raw.codePoints()
        .forEach(
            c -> {
              boolean allowed =
                  Character.isLetterOrDigit(c)
                      || c == '_'
                      || c == '-'
                      || c == ':'
                      || c == '.'
                      || c == '/';
              if (tag.length() == 0 && !Character.isLetter(c)) {
                return;
              }
              if (allowed) {
                tag.appendCodePoint(c);
              } else if (tag.charAt(tag.length() - 1) != '_') {
                tag.append('_');
              }
            });
    if (tag.length() > MAX_TAG_LENGTH) {
      tag.setLength(MAX_TAG_LENGTH);
      if (Character.isHighSurrogate(tag.charAt(MAX_TAG_LENGTH - 1))) {
        tag.setLength(MAX_TAG_LENGTH - 1);
      }
    }
    while (tag.length() > 0
        && (tag.charAt(tag.length() - 1) == ':' || tag.charAt(tag.length() - 1) == '_')) {
      tag.setLength(tag.length() - 1);
    }
    return tag.toString();
  }

  /**
   * A tag for an attribute, after the remapping rules; an attribute named as a tag the exporter
   * sets itself ({@code taken}, e.g. {@code service}) is tagged {@code otel.attributes.<key>}.
   */
  static String attributeTag(
      Map<String, String> remaps, Set<String> taken, String key, AttributeType type, Object value) {
    String name = remap(remaps, key);
    if (taken.contains(name.toLowerCase(Locale.ROOT))) {
      name = RENAMED_PREFIX + name;
    }
    return tag(name, text(type, value));
  }

  /**
   * A metric name by Datadog's rules: ASCII letters, digits, {@code _} and {@code .}, each run of
   * other characters becomes one {@code _}; starts with a letter ({@code unnamed} when no letter is
   * left); at most {@value #MAX_METRIC_NAME_LENGTH} characters, so that the suffixes the encoder
   * adds ({@code .count}, {@code .quantile}, ...) keep the whole within Datadog's 200.
   */
  static String metricName(String name) {
    StringBuilder out = new StringBuilder(Math.min(name.length(), MAX_METRIC_NAME_LENGTH));
    for (int i = 0; i < name.length() && out.length() < MAX_METRIC_NAME_LENGTH; i++) {
      char c = name.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (out.length() == 0 && !letter) {
        continue;
      }
      if (letter || (c >= '0' && c <= '9') || c == '.' || c == '_') {
        out.append(c);
      } else if (out.charAt(out.length() - 1) != '_') {
        out.append('_');
      }
    }
    return out.length() == 0 ? "unnamed" : out.toString();
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

  /**
   * The service of all three signals, normalized as the Agent normalizes a span's service (tag
   * rules, at most 100 characters), so that traces, metrics and logs carry the same value: {@code
   * Checkout Service} is {@code checkout_service} everywhere.
   */
  static String service(DatadogSettings settings, Resource resource) {
    String name =
        settings.service() != null ? settings.service() : resource.getAttribute(SERVICE_NAME);
    String normalized = tag(name == null ? "unknown_service" : name, "");
    if (normalized.length() > MAX_SERVICE_LENGTH) {
      normalized = normalized.substring(0, MAX_SERVICE_LENGTH);
    }
    return normalized.isEmpty() ? "unnamed-service" : normalized;
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
