package dev.otelretention.export;

import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of the durable spool of network sinks: an on-disk segment log that holds every batch
 * from the moment {@code export()} succeeds until the destination acknowledged it, across outages,
 * restarts and crashes. Defaults: 1 GiB, 24 hours, fsync every second, drop the oldest when full,
 * 16 MiB segments; telemetry reaches the spool at least every second, and destinations that can
 * combine records (ClickHouse) receive deliveries of up to the instance's batch size, sent once the
 * oldest record has waited the instance's batch timeout.
 */
public final class SpoolSettings {
  /** When appended records reach the disk. */
  public enum Fsync {
    /**
     * Before {@code export()} returns: nothing acknowledged is lost even if the machine loses
     * power; costs a disk sync per batch.
     */
    EVERY_BATCH,
    /**
     * Every {@link #fsyncInterval()}: a process crash loses nothing (the data is in the OS), a
     * power loss at most that interval.
     */
    INTERVAL,
    /**
     * Left to the OS: a process crash loses nothing, a power loss what the OS had not written yet.
     */
    NEVER
  }

  /** What happens to a batch that does not fit. */
  public enum WhenFull {
    /** Drop the oldest records not being sent, counted as {@code spool_full}, to make room. */
    DROP_OLDEST,
    /** Refuse the new batch, counted as {@code spool_full}. */
    REFUSE_NEWEST
  }

  private final Path directory;
  private final long maxBytes;
  private final Duration maxAge;
  private final Fsync fsync;
  private final Duration fsyncInterval;
  private final WhenFull whenFull;
  private final long segmentBytes;
  private final Duration persistInterval;
  private final int deliveryMaxItems;
  private final Duration deliveryMaxDelay;

  /** The largest segment: 1 GiB. */
  public static final long MAX_SEGMENT_BYTES = 1L << 30;

  /** The longest time a record may be kept: 30 days. */
  public static final Duration MAX_AGE_LIMIT = Duration.ofDays(30);

  /** The longest persist interval: 10 s (the longest batch timeout of the profiles). */
  public static final Duration MAX_PERSIST_INTERVAL = Duration.ofSeconds(10);

  private SpoolSettings(Builder builder) {
    this.directory = builder.directory;
    this.maxBytes = builder.maxBytes;
    this.maxAge = builder.maxAge;
    this.fsync = builder.fsync;
    this.fsyncInterval = builder.fsyncInterval;
    this.whenFull = builder.whenFull;
    this.segmentBytes = builder.segmentBytes;
    this.persistInterval = builder.persistInterval;
    this.deliveryMaxItems = builder.deliveryMaxItems;
    this.deliveryMaxDelay = builder.deliveryMaxDelay;
  }

  /**
   * The spool the {@code otel.retention.spool.*} settings describe ({@code enabled}, {@code
   * directory}, {@code max-size}, {@code max-age}, {@code segment-size}, {@code fsync}, {@code
   * fsync-interval}, {@code when-full}, {@code persist-interval}), or {@code null} when it is off
   * ({@code enabledByDefault} when {@code enabled} is not set).
   *
   * @throws ConfigException if a value is invalid
   */
  public static Builder fromEnvironment(EnvironmentConfig env, boolean enabledByDefault) {
    String prefix = "otel.retention.spool.";
    if (!env.getBoolean(prefix + "enabled", enabledByDefault)) {
      return null;
    }
    Builder builder = builder(Path.of(env.get(prefix + "directory", "telemetry-spool")));
    env.apply(prefix + "max-size", EnvironmentConfig::parseSize, builder::maxBytes);
    env.apply(prefix + "max-age", EnvironmentConfig::parseDuration, builder::maxAge);
    env.apply(prefix + "segment-size", EnvironmentConfig::parseSize, builder::segmentBytes);
    builder.fsync(env.getEnum(prefix + "fsync", Fsync.class, builder.fsync));
    env.apply(prefix + "fsync-interval", EnvironmentConfig::parseDuration, builder::fsyncInterval);
    builder.whenFull(env.getEnum(prefix + "when-full", WhenFull.class, builder.whenFull));
    env.apply(
        prefix + "persist-interval", EnvironmentConfig::parseDuration, builder::persistInterval);
    try {
      builder.build();
    } catch (ConfigException e) {
      throw new ConfigException(
          env.nameOf(prefix + "max-size")
              + " and "
              + env.nameOf(prefix + "segment-size")
              + " do not fit together: "
              + e.getMessage(),
          e);
    }
    return builder;
  }

