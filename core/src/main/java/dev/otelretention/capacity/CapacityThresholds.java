package dev.otelretention.capacity;

import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.sink.CapacityProbe.CapacitySample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Limits that turn into capacity alerts: each store (table, file) whose projected size exceeds
 * {@code maxProjectedBytes} or whose growth exceeds {@code maxGrowthBytesPerDay}, and each disk
 * with less than {@code minFreeBytes} or {@code minFreeRatio} free, sets {@code
 * otel_retention.capacity.alert} to 1 for that check, so that an alert rule can fire on it. Every
 * limit is off unless set; the stores are measured every {@code interval} (default 5 minutes).
 */
public final class CapacityThresholds {
  private final long maxProjectedBytes;
  private final long minFreeBytes;
  private final double minFreeRatio;
  private final double maxGrowthBytesPerDay;
  private final Duration interval;

  private CapacityThresholds(Builder builder) {
    this.maxProjectedBytes = builder.maxProjectedBytes;
    this.minFreeBytes = builder.minFreeBytes;
    this.minFreeRatio = builder.minFreeRatio;
    this.maxGrowthBytesPerDay = builder.maxGrowthBytesPerDay;
    this.interval = builder.interval;
  }

  /** The check of a store's projected size against {@link #maxProjectedBytes()}. */
  public static final String PROJECTED_BYTES = "projected_bytes";

  /** The check of a store's growth per day against {@link #maxGrowthBytesPerDay()}. */
  public static final String GROWTH_RATE = "growth_rate";

  /** The check of a disk's free bytes against {@link #minFreeBytes()}. */
  public static final String FREE_BYTES = "free_bytes";

  /** The check of a disk's free part against {@link #minFreeRatio()}. */
  public static final String FREE_RATIO = "free_ratio";

  /** A builder with no limits and a 5-minute interval. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The thresholds of {@code otel.retention.capacity.max-projected-bytes}, {@code .min-free-bytes}
   * (sizes such as {@code 50GB}), {@code .min-free-ratio} (0 to 1), {@code .max-growth-per-day} (a
   * size) and {@code .interval}, or {@code null} when none of them is set.
   *
   * @throws ConfigException naming the setting when a value is invalid
   */
  public static CapacityThresholds fromEnvironment(EnvironmentConfig config) {
    Objects.requireNonNull(config, "config");
    String prefix = "otel.retention.capacity.";
    boolean any = false;
    Builder builder = builder();
    if (config.isSet(prefix + "max-projected-bytes")) {
      builder.maxProjectedBytes(config.getSize(prefix + "max-projected-bytes", 0));
      any = true;
    }
    if (config.isSet(prefix + "min-free-bytes")) {
      builder.minFreeBytes(config.getSize(prefix + "min-free-bytes", 0));
      any = true;
    }
    if (config.isSet(prefix + "min-free-ratio")) {
      String value = config.get(prefix + "min-free-ratio");
      try {
        builder.minFreeRatio(Double.parseDouble(value.trim()));
      } catch (NumberFormatException e) {
        throw new ConfigException(
            prefix + "min-free-ratio must be a number from 0 to 1, got '" + value + "'", e);
      }
      any = true;
    }
    if (config.isSet(prefix + "max-growth-per-day")) {
      builder.maxGrowthBytesPerDay((double) config.getSize(prefix + "max-growth-per-day", 0));
      any = true;
    }
    if (config.isSet(prefix + "interval")) {
      builder.interval(config.getDuration(prefix + "interval", builder.interval));
      any = true;
    }
    return any ? builder.build() : null;
  }

  /**
   * The checks that apply to {@code sample}: their limit is set and the sample has the figure, in
   * the order {@link #PROJECTED_BYTES}, {@link #GROWTH_RATE}, {@link #FREE_BYTES}, {@link
   * #FREE_RATIO}.
   */
  public List<String> applicableChecks(CapacitySample sample) {
    List<String> checks = new ArrayList<>();
    if (maxProjectedBytes > 0 && sample.projectedBytes() >= 0) {
      checks.add(PROJECTED_BYTES);
    }
    if (maxGrowthBytesPerDay > 0 && !Double.isNaN(sample.growthBytesPerDay())) {
      checks.add(GROWTH_RATE);
    }
    if (minFreeBytes > 0 && sample.freeBytes() >= 0) {
      checks.add(FREE_BYTES);
    }
    if (minFreeRatio > 0 && !Double.isNaN(sample.freeRatio())) {
      checks.add(FREE_RATIO);
    }
    return checks;
  }

