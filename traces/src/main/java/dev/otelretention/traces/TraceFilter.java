package dev.otelretention.traces;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Which traces a list shows: those that started in {@code [since, until)}, have a span of {@code
 * service}, last at least {@code minDuration}, and (with {@code errorsOnly}) have an error span;
 * the {@code limit} most recent of them.
 */
public final class TraceFilter {
  private final String service;
  private final Duration minDuration;
  private final boolean errorsOnly;
  private final Instant since;
  private final Instant until;
  private final int limit;

  private TraceFilter(Builder builder) {
    this.service = builder.service;
    this.minDuration = builder.minDuration;
    this.errorsOnly = builder.errorsOnly;
    this.since = builder.since;
    this.until = builder.until;
    this.limit = builder.limit;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The service a listed trace must have a span of, or {@code null} for any. */
  public String service() {
    return service;
  }

  public Duration minDuration() {
    return minDuration;
  }

  public boolean errorsOnly() {
    return errorsOnly;
  }

  /** The earliest start of a listed trace, or {@code null} for no bound. */
  public Instant since() {
    return since;
  }

  /** The start a listed trace must be before, or {@code null} for no bound. */
  public Instant until() {
    return until;
  }

  public int limit() {
    return limit;
  }

  /** Whether a trace that started at {@code start} is in the time range. */
  public boolean inRange(Instant start) {
    return (since == null || !start.isBefore(since)) && (until == null || start.isBefore(until));
  }

  /** Whether {@code trace} passes every bound but the service, which the source checks. */
  public boolean matches(TraceSummary trace) {
    return inRange(trace.start())
        && trace.duration().compareTo(minDuration) >= 0
        && (!errorsOnly || trace.errors() > 0);
  }

  /** Builder of {@link TraceFilter}. */
  public static final class Builder {
    private String service;
    private Duration minDuration = Duration.ZERO;
    private boolean errorsOnly;
    private Instant since;
    private Instant until;
    private int limit = 20;

    private Builder() {}

    /** Only traces with a span of this service (default: any). */
    public Builder service(String service) {
      this.service = Objects.requireNonNull(service, "service");
      return this;
    }

    /** Only traces that last at least this long (default 0). */
    public Builder minDuration(Duration minDuration) {
      Objects.requireNonNull(minDuration, "minDuration");
      if (minDuration.isNegative()) {
        throw new IllegalArgumentException("minDuration must not be negative: " + minDuration);
      }
      this.minDuration = minDuration;
      return this;
    }

    /** Only traces with a span whose status is ERROR (default false). */
    public Builder errorsOnly(boolean errorsOnly) {
      this.errorsOnly = errorsOnly;
      return this;
    }

    /** Only traces that started at or after this (default: no bound). */
    public Builder since(Instant since) {
      this.since = Objects.requireNonNull(since, "since");
      return this;
    }

    /** Only traces that started before this (default: no bound). */
    public Builder until(Instant until) {
      this.until = Objects.requireNonNull(until, "until");
      return this;
    }

    /** At most this many traces, the most recent (default 20). */
    public Builder limit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be at least 1, got " + limit);
      }
      this.limit = limit;
      return this;
    }

    public TraceFilter build() {
      if (since != null && until != null && !since.isBefore(until)) {
        throw new IllegalArgumentException("since " + since + " is not before until " + until);
      }
      return new TraceFilter(this);
    }
  }
}