  /** A builder for a spool under {@code directory} (each sink and signal gets a subdirectory). */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** The directory; each sink and signal spools into {@code <directory>/<sink>/<signal>}. */
  public Path directory() {
    return directory;
  }

  /** The most bytes of records the spool of one signal holds. */
  public long maxBytes() {
    return maxBytes;
  }

  /** How long a record is kept before it is dropped as {@code spool_expired}. */
  public Duration maxAge() {
    return maxAge;
  }

  /** When records reach the disk. */
  public Fsync fsync() {
    return fsync;
  }

  /** The interval of {@link Fsync#INTERVAL}. */
  public Duration fsyncInterval() {
    return fsyncInterval;
  }

  /** What happens when a batch does not fit. */
  public WhenFull whenFull() {
    return whenFull;
  }

  /** Size at which a new segment file is started. */
  public long segmentBytes() {
    return segmentBytes;
  }

  /**
   * The longest an ended span or log record waits in memory before it is written to the spool, i.e.
   * the most telemetry a crash of the process can lose: the batch processors hand their batches
   * over at least this often.
   */
  public Duration persistInterval() {
    return persistInterval;
  }

  /**
   * The most items one delivery combines from the spool, for destinations that combine records
   * (ClickHouse); 0 when not set, and then every spooled batch is sent on its own.
   */
  public int deliveryMaxItems() {
    return deliveryMaxItems;
  }

  /**
   * How long the oldest record waits for more to combine with, for destinations that combine
   * records.
   */
  public Duration deliveryMaxDelay() {
    return deliveryMaxDelay;
  }

  /**
   * The same settings for the spool of one sink and signal, in {@code <directory>/<sink>/<signal>}.
   */
  public SpoolSettings forStage(String sinkName, String signal) {
    Builder builder = toBuilder();
    builder.directory =
        directory.resolve(sinkName.replaceAll("[^A-Za-z0-9._-]", "_")).resolve(signal);
    return builder.build();
  }

  /** A builder with these settings. */
  public Builder toBuilder() {
    Builder builder = new Builder(directory);
    builder.maxBytes = maxBytes;
    builder.maxAge = maxAge;
    builder.fsync = fsync;
    builder.fsyncInterval = fsyncInterval;
    builder.whenFull = whenFull;
    builder.segmentBytes = segmentBytes;
    builder.persistInterval = persistInterval;
    builder.deliveryMaxItems = deliveryMaxItems;
    builder.deliveryMaxDelay = deliveryMaxDelay;
    return builder;
  }

  @Override
  public String toString() {
    return "SpoolSettings{directory="
        + directory
        + ", maxBytes="
        + maxBytes
        + ", maxAge="
        + maxAge
        + ", fsync="
        + fsync.name().toLowerCase(Locale.ROOT)
        + (fsync == Fsync.INTERVAL ? " " + fsyncInterval : "")
        + ", whenFull="
        + whenFull.name().toLowerCase(Locale.ROOT)
        + ", persistInterval="
        + persistInterval
        + (deliveryMaxItems > 0
            ? ", deliveries=" + deliveryMaxItems + " items/" + deliveryMaxDelay
            : "")
        + "}";
  }

  /** Builder of {@link SpoolSettings}. */
  public static final class Builder {
    private Path directory;
    private long maxBytes = 1L << 30;
    private Duration maxAge = Duration.ofHours(24);
    private Fsync fsync = Fsync.INTERVAL;
    private Duration fsyncInterval = Duration.ofSeconds(1);
    private WhenFull whenFull = WhenFull.DROP_OLDEST;
    private long segmentBytes = 16L << 20;
    private Duration persistInterval = Duration.ofSeconds(1);
    private int deliveryMaxItems;
    private Duration deliveryMaxDelay = Duration.ZERO;

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** The most bytes of records per signal, at least two segments (default 1 GiB). */
    public Builder maxBytes(long maxBytes) {
      this.maxBytes = maxBytes;
      return this;
    }

