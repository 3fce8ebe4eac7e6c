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
   * Least and most value, and the least-squares slope per hour over each steady stretch: from
   * {@code settle} minutes after the application started to the outage, from the end of the outage
   * to the restart, and from {@code settle} minutes after the restart to the end. A leak shows as a
   * slope of the same sign in every stretch; warm-up and the outage are left out.
   */
  String summary(
      List<SoakRun.Sample> samples,
      double settle,
      double outageStart,
      double outageEnd,
      double restart) {
    if (samples.isEmpty()) {
      return title + ": no samples";
    }
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (SoakRun.Sample s : samples) {
      min = Math.min(min, of(s));
      max = Math.max(max, of(s));
    }
    double end = samples.get(samples.size() - 1).minute();
    return String.format(
        Locale.ROOT,
        "%-14s min %7.1f, max %7.1f %-3s; slope per hour over minutes %.0f-%.0f: %s,"
            + " %.0f-%.0f: %s, %.0f-%.0f: %s",
        title,
        min,
        max,
        unit,
        settle,
        outageStart,
        slopePerHour(between(samples, settle, outageStart)),
        outageEnd,
        restart,
        slopePerHour(between(samples, outageEnd, restart)),
        restart + settle,
        end,
        slopePerHour(between(samples, restart + settle, end + 1)));
  }

  private static List<SoakRun.Sample> between(
      List<SoakRun.Sample> samples, double from, double to) {
    return samples.stream().filter(s -> s.minute() >= from && s.minute() < to).toList();
  }

  /** The slope as text, {@code n/a} where the stretch has fewer than 3 samples to fit. */
  private String slopePerHour(List<SoakRun.Sample> samples) {
    int n = samples.size();
    if (n < 3) {
      return "n/a";
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
    return String.format(Locale.ROOT, "%+.2f", 60 * numerator / denominator);
  }
}
