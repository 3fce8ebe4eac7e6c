package dev.otelretention.exporter.clickhouse.internal.schema;

import java.util.Map;

/**
 * How each group of tables got its configured TTL, as the person wrote it, and whether this
 * instance may shorten the TTL of a table that already exists. A shorter TTL deletes the rows of
 * every writer of a shared table, so without that consent the table keeps its retention.
 *
 * @param settings group ({@code traces}, {@code logs}, {@code metrics}, {@code minute-rollup},
 *     {@code hour-rollup}) to how its TTL was set, e.g. {@code
 *     OTEL_RETENTION_CLICKHOUSE_TRACES_TTL=1d}; a group missing has its default
 * @param shorteningAllowed whether a live table's TTL may be made shorter by this instance
 * @param consentSetting the setting that gives that consent, as people set it, for messages
 */
public record RetentionSettings(
    Map<String, String> settings, boolean shorteningAllowed, String consentSetting) {
  /** Copies the map. */
  public RetentionSettings {
    settings = Map.copyOf(settings);
  }

  /** How the TTL of {@code group} was set, or {@code "the default"}. */
  public String setting(String group) {
    return settings.getOrDefault(group, "the default " + group + " TTL");
  }

  /** The group whose TTL setting applies to {@code table}. */
  public static String group(TelemetryTable table) {
    if (table == TelemetryTable.LOGS) {
      return "logs";
    }
    return table.isMetric() ? "metrics" : "traces";
  }

  /** The group whose TTL setting applies to {@code rollup}. */
  public static String group(RollupTable rollup) {
    return rollup.resolution() == RollupTable.Resolution.HOUR ? "hour-rollup" : "minute-rollup";
  }
}