  /** The applicable checks that {@code sample} is over the limit of. */
  public List<String> alerts(CapacitySample sample) {
    List<String> alerts = new ArrayList<>();
    for (String check : applicableChecks(sample)) {
      boolean over =
          switch (check) {
            case PROJECTED_BYTES -> sample.projectedBytes() > maxProjectedBytes;
            case GROWTH_RATE -> sample.growthBytesPerDay() > maxGrowthBytesPerDay;
            case FREE_BYTES -> sample.freeBytes() < minFreeBytes;
            default -> sample.freeRatio() < minFreeRatio;
          };
      if (over) {
        alerts.add(check);
      }
    }
    return alerts;
  }

  /** The projected-size limit per store in bytes, or 0 for none. */
  public long maxProjectedBytes() {
    return maxProjectedBytes;
  }

  /** The free-space minimum per disk in bytes, or 0 for none. */
  public long minFreeBytes() {
    return minFreeBytes;
  }

  /** The free-space minimum per disk as a part of the disk, or 0 for none. */
  public double minFreeRatio() {
    return minFreeRatio;
  }

  /** The growth limit per store in bytes per day, or 0 for none. */
  public double maxGrowthBytesPerDay() {
    return maxGrowthBytesPerDay;
  }

  /** How often the stores are measured. */
  public Duration interval() {
    return interval;
  }

  @Override
  public String toString() {
    return "CapacityThresholds{maxProjectedBytes="
        + maxProjectedBytes
        + ", minFreeBytes="
        + minFreeBytes
        + ", minFreeRatio="
        + minFreeRatio
        + ", maxGrowthBytesPerDay="
        + maxGrowthBytesPerDay
        + ", interval="
        + interval
        + "}";
  }

  /** Builder of {@link CapacityThresholds}. */
  public static final class Builder {
    private long maxProjectedBytes;
    private long minFreeBytes;
    private double minFreeRatio;
    private double maxGrowthBytesPerDay;
    private Duration interval = Duration.ofMinutes(5);

    private Builder() {}

    /** Alert when a store will use more than this at its retention (default: no limit). */
    public Builder maxProjectedBytes(long bytes) {
      if (bytes < 1) {
        throw new ConfigException("maxProjectedBytes must be positive, got " + bytes);
      }
      this.maxProjectedBytes = bytes;
      return this;
    }

    /** Alert when a disk has less than this free (default: no limit). */
    public Builder minFreeBytes(long bytes) {
      if (bytes < 1) {
        throw new ConfigException("minFreeBytes must be positive, got " + bytes);
      }
      this.minFreeBytes = bytes;
      return this;
    }

    /** Alert when a disk has less than this part free, e.g. 0.1 for 10% (default: no limit). */
    public Builder minFreeRatio(double ratio) {
      if (!(ratio > 0 && ratio < 1)) {
        throw new ConfigException("minFreeRatio must be between 0 and 1, got " + ratio);
      }
      this.minFreeRatio = ratio;
      return this;
    }

    /** Alert when a store takes in more than this per day (default: no limit). */
    public Builder maxGrowthBytesPerDay(double bytes) {
      if (!(bytes > 0) || Double.isInfinite(bytes)) {
        throw new ConfigException("maxGrowthBytesPerDay must be positive, got " + bytes);
      }
      this.maxGrowthBytesPerDay = bytes;
      return this;
    }

    /** How often the stores are measured, at least a second (default 5 minutes). */
    public Builder interval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new ConfigException(
            "the capacity check interval must be at least 1s, got "
                + EnvironmentConfig.format(interval));
      }
      this.interval = interval;
      return this;
    }

    /** Builds the thresholds. */
    public CapacityThresholds build() {
      return new CapacityThresholds(this);
    }
  }
}
