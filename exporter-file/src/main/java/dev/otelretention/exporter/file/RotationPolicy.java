package dev.otelretention.exporter.file;

import dev.otelretention.config.EnvironmentConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * When the active file is rotated and how long backups are kept. Defaults: 100 MiB per file,
 * backups kept 7 days, at most 5 backups, no daily rotation, no total cap, no compression, UTC
 * timestamps in backup names.
 *
 * <p>Backups are named {@code <name>-<yyyy-MM-dd'T'HH-mm-ss.SSS>-<reason><ext>[.gz|.zst]}, e.g.
 * {@code traces-2026-01-02T15-04-05.000-size.jsonl.gz}, where the reason is {@code size} or {@code
 * daily}; the names sort by time.
 */
public final class RotationPolicy {
  private static final RotationPolicy DEFAULT = builder().build();

  private final long maxFileSize;
  private final Duration maxAge;
  private final int maxBackups;
  private final boolean dailyRotation;
  private final long maxTotalSize;
  private final Compression compression;
  private final boolean localTime;

  private RotationPolicy(Builder builder) {
    this.maxFileSize = builder.maxFileSize;
    this.maxAge = builder.maxAge;
    this.maxBackups = builder.maxBackups;
    this.dailyRotation = builder.dailyRotation;
    this.maxTotalSize = builder.maxTotalSize;
    this.compression = builder.compression;
    this.localTime = builder.localTime;
  }

  /** The defaults: 100 MiB, 7 days, 5 backups. */
  public static RotationPolicy getDefault() {
    return DEFAULT;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    return new Builder()
        .maxFileSize(maxFileSize)
        .maxAge(maxAge)
        .maxBackups(maxBackups)
        .dailyRotation(dailyRotation)
        .maxTotalSize(maxTotalSize)
        .compression(compression)
        .localTime(localTime);
  }

  /** Size at which the active file is rotated, in bytes. */
  public long maxFileSize() {
    return maxFileSize;
  }

  /**
   * Backups older than this (by the time in their name) are deleted; {@link Duration#ZERO} keeps
   * them.
   */
  public Duration maxAge() {
    return maxAge;
  }

  /** Most backups kept (0: rotated data is deleted at once). */
  public int maxBackups() {
    return maxBackups;
  }

  /** Whether the active file is also rotated when the day changes. */
  public boolean dailyRotation() {
    return dailyRotation;
  }

  /**
   * Cap on the bytes of the active file plus all backups, 0 for none. Backups are deleted, oldest
   * first, so that they fit beside a full active file.
   */
  public long maxTotalSize() {
    return maxTotalSize;
  }

  /** Compression of rotated backups. */
  public Compression compression() {
    return compression;
  }

  /** Whether backup names use local time instead of UTC (also decides when a day changes). */
  public boolean localTime() {
    return localTime;
  }

  @Override
  public String toString() {
    return "RotationPolicy{maxFileSize="
        + maxFileSize
        + ", maxAge="
        + maxAge
        + ", maxBackups="
        + maxBackups
        + ", dailyRotation="
        + dailyRotation
        + ", maxTotalSize="
        + maxTotalSize
        + ", compression="
        + compression
        + ", localTime="
        + localTime
        + "}";
  }

  /** Builder of {@link RotationPolicy}; setters validate, {@link #build()} checks combinations. */
  public static final class Builder {
    /** Smallest accepted file size: one record must fit with room to spare. */
    static final long MIN_FILE_SIZE = 1024;

    private long maxFileSize = 100L << 20;
    private Duration maxAge = Duration.ofDays(7);
    private int maxBackups = 5;
    private boolean dailyRotation;
    private long maxTotalSize;
    private Compression compression = Compression.NONE;
    private boolean localTime;

    private Builder() {}

    /** Size at which the active file is rotated, at least 1 KiB (default 100 MiB). */
    public Builder maxFileSize(long bytes) {
      if (bytes < MIN_FILE_SIZE) {
        throw new IllegalArgumentException(
            "the file size at which files rotate must be at least "
                + EnvironmentConfig.formatSize(MIN_FILE_SIZE)
                + ", got "
                + EnvironmentConfig.formatSize(bytes));
      }
      this.maxFileSize = bytes;
      return this;
    }

    /**
     * Age after which backups are deleted, not negative; zero keeps them forever (default 7 days).
     */
    public Builder maxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative()) {
        throw new IllegalArgumentException(
            "the age backups are kept must not be negative, got "
                + EnvironmentConfig.format(maxAge));
      }
      this.maxAge = maxAge;
      return this;
    }

    /** Most backups kept, at least 0 (default 5). */
    public Builder maxBackups(int maxBackups) {
      if (maxBackups < 0) {
        throw new IllegalArgumentException(
            "the number of backups kept must not be negative, got " + maxBackups);
      }
      this.maxBackups = maxBackups;
      return this;
    }

    /** Also rotate when the day changes (default false). */
    public Builder dailyRotation(boolean dailyRotation) {
      this.dailyRotation = dailyRotation;
      return this;
    }

    /** Cap on the active file plus all backups in bytes, 0 for none (default 0). */
    public Builder maxTotalSize(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException(
            "the total size cap must not be negative, got " + EnvironmentConfig.formatSize(bytes));
      }
      this.maxTotalSize = bytes;
      return this;
    }

    /** Compression of rotated backups (default {@link Compression#NONE}). */
    public Builder compression(Compression compression) {
      this.compression = Objects.requireNonNull(compression, "compression");
      return this;
    }

    /** Use local time instead of UTC in backup names and for daily rotation (default false). */
    public Builder localTime(boolean localTime) {
      this.localTime = localTime;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalArgumentException if compression is asked for with no backups kept, or the
     *     total cap is smaller than one file
     */
    public RotationPolicy build() {
      if (compression != Compression.NONE && maxBackups == 0) {
        throw new IllegalArgumentException(
            "compression "
                + compression.name().toLowerCase(java.util.Locale.ROOT)
                + " has nothing to compress: no backups are kept, so rotated files are deleted");
      }
      if (maxTotalSize != 0 && maxTotalSize < maxFileSize) {
        throw new IllegalArgumentException(
            "the total size cap ("
                + EnvironmentConfig.formatSize(maxTotalSize)
                + ") must be 0 or at least the size at which files rotate ("
                + EnvironmentConfig.formatSize(maxFileSize)
                + ")");
      }
      return new RotationPolicy(this);
    }
  }
}
