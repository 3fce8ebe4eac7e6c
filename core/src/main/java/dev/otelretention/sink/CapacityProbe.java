package dev.otelretention.sink;

import java.util.List;
import java.util.Objects;

/**
 * Measures where a sink keeps its data, for capacity alerts; see {@link
 * TelemetrySink#capacityProbe(SinkContext)}. Called from a background thread every check interval;
 * it may do I/O.
 */
@FunctionalInterface
public interface CapacityProbe {
  /**
   * Measures every store of the sink.
   *
   * @throws Exception if it cannot measure now; the previous samples are kept and the failure is
   *     logged
   */
  List<CapacitySample> sample() throws Exception;

  /**
   * One measurement of where a sink keeps data: a table or a file (its bytes, the most it will use
   * at the configured retention, how fast it grows) or a disk (free and total bytes). A value that
   * the store cannot tell is {@code -1} (bytes) or {@code NaN} (growth).
   *
   * @param store what was measured, e.g. {@code otel_traces}, {@code traces.jsonl} or {@code
   *     disk:default}
   * @param usedBytes bytes it uses now
   * @param projectedBytes the most it will use at the configured retention and the recent growth,
   *     or -1
   * @param growthBytesPerDay bytes it takes in per day lately, or NaN
   * @param freeBytes bytes free on the disk it is on, or -1
   * @param totalBytes size of that disk, or -1
   */
  public record CapacitySample(
      String store,
      long usedBytes,
      long projectedBytes,
      double growthBytesPerDay,
      long freeBytes,
      long totalBytes) {
    /** Checks the store name. */
    public CapacitySample {
      Objects.requireNonNull(store, "store");
    }

    /** A table or file: used, projected (-1 if unknown) and growth per day (NaN if unknown). */
    public static CapacitySample storage(
        String store, long usedBytes, long projectedBytes, double growthBytesPerDay) {
      return new CapacitySample(store, usedBytes, projectedBytes, growthBytesPerDay, -1, -1);
    }

    /** A disk: free and total bytes. */
    public static CapacitySample disk(String store, long freeBytes, long totalBytes) {
      return new CapacitySample(
          store, Math.max(0, totalBytes - freeBytes), -1, Double.NaN, freeBytes, totalBytes);
    }

    /** Free bytes as a part of the disk, from 0 to 1, or NaN when not a disk. */
    public double freeRatio() {
      return freeBytes < 0 || totalBytes <= 0 ? Double.NaN : (double) freeBytes / totalBytes;
    }
  }
}
