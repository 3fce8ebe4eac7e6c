package dev.otelretention.internal;

import io.opentelemetry.api.incubator.config.DeclarativeConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One exporter's node of a declarative configuration file, seen as the autoconfigure properties the
 * exporter already reads: {@code <prefix><key>} (e.g. {@code otel.exporter.clickhouse.traces-ttl})
 * is the node's {@code traces_ttl}, and {@code otel.retention.<key>} (the export stage's settings,
 * e.g. {@code otel.retention.spool.enabled}) is {@code spool_enabled} of the node's {@code
 * retention} node: dots and dashes become underscores, the names of the file's own schema. An
 * environment variable's name (no dot) is read from the environment. Not API.
 */
public final class DeclarativeConfigView implements ConfigProperties {
  private static final String RETENTION = "otel.retention.";

  private final DeclarativeConfigProperties node;
  private final String propertyPrefix;
  private final String path;

  /**
   * @param node the exporter's node
   * @param propertyPrefix the autoconfigure prefix its keys stand for, e.g. {@code
   *     otel.exporter.clickhouse.}
   * @param path the exporter's name in the file, which names its keys in messages, e.g. {@code
   *     clickhouse}
   */
  public DeclarativeConfigView(
      DeclarativeConfigProperties node, String propertyPrefix, String path) {
    this.node = Objects.requireNonNull(node, "node");
    this.propertyPrefix = Objects.requireNonNull(propertyPrefix, "propertyPrefix");
    this.path = Objects.requireNonNull(path, "path");
  }

  private static String snake(String key) {
    return key.replace('.', '_').replace('-', '_').toLowerCase(Locale.ROOT);
  }

  /** The node and key a property stands for, or {@code null} for none. */
  private String[] place(String property) {
    if (property.startsWith(propertyPrefix)) {
      return new String[] {"", snake(property.substring(propertyPrefix.length()))};
    }
    if (property.startsWith(RETENTION)) {
      return new String[] {"retention", snake(property.substring(RETENTION.length()))};
    }
    return null;
  }

  /**
   * The name of {@code property} as it is set in the file, e.g. {@code
   * otlp_spooled.retention.spool_directory}.
   */
  public String nameOf(String property) {
    String[] place = place(property);
    if (place == null) {
      return property;
    }
    return path + "." + (place[0].isEmpty() ? "" : place[0] + ".") + place[1];
  }

  @Override
  public String getString(String property) {
    if (!property.contains(".")) {
      return System.getenv(property);
    }
    String[] place = place(property);
    if (place == null) {
      return null;
    }
    DeclarativeConfigProperties holder = place[0].isEmpty() ? node : node.getStructured(place[0]);
    if (holder == null) {
      return null;
    }
    String key = place[1];
    if (holder.isString(key)) {
      return holder.getString(key);
    }
    if (holder.isBoolean(key)) {
      return String.valueOf(holder.getBoolean(key));
    }
    if (holder.isLong(key) || holder.isInt(key)) {
      return String.valueOf(holder.getLong(key));
    }
    if (holder.isDouble(key)) {
      return String.valueOf(holder.getDouble(key));
    }
    return null;
  }

  @Override
  public Boolean getBoolean(String property) {
    String value = getString(property);
    return value == null ? null : Boolean.parseBoolean(value);
  }

  @Override
  public Integer getInt(String property) {
    String value = getString(property);
    try {
      return value == null ? null : Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigurationException(nameOf(property) + " must be a whole number: " + value, e);
    }
  }

  @Override
  public Long getLong(String property) {
    String value = getString(property);
    try {
      return value == null ? null : Long.valueOf(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigurationException(nameOf(property) + " must be a whole number: " + value, e);
    }
  }

  @Override
  public Double getDouble(String property) {
    String value = getString(property);
    try {
      return value == null ? null : Double.valueOf(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigurationException(nameOf(property) + " must be a number: " + value, e);
    }
  }

  @Override
  public Duration getDuration(String property) {
    String value = getString(property);
    return value == null
        ? null
        : dev.otelretention.config.EnvironmentConfig.parseDuration(nameOf(property), value);
  }

  @Override
  public List<String> getList(String property) {
    String value = getString(property);
    List<String> items = new ArrayList<>();
    if (value != null) {
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
    }
    return items;
  }

  @Override
  public Map<String, String> getMap(String property) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String entry : getList(property)) {
      int equals = entry.indexOf('=');
      if (equals > 0) {
        map.put(entry.substring(0, equals).trim(), entry.substring(equals + 1).trim());
      }
    }
    return map;
  }

  @Override
  public String toString() {
    return "DeclarativeConfigView{" + path + "}";
  }
}
