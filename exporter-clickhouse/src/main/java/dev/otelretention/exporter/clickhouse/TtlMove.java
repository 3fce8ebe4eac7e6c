package dev.otelretention.exporter.clickhouse;

import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.exporter.clickhouse.internal.schema.Identifiers;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A move of rows to another volume or disk of the table's storage policy once they are older than
 * {@link #after()}, rendered into the table's TTL before the delete: {@code TTL <time> +
 * toIntervalDay(3) TO VOLUME 'cold', <time> + toIntervalDay(30)}. The volume or disk must exist in
 * the storage policy of the table (see {@link ClickHouseExporters.Builder#storagePolicy(String)}).
 */
public final class TtlMove {
  /** Where rows move. */
  public enum Target {
    /** A volume of the storage policy: {@code TO VOLUME 'name'}. */
    VOLUME,
    /** A disk of the storage policy: {@code TO DISK 'name'}. */
    DISK
  }

  private final Target target;
  private final String name;
  private final Duration after;

  private TtlMove(Target target, String name, Duration after) {
    this.target = target;
    this.name = Identifiers.validate(target == Target.VOLUME ? "volume" : "disk", name);
    Objects.requireNonNull(after, "after");
    if (after.isNegative() || after.isZero() || after.toNanosPart() != 0) {
      throw new ConfigException(
          "a move needs a positive whole number of seconds, got "
              + EnvironmentConfig.format(after));
    }
    this.after = after;
  }

  /**
   * Moves rows to the volume {@code volume} once they are older than {@code after} (whole seconds,
   * positive).
   */
  public static TtlMove toVolume(String volume, Duration after) {
    return new TtlMove(Target.VOLUME, volume, after);
  }

  /**
   * Moves rows to the disk {@code disk} once they are older than {@code after} (whole seconds,
   * positive).
   */
  public static TtlMove toDisk(String disk, Duration after) {
    return new TtlMove(Target.DISK, disk, after);
  }

  /**
   * Parses {@code volume:NAME:DURATION} or {@code disk:NAME:DURATION}, e.g. {@code volume:cold:3d}.
   *
   * @throws ConfigException naming {@code key} when the text is not of that form
   */
  public static TtlMove parse(String key, String text) {
    Objects.requireNonNull(text, "text");
    String[] parts = text.trim().split(":");
    if (parts.length != 3) {
      throw new ConfigException(
          key + "=" + text + ": a move is volume:NAME:DURATION or disk:NAME:DURATION");
    }
    Duration after = EnvironmentConfig.parseDuration(key, parts[2]);
    return switch (parts[0].trim()) {
      case "volume" -> toVolume(parts[1].trim(), after);
      case "disk" -> toDisk(parts[1].trim(), after);
      default ->
          throw new ConfigException(key + "=" + text + ": a move starts with volume: or disk:");
    };
  }

  /** Volume or disk. */
  public Target target() {
    return target;
  }

  /** The volume or disk name. */
  public String name() {
    return name;
  }

  /** The age after which rows move. */
  public Duration after() {
    return after;
  }

  /** {@code TO VOLUME 'cold'} or {@code TO DISK 'archive'}. */
  String clause() {
    return "TO " + target.name() + " " + Identifiers.literal(name);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TtlMove ttlMove
        && ttlMove.target == target
        && ttlMove.name.equals(name)
        && ttlMove.after.equals(after);
  }

  @Override
  public int hashCode() {
    return Objects.hash(target, name, after);
  }

  @Override
  public String toString() {
    return target.name().toLowerCase(Locale.ROOT)
        + ":"
        + name
        + ":"
        + EnvironmentConfig.format(after);
  }
}