    /** How long records are kept, positive and at most 30 days (default 24 hours). */
    public Builder maxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new ConfigException(
            "spool max age must be positive, got " + EnvironmentConfig.format(maxAge));
      }
      if (maxAge.compareTo(MAX_AGE_LIMIT) > 0) {
        throw new ConfigException(
            "spool max age must be at most "
                + EnvironmentConfig.format(MAX_AGE_LIMIT)
                + ", got "
                + EnvironmentConfig.format(maxAge));
      }
      this.maxAge = maxAge;
      return this;
    }

    /** When records reach the disk (default {@link Fsync#INTERVAL}). */
    public Builder fsync(Fsync fsync) {
      this.fsync = Objects.requireNonNull(fsync, "fsync");
      return this;
    }

    /** The interval of {@link Fsync#INTERVAL}, positive (default 1 s). */
    public Builder fsyncInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero()) {
        throw new ConfigException(
            "spool fsync interval must be positive, got " + EnvironmentConfig.format(interval));
      }
      this.fsyncInterval = interval;
      return this;
    }

    /** What happens when a batch does not fit (default {@link WhenFull#DROP_OLDEST}). */
    public Builder whenFull(WhenFull whenFull) {
      this.whenFull = Objects.requireNonNull(whenFull, "whenFull");
      return this;
    }

    /** Size at which a new segment file is started, 64 KiB to 1 GiB (default 16 MiB). */
    public Builder segmentBytes(long segmentBytes) {
      if (segmentBytes < 64 << 10 || segmentBytes > MAX_SEGMENT_BYTES) {
        throw new ConfigException(
            "spool segment size must be at least 64KiB and at most 1GiB, got "
                + EnvironmentConfig.formatSize(segmentBytes));
      }
      this.segmentBytes = segmentBytes;
      return this;
    }

    /**
     * The longest ended telemetry waits in memory before it is written to the spool, positive and
     * at most 10 s (default 1 s). {@code TelemetryRetention} hands batches to the spool at this
     * interval when its batch timeout is longer; a process crash loses at most what ended within
     * it.
     */
    public Builder persistInterval(Duration persistInterval) {
      Objects.requireNonNull(persistInterval, "persistInterval");
      if (persistInterval.isNegative()
          || persistInterval.isZero()
          || persistInterval.compareTo(MAX_PERSIST_INTERVAL) > 0) {
        throw new ConfigException(
            "spool persist interval must be positive and at most 10s, got "
                + EnvironmentConfig.format(persistInterval));
      }
      this.persistInterval = persistInterval;
      return this;
    }

    /**
     * Combines spooled batches into deliveries of at most {@code maxItems} items, sent once the
     * oldest has waited {@code maxDelay}, for destinations that can combine them (ClickHouse
     * inserts). {@code TelemetryRetention} sets its batch size and batch timeout here unless this
     * was called (default: not set, every batch is sent on its own as soon as it is spooled).
     */
    public Builder deliveries(int maxItems, Duration maxDelay) {
      Objects.requireNonNull(maxDelay, "maxDelay");
      if (maxItems < 1) {
        throw new ConfigException("spool delivery size must be at least 1, got " + maxItems);
      }
      if (maxDelay.isNegative()) {
        throw new ConfigException("spool delivery delay must not be negative, got " + maxDelay);
      }
      this.deliveryMaxItems = maxItems;
      this.deliveryMaxDelay = maxDelay;
      return this;
    }

    /** Whether {@link #deliveries} was set. */
    public boolean hasDeliveries() {
      return deliveryMaxItems > 0;
    }

    /**
     * Builds the settings.
     *
     * @throws ConfigException if a value is out of range
     */
    public SpoolSettings build() {
      if (maxBytes < 2 * segmentBytes) {
        throw new ConfigException(
            "spool max size ("
                + EnvironmentConfig.formatSize(maxBytes)
                + ") must be at least two segments ("
                + EnvironmentConfig.formatSize(2 * segmentBytes)
                + ")");
      }
      return new SpoolSettings(this);
    }
  }
}
