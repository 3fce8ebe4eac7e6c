package dev.otelretention.exporter.clickhouse.internal.schema;

import dev.otelretention.export.ExportException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The major and minor version of a ClickHouse server, as {@code SELECT version()} reports it.
 *
 * @param major the year-based major version, e.g. 26
 * @param minor the release of that year, e.g. 2
 */
public record ServerVersion(int major, int minor) {
  private static final Pattern VERSION = Pattern.compile("^\\s*(\\d+)\\.(\\d+)");

  /** The first release with full-text ({@code TYPE text(...)}) skip indexes the Collector uses. */
  public static final ServerVersion TEXT_INDEXES = new ServerVersion(26, 2);

  /**
   * Reads {@code 26.7.2.1} and the like.
   *
   * @throws IllegalArgumentException when {@code text} does not start with {@code major.minor}
   */
  public static ServerVersion parse(String text) {
    Matcher matcher = VERSION.matcher(text == null ? "" : text);
    if (!matcher.find()) {
      throw new IllegalArgumentException("not a ClickHouse version: " + text);
    }
    return new ServerVersion(
        Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
  }

  /** The first release whose {@code JSON} type is generally available. */
  public static final ServerVersion JSON_TYPE = new ServerVersion(25, 3);

  /**
   * Refuses a server older than {@link #JSON_TYPE}, whose {@code JSON} type is experimental or
   * missing; a version that could not be read ({@code null}) is let through, and the server then
   * says what it lacks.
   *
   * @throws ExportException (permanent) naming the setting and the server's version
   */
  public static void requireJsonType(ServerVersion version) throws ExportException {
    if (version != null && !version.atLeast(JSON_TYPE)) {
      throw ExportException.permanent(
          "clickhouse_json_unsupported",
          "JSON attribute columns (jsonAttributes, OTEL_RETENTION_CLICKHOUSE_JSON) need ClickHouse "
              + JSON_TYPE
              + " or later, where the JSON type is generally available; this server is "
              + version,
          null);
    }
  }

  /** Whether this server has the full-text skip indexes the Collector creates from 26.2 on. */
  public boolean hasTextIndexes() {
    return atLeast(TEXT_INDEXES);
  }

  public boolean atLeast(ServerVersion other) {
    return major > other.major || (major == other.major && minor >= other.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
