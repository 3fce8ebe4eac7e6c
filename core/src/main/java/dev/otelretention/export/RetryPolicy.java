package dev.otelretention.export;

import dev.otelretention.config.EnvironmentConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Exponential back-off with jitter for failed exports. Defaults follow the Collector's {@code
 * retry_on_failure}: initial interval 5 s, multiplier 1.5, randomization 0.5, max interval 30 s,
 * max elapsed time 300 s.
 */
public final class RetryPolicy {
  private static final RetryPolicy DEFAULT = builder().build();
  private static final RetryPolicy DISABLED = builder().enabled(false).build();

  private final boolean enabled;
  private final Duration initialInterval;
  private final Duration maxInterval;
  private final Duration maxElapsedTime;
  private final double multiplier;
  private final double randomizationFactor;

  private RetryPolicy(Builder builder) {
    this.enabled = builder.enabled;
    this.initialInterval = builder.initialInterval;
    this.maxInterval = builder.maxInterval;
    this.maxElapsedTime = builder.maxElapsedTime;
    this.multiplier = builder.multiplier;
    this.randomizationFactor = builder.randomizationFactor;
  }

  /** The default policy: 5 s initial, 30 s max interval, 300 s max elapsed. */
  public static RetryPolicy getDefault() {
    return DEFAULT;
  }

  /** A policy that never retries. */
  public static RetryPolicy disabled() {
    return DISABLED;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether failed exports are retried at all. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Wait before the first retry (default 5 s). */
  public Duration initialInterval() {
    return initialInterval;
  }

  /** Upper bound of a single wait (default 30 s). */
  public Duration maxInterval() {
    return maxInterval;
  }

  /** Time after the first attempt when a batch is given up (default 300 s). */
  public Duration maxElapsedTime() {
    return maxElapsedTime;
  }

  /** Growth factor of the wait per retry (default 1.5). */
  public double multiplier() {
    return multiplier;
  }

  /** Jitter: a wait is drawn uniformly from {@code interval × (1 ± factor)} (default 0.5). */
  public double randomizationFactor() {
    return randomizationFactor;
  }

  @Override
  public String toString() {
    return enabled
        ? "RetryPolicy{initial="
            + initialInterval
            + ", max="
            + maxInterval
            + ", maxElapsed="
            + maxElapsedTime
            + ", multiplier="
            + multiplier
            + ", randomization="
            + randomizationFactor
            + "}"
        : "RetryPolicy{disabled}";
  }

  /** Builder of {@link RetryPolicy}. */
  public static final class Builder {
    private boolean enabled = true;
    private Duration initialInterval = Duration.ofSeconds(5);
    private Duration maxInterval = Duration.ofSeconds(30);
    private Duration maxElapsedTime = Duration.ofMinutes(5);
    private double multiplier = 1.5;
    private double randomizationFactor = 0.5;

    private Builder() {}

    /** Turns retries on or off (default on). */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** Wait before the first retry, positive (default 5 s). */
    public Builder initialInterval(Duration initialInterval) {
      this.initialInterval = positive(initialInterval, "initialInterval");
      return this;
    }

    /** Upper bound of one wait, positive (default 30 s). */
    public Builder maxInterval(Duration maxInterval) {
      this.maxInterval = positive(maxInterval, "maxInterval");
      return this;
    }

    /** Time after the first attempt when a batch is given up, positive (default 300 s). */
    public Builder maxElapsedTime(Duration maxElapsedTime) {
      this.maxElapsedTime = positive(maxElapsedTime, "maxElapsedTime");
      return this;
    }

    /** Growth factor per retry, at least 1 (default 1.5). */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException(
            "multiplier must be a finite number >= 1, got " + multiplier);
      }
      this.multiplier = multiplier;
      return this;
    }

    /** Jitter factor in [0, 1) (default 0.5). */
    public Builder randomizationFactor(double randomizationFactor) {
      if (!(randomizationFactor >= 0.0 && randomizationFactor < 1.0)) {
        throw new IllegalArgumentException(
            "randomizationFactor must be in [0, 1), got " + randomizationFactor);
      }
      this.randomizationFactor = randomizationFactor;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalArgumentException if the initial interval exceeds the max interval
     */
    public RetryPolicy build() {
      if (initialInterval.compareTo(maxInterval) > 0) {
        throw new IllegalArgumentException(
            "initialInterval ("
                + initialInterval
                + ") must not exceed maxInterval ("
                + maxInterval
                + ")");
      }
      return new RetryPolicy(this);
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            name + " must be positive, got " + EnvironmentConfig.format(value));
      }
      return value;
    }
  }
}
