package dev.otelretention.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Read-only configuration taken from system properties and environment variables.
 *
 * <p>A key is written in property form ({@code otel.retention.file.max-size}); it is looked up
 * first as a system property of that name and then as the environment variable formed by
 * upper-casing it and replacing {@code .} and {@code -} with {@code _} ({@code
 * OTEL_RETENTION_FILE_MAX_SIZE}). Blank values count as unset.
 */
public final class EnvironmentConfig {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION =
      Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);

  private final Map<String, String> environment;
  private final Map<String, String> properties;
  private final Function<String, String> lookup;

  private EnvironmentConfig(Map<String, String> environment, Map<String, String> properties) {
    this(environment, properties, null);
  }

  private EnvironmentConfig(
      Map<String, String> environment,
      Map<String, String> properties,
      Function<String, String> lookup) {
    this.environment = environment;
    this.properties = properties;
    this.lookup = lookup;
  }

  /**
   * Configuration that asks {@code lookup} with property-form keys (e.g. {@code
   * otel.retention.profile}), such as OpenTelemetry autoconfigure's {@code
   * ConfigProperties::getString}, which reads system properties and environment variables itself.
   */
  public static EnvironmentConfig fromLookup(Function<String, String> lookup) {
    return new EnvironmentConfig(Map.of(), Map.of(), Objects.requireNonNull(lookup, "lookup"));
  }

  /** Configuration backed by this process's system properties and environment variables. */
  public static EnvironmentConfig fromSystem() {
    Map<String, String> props = new HashMap<>();
    System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
    return new EnvironmentConfig(System.getenv(), props);
  }

  /**
   * Configuration backed only by the given map, whose keys may be in property form or
   * environment-variable form. Useful in tests and for applications that keep their settings
   * elsewhere.
   */
  public static EnvironmentConfig of(Map<String, String> values) {
    Objects.requireNonNull(values, "values");
    Map<String, String> env = new HashMap<>();
    values.forEach((k, v) -> env.put(toEnvironmentName(k), v));
    return new EnvironmentConfig(Collections.unmodifiableMap(env), Map.of());
  }

  /** The environment-variable name for a property-form key, e.g. {@code CLICKHOUSE_ENDPOINT}. */
  public static String toEnvironmentName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The value for {@code key}, or {@code null} when it is unset or blank. */
  public String get(String key) {
    Objects.requireNonNull(key, "key");
    String value = lookup != null ? lookup.apply(key) : properties.get(key);
    if (value == null || value.isBlank()) {
      value = environment.get(toEnvironmentName(key));
    }
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The value for {@code key}, or {@code defaultValue} when unset. */
  public String get(String key, String defaultValue) {
    String value = get(key);
    return value == null ? defaultValue : value;
  }

  /** Whether {@code key} has a non-blank value. */
  public boolean isSet(String key) {
    return get(key) != null;
  }

  /**
   * An integer value; throws {@link ConfigException} naming the key when the value is not an
   * integer.
   */
  public int getInt(String key, int defaultValue) {
    String value = get(key);
    if (value == null) {
      return defaultValue;
    }
    return parseInt(describe(key), value);
  }

  /**
   * A boolean value ({@code true}/{@code false}, any case); anything else is a {@link
   * ConfigException}.
   */
  public boolean getBoolean(String key, boolean defaultValue) {
    String value = get(key);
    if (value == null) {
      return defaultValue;
    }
    return parseBoolean(describe(key), value);
  }

  /**
   * A size in bytes: a number with an optional unit {@code B}, {@code KB}/{@code KiB}, {@code
   * MB}/{@code MiB}, {@code GB}/{@code GiB} (all binary multiples, as log rotators use them).
   */
  public long getSize(String key, long defaultValue) {
    String value = get(key);
    return value == null ? defaultValue : parseSize(describe(key), value);
  }

  /**
   * A duration: a number with unit {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} (a bare
   * number is milliseconds), or an ISO-8601 duration such as {@code PT5S}.
   */
  public Duration getDuration(String key, Duration defaultValue) {
    String value = get(key);
    return value == null ? defaultValue : parseDuration(describe(key), value);
  }

  /** An enum constant matched case-insensitively, with {@code -} standing for {@code _}. */
  public <E extends Enum<E>> E getEnum(String key, Class<E> type, E defaultValue) {
    String value = get(key);
    if (value == null) {
      return defaultValue;
    }
    String wanted = value.replace('-', '_');
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(wanted)) {
        return constant;
      }
    }
    throw new ConfigException(
        describe(key)
            + " must be one of "
            + Arrays.toString(type.getEnumConstants())
            + ", got '"
            + value
            + "'");
  }

  /**
   * Parses an integer as {@link #getInt} does; {@code what} names the setting in the error message.
   */
  public static int parseInt(String what, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(what + " must be an integer, got '" + value + "'", e);
    }
  }

  /**
   * Parses a boolean as {@link #getBoolean} does; {@code what} names the setting in the error
   * message.
   */
  public static boolean parseBoolean(String what, String value) {
    String trimmed = value.trim();
    if (trimmed.equalsIgnoreCase("true")) {
      return true;
    }
    if (trimmed.equalsIgnoreCase("false")) {
      return false;
    }
    throw new ConfigException(what + " must be true or false, got '" + value + "'");
  }

  /**
   * Parses a size as {@link #getSize} does; {@code what} names the setting in the error message.
   */
  public static long parseSize(String what, String value) {
    Matcher m = SIZE.matcher(value.trim());
    if (!m.matches()) {
      throw new ConfigException(
          what + " must be a size such as 100MB or 512KiB, got '" + value + "'");
    }
    long number;
    try {
      number = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new ConfigException(what + " is too large: '" + value + "'", e);
    }
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);

    int shift =
        switch (unit.charAt(0)) {
          case 'k' -> 10;
          case 'm' -> 20;
          case 'g' -> 30;
          default -> 0;
        };
    if (number > (Long.MAX_VALUE >> shift)) {
      throw new ConfigException(what + " is too large: '" + value + "'");
    }
    return number << shift;
  }

  /**
   * Parses a duration as {@link #getDuration} does; {@code what} names the setting in the error
   * message.
   */
  public static Duration parseDuration(String what, String value) {
    String trimmed = value.trim();
    if (trimmed.startsWith("P") || trimmed.startsWith("p")) {
      try {
        return Duration.parse(trimmed);
      } catch (DateTimeParseException e) {
        throw new ConfigException(what + " is not an ISO-8601 duration: '" + value + "'", e);
      }
    }
    Matcher m = DURATION.matcher(trimmed);
    if (!m.matches()) {
      throw new ConfigException(
          what + " must be a duration such as 500ms, 5s, 30m, 12h or 7d, got '" + value + "'");
    }
    long number;
    try {
      number = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new ConfigException(what + " is too large: '" + value + "'", e);
    }
    String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
    return switch (unit) {
      case "s" -> Duration.ofSeconds(number);
      case "m" -> Duration.ofMinutes(number);
      case "h" -> Duration.ofHours(number);
      case "d" -> Duration.ofDays(number);
      default -> Duration.ofMillis(number);
    };
  }

  private static String describe(String key) {
    return key + " (" + toEnvironmentName(key) + ")";
  }
}
