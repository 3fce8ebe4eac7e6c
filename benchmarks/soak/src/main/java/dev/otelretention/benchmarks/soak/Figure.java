package dev.otelretention.benchmarks.soak;

import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/** The sampled figures of the soak, with what makes a slope of each one readable. */
enum Figure {
  HEAP("heap after GC", "MiB", 1 << 20, SoakRun.Sample::heapAfterGc),
  THREADS("threads", "", 1, SoakRun.Sample::threads),
  OPEN_FILES("open files", "", 1, SoakRun.Sample::openFiles),
  FILES("files on disk", "MiB", 1 << 20, SoakRun.Sample::filesBytes),
  SPOOL("spool on disk", "MiB", 1 << 20, SoakRun.Sample::spoolBytes);

  final String title;
  final String unit;
  final double scale;

  @SuppressWarnings("ImmutableEnumChecker") // method references to record accessors, no state
  final ToLongFunction<SoakRun.Sample> value;

  Figure(String title, String unit, double scale, ToLongFunction<SoakRun.Sample> value) {
    this.title = title;
    this.unit = unit;
    this.scale = scale;
    this.value = value;
  }

  double of(SoakRun.Sample sample) {
    return value.applyAsLong(sample) / scale;
  }

  /**
   * First, last, least and most value after {@code settledMinute}, and the least-squares slope per
   * hour over the samples of the run's last steady stretch (after the outage and the restart), the
   * figure a leak would show in.
   */
  String summary(List<SoakRun.Sample> samples, double settledMinute) {
    List<SoakRun.Sample> settled =
        samples.stream().filter(s -> s.minute() >= settledMinute).toList();
    if (settled.isEmpty()) {
      return title + ": no samples";
    }
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (SoakRun.Sample s : settled) {
      min = Math.min(min, of(s));
      max = Math.max(max, of(s));
    }
    int lastRun = settled.get(settled.size() - 1).run();
    List<SoakRun.Sample> last = settled.stream().filter(s -> s.run() == lastRun).skip(3).toList();
    return String.format(
        Locale.ROOT,
        "%-14s first %9.1f, last %9.1f, min %9.1f, max %9.1f %-3s; slope over the last run %+.2f %s/h",
        title,
        of(settled.get(0)),
        of(settled.get(settled.size() - 1)),
        min,
        max,
        unit,
        slopePerHour(last),
        unit.isEmpty() ? "" : unit);
  }

  private double slopePerHour(List<SoakRun.Sample> samples) {
    int n = samples.size();
    if (n < 2) {
      return 0;
    }
    double meanX = 0;
    double meanY = 0;
    for (SoakRun.Sample s : samples) {
      meanX += s.minute();
      meanY += of(s);
    }
    meanX /= n;
    meanY /= n;
    double numerator = 0;
    double denominator = 0;
    for (SoakRun.Sample s : samples) {
      numerator += (s.minute() - meanX) * (of(s) - meanY);
      denominator += (s.minute() - meanX) * (s.minute() - meanX);
    }
    return denominator == 0 ? 0 : 60 * numerator / denominator;
  }
}
