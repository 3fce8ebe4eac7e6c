package dev.otelretention.export;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bound on the bytes of telemetry queued inside the library (batch queues and sending queues),
 * shared by every signal and sink of one {@code TelemetryRetention}.
 *
 * <p>The limit has spike headroom: telemetry is admitted only while the queued bytes stay under the
 * soft limit ({@code limit - spike}); the headroom is left for requests being encoded and sent.
 * Telemetry that does not fit is refused, and the caller counts it as dropped: the library never
 * runs the application out of memory. Sizes are estimates of the Java heap the items occupy.
 */
public final class MemoryLimiter {
  private final long limitBytes;
  private final long spikeBytes;
  private final long softLimitBytes;
  private final AtomicLong used = new AtomicLong();

  private MemoryLimiter(long limitBytes, long spikeBytes) {
    this.limitBytes = limitBytes;
    this.spikeBytes = spikeBytes;
    this.softLimitBytes = limitBytes - spikeBytes;
  }

  /** A limiter that admits everything (still tracks usage). */
  public static MemoryLimiter unlimited() {
    return new MemoryLimiter(Long.MAX_VALUE, 0);
  }

  /**
   * A limiter with a hard limit and spike headroom.
   *
   * @param limitBytes the hard limit, positive
   * @param spikeBytes the headroom below the hard limit, at least 0 and less than {@code
   *     limitBytes}
   * @throws IllegalArgumentException if the values are out of range
   */
  public static MemoryLimiter of(long limitBytes, long spikeBytes) {
    if (limitBytes <= 0) {
      throw new IllegalArgumentException("memory limit must be positive, got " + limitBytes);
    }
    if (spikeBytes < 0 || spikeBytes >= limitBytes) {
      throw new IllegalArgumentException(
          "spike headroom must be at least 0 and below the limit ("
              + limitBytes
              + "), got "
              + spikeBytes);
    }
    return new MemoryLimiter(limitBytes, spikeBytes);
  }

  /**
   * Reserves {@code bytes} if they fit under the soft limit; returns whether they were reserved.
   */
  public boolean tryAcquire(long bytes) {
    while (true) {
      long current = used.get();
      long next = current + bytes;
      if (next > softLimitBytes || next < 0) {
        return false;
      }
      if (used.compareAndSet(current, next)) {
        return true;
      }
    }
  }

  /** Returns {@code bytes} reserved earlier by {@link #tryAcquire}. */
  public void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** Bytes currently reserved. */
  public long usedBytes() {
    return used.get();
  }

  /** The hard limit in bytes ({@link Long#MAX_VALUE} when unlimited). */
  public long limitBytes() {
    return limitBytes;
  }

  /** The spike headroom in bytes. */
  public long spikeBytes() {
    return spikeBytes;
  }

  /** The soft limit, {@code limit - spike}, above which telemetry is refused. */
  public long softLimitBytes() {
    return softLimitBytes;
  }

  /** Whether this limiter admits everything. */
  public boolean isUnlimited() {
    return limitBytes == Long.MAX_VALUE;
  }

  @Override
  public String toString() {
    return isUnlimited()
        ? "MemoryLimiter{unlimited, used=" + usedBytes() + "}"
        : "MemoryLimiter{limit="
            + limitBytes
            + ", spike="
            + spikeBytes
            + ", used="
            + usedBytes()
            + "}";
  }
}
