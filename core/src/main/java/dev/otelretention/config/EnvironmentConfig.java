package dev.otelretention.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.BiFunction;
import java.util.function.Consumer;
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

  /** For {@link #of}: environment-variable name to the key as the caller wrote it. */
  private final Map<String, String> givenNames;

  /** For {@link #fromLookup(Function, Function)}: the name of a key as the person set it. */
  private final Function<String, String> namer;

  private EnvironmentConfig(Map<String, String> environment, Map<String, String> properties) {
    this(environment, properties, null, Map.of(), null);
  }

  private EnvironmentConfig(
      Map<String, String> environment,
      Map<String, String> properties,
      Function<String, String> lookup,
      Map<String, String> givenNames,
      Function<String, String> namer) {
    this.environment = environment;
    this.properties = properties;
    this.lookup = lookup;
    this.givenNames = givenNames;
    this.namer = namer;
  }

  /**
   * Configuration that asks {@code lookup} with property-form keys (e.g. {@code
   * otel.retention.profile}), such as OpenTelemetry autoconfigure's {@code
   * ConfigProperties::getString}, which reads system properties and environment variables itself.
   */
  public static EnvironmentConfig fromLookup(Function<String, String> lookup) {
    return new EnvironmentConfig(
        Map.of(), Map.of(), Objects.requireNonNull(lookup, "lookup"), Map.of(), null);
  }

  /**
   * As {@link #fromLookup(Function)}, for settings that are neither system properties nor
   * environment variables (a configuration file's keys): {@code namer} gives the name under which a
   * key is set, which every error about its value starts with.
   */
  public static EnvironmentConfig fromLookup(
      Function<String, String> lookup, Function<String, String> namer) {
    return new EnvironmentConfig(
        Map.of(),
        Map.of(),
        Objects.requireNonNull(lookup, "lookup"),
        Map.of(),
        Objects.requireNonNull(namer, "namer"));
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
    Map<String, String> names = new HashMap<>();
    values.forEach(
        (k, v) -> {
          env.put(toEnvironmentName(k), v);
          names.put(toEnvironmentName(k), k);
        });
    return new EnvironmentConfig(
        Collections.unmodifiableMap(env), Map.of(), null, Collections.unmodifiableMap(names), null);
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

  /**
   * The environment variable {@code name} exactly as spelled, such as {@code https_proxy} beside
   * {@code HTTPS_PROXY}; {@code null} when unset or blank. For configuration {@link #of} a map, the
   * map's entry of that name; for one {@link #fromLookup}, what the lookup answers for it, else
   * this process's environment variable.
   */
  public String variable(String name) {
    Objects.requireNonNull(name, "name");
    String value;
    if (lookup != null) {
      // autoconfigure and the Java agent hand over only some of the environment (the agent its
      // OTEL_ variables); a lookup stands for this process, whose environment is the rest
      value = lookup.apply(name);
      if (value == null || value.isBlank()) {
        value = System.getenv(name);
      }
    } else {
      value = environment.get(name);
      if (value == null) {
        for (Map.Entry<String, String> given : givenNames.entrySet()) {
          if (given.getValue().equals(name)) {
            value = environment.get(given.getKey());
          }
        }
      }
    }
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The value for {@code key}, or {@code defaultValue} when unset. */
  public String get(String key, String defaultValue) {
    String value = get(key);
    return value == null ? defaultValue : value;
  }

  /**
   * The name under which {@code key} was set, as the person wrote it: the system property {@code
   * otel.retention.file.max-age} or the environment variable {@code OTEL_RETENTION_FILE_MAX_AGE}.
   * For a key that is not set, the environment-variable name, which is how most people set it.
   * Every error about a value names it this way.
   */
  public String nameOf(String key) {
    Objects.requireNonNull(key, "key");
    String environmentName = toEnvironmentName(key);
    if (namer != null) {
      return namer.apply(key);
    }
    if (lookup != null) {
      if (!isBlank(System.getProperty(key))) {
        return key;
      }
      return environmentName;
    }
    if (!isBlank(properties.get(key))) {
      return key;
    }
    return givenNames.getOrDefault(environmentName, environmentName);
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  /** Whether {@code key} has a non-blank value. */
  public boolean isSet(String key) {
    return get(key) != null;
  }

  /**
   * When {@code key} is set, parses its value with {@code parser} (given the name it was set under
   * and the value, as {@link #parseDuration} takes them) and hands the result to {@code setter},
   * typically a builder's method. A failure of either, a builder's validation included, is a {@link
   * ConfigException} that names the setting as it was set and its value as written.
   *
   * @return whether {@code key} was set
   */
  public <T> boolean apply(
      String key, BiFunction<String, String, T> parser, Consumer<? super T> setter) {
    String value = get(key);
    if (value == null) {
      return false;
    }
    String name = nameOf(key);
    T parsed = parser.apply(name, value);
    try {
      setter.accept(parsed);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(name + "=")) {
        throw e;
      }
      throw new ConfigException(name + "=" + displayValue(key, value) + ": " + e.getMessage(), e);
    }
    return true;
  }

  private static final Pattern SECRET_KEY =
      Pattern.compile(
          "password|secret|token|api[._-]?key|headers|client[._-]key", Pattern.CASE_INSENSITIVE);
  private static final Pattern URL_USER_INFO = Pattern.compile("(?<=://)[^/@\\s]*@");

  /**
   * {@code value} as an error may show it: a secret setting's value as asterisks, and the user
   * information of a URL ({@code https://user:password@host}) masked.
   */
  static String displayValue(String key, String value) {
    if (SECRET_KEY.matcher(key).find()) {
      return "******";
    }
    return URL_USER_INFO.matcher(value).replaceAll("******@");
  }

  /** As {@link #apply(String, BiFunction, Consumer)} for a setting that is text. */
  public boolean apply(String key, Consumer<String> setter) {
    return apply(key, (name, value) -> value, setter);
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
    return parseInt(nameOf(key), value);
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
    return parseBoolean(nameOf(key), value);
  }

  /**
   * A size in bytes: a number with its unit {@code B}, {@code KB}/{@code KiB}, {@code MB}/{@code
   * MiB}, {@code GB}/{@code GiB} (all binary multiples, as log rotators use them); see {@link
   * #parseSize}.
   */
  public long getSize(String key, long defaultValue) {
    String value = get(key);
    return value == null ? defaultValue : parseSize(nameOf(key), value);
  }

  /**
   * A duration: a number with its unit {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}, or
   * an ISO-8601 duration such as {@code PT5S}; see {@link #parseDuration}.
   */
  public Duration getDuration(String key, Duration defaultValue) {
    String value = get(key);
    return value == null ? defaultValue : parseDuration(nameOf(key), value);
  }

  /**
   * A duration whose bare number is milliseconds, for the OpenTelemetry specification's own
   * timeouts; see {@link #parseMilliseconds}.
   */
  public Duration getMilliseconds(String key, Duration defaultValue) {
    String value = get(key);
    return value == null ? defaultValue : parseMilliseconds(nameOf(key), value);
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
    StringJoiner allowed = new StringJoiner(", ");
    for (E constant : type.getEnumConstants()) {
      allowed.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    throw new ConfigException(nameOf(key) + "=" + value + ": must be one of " + allowed);
  }

  /**
   * Parses an integer as {@link #getInt} does; {@code what} names the setting in the error message.
   */
  public static int parseInt(String what, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(what + "=" + value + ": not a whole number", e);
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
    throw new ConfigException(what + "=" + value + ": must be true or false");
  }

  /**
   * Parses a size as {@link #getSize} does: a number and its unit ({@code B}, {@code KB}/{@code
   * KiB}, {@code MB}/{@code MiB}, {@code GB}/{@code GiB}, binary multiples). A number without a
   * unit is refused, zero excepted: {@code 100} could mean bytes or (as the Collector's {@code
   * max_megabytes}) megabytes, and the wrong guess deletes files. {@code what} names the setting in
   * the error message.
   */
  public static long parseSize(String what, String value) {
    Matcher m = SIZE.matcher(value.trim());
    if (!m.matches()) {
      throw new ConfigException(
          what + "=" + value + ": not a size; write it as 100MB, 512KiB or 1GB");
    }
    long number = parseNumber(what, value, m.group(1));
    if (m.group(2) == null) {
      if (number == 0) {
        return 0;
      }
      throw new ConfigException(
          what
              + "="
              + value
              + ": a size needs its unit; write "
              + number
              + "MB for megabytes, or "
              + number
              + "KB, "
              + number
              + "B");
    }
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    int shift =
        switch (unit.charAt(0)) {
          case 'k' -> 10;
          case 'm' -> 20;
          case 'g' -> 30;
          default -> 0;
        };
    if (number > (Long.MAX_VALUE >> shift)) {
      throw new ConfigException(what + "=" + value + ": too large");
    }
    return number << shift;
  }

  /**
   * Parses a duration as {@link #getDuration} does: a number and its unit ({@code ms}, {@code s},
   * {@code m}, {@code h}, {@code d}) or an ISO-8601 duration such as {@code PT5S}. A number without
   * a unit is refused, zero excepted: {@code 7} could mean days (the Collector's {@code max_days}),
   * seconds (ClickHouse's TTLs) or milliseconds, and the wrong guess deletes data. {@code what}
   * names the setting in the error message.
   */
  public static Duration parseDuration(String what, String value) {
    String trimmed = value.trim();
    if (trimmed.startsWith("P") || trimmed.startsWith("p")) {
      try {
        return Duration.parse(trimmed);
      } catch (DateTimeParseException e) {
        throw new ConfigException(
            what + "=" + value + ": not a duration; write it as 500ms, 5s, 30m, 12h or 7d", e);
      }
    }
    Matcher m = DURATION.matcher(trimmed);
    if (!m.matches()) {
      throw new ConfigException(
          what + "=" + value + ": not a duration; write it as 500ms, 5s, 30m, 12h or 7d");
    }
    long number = parseNumber(what, value, m.group(1));
    if (m.group(2) == null) {
      if (number == 0) {
        return Duration.ZERO;
      }
      throw new ConfigException(
          what + "=" + value + ": a duration needs its unit; " + units(number));
    }
    return fromUnit(what, value, number, m.group(2));
  }

  /**
   * Parses a duration whose bare number is milliseconds, as the OpenTelemetry specification defines
   * its own timeouts ({@code OTEL_EXPORTER_OTLP_TIMEOUT=10000}); a unit is accepted as well. Only
   * for settings the specification defines so; {@code what} names the setting in the error.
   */
  public static Duration parseMilliseconds(String what, String value) {
    Matcher m = DURATION.matcher(value.trim());
    if (m.matches() && m.group(2) == null) {
      return Duration.ofMillis(parseNumber(what, value, m.group(1)));
    }
    return parseDuration(what, value);
  }

  /**
   * What a bare number probably meant: a large one is likely seconds (as ClickHouse counts a bare
   * TTL), a small one days (as the Collector's {@code max_days}).
   */
  private static String units(long number) {
    if (number >= 1000) {
      return "write "
          + number
          + "s for seconds (that is "
          + format(Duration.ofSeconds(number))
          + "), or "
          + number
          + "ms for milliseconds";
    }
    return "write "
        + number
        + "d for days, or "
        + number
        + "h, "
        + number
        + "m, "
        + number
        + "s, "
        + number
        + "ms";
  }

  private static long parseNumber(String what, String value, String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new ConfigException(what + "=" + value + ": too large", e);
    }
  }

  private static Duration fromUnit(String what, String value, long number, String unit) {
    try {
      return switch (unit.toLowerCase(Locale.ROOT)) {
        case "s" -> Duration.ofSeconds(number);
        case "m" -> Duration.ofMinutes(number);
        case "h" -> Duration.ofHours(number);
        case "d" -> Duration.ofDays(number);
        default -> Duration.ofMillis(number);
      };
    } catch (ArithmeticException e) {
      throw new ConfigException(what + "=" + value + ": too large", e);
    }
  }

  /**
   * A duration as a person writes it in these settings: {@code 0}, {@code 250ms}, {@code 90s},
   * {@code 30m}, {@code 12h}, {@code 7d}, or a combination such as {@code 1d12h} (never an ISO-8601
   * string such as {@code PT36H}).
   */
  public static String format(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isZero()) {
      return "0";
    }
    if (duration.isNegative()) {
      return "-" + format(duration.negated());
    }
    StringBuilder text = new StringBuilder();
    long days = duration.toDays();
    if (days > 0) {
      text.append(days).append('d');
    }
    appendPart(text, duration.toHoursPart(), "h");
    appendPart(text, duration.toMinutesPart(), "m");
    appendPart(text, duration.toSecondsPart(), "s");
    int millis = duration.toMillisPart();
    int nanos = duration.toNanosPart() % 1_000_000;
    if (nanos != 0) {
      text.append(String.format(Locale.ROOT, "%.3fms", millis + nanos / 1e6));
    } else {
      appendPart(text, millis, "ms");
    }
    return text.toString();
  }

  private static void appendPart(StringBuilder text, long amount, String unit) {
    if (amount > 0) {
      text.append(amount).append(unit);
    }
  }

  /**
   * A size as a person writes it in these settings: {@code 0}, {@code 512B}, {@code 64KiB}, {@code
   * 100MiB}, {@code 2GiB}, with the largest binary unit that divides it.
   */
  public static String formatSize(long bytes) {
    if (bytes != 0 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + "GiB";
    }
    if (bytes != 0 && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + "MiB";
    }
    if (bytes != 0 && bytes % (1L << 10) == 0) {
      return (bytes >> 10) + "KiB";
    }
    return bytes == 0 ? "0" : bytes + "B";
  }
}
