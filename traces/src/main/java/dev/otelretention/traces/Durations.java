package dev.otelretention.traces;

import java.util.Locale;

/** Durations written for people: {@code 850 µs}, {@code 12.4 ms}, {@code 3.20 s}. */
public final class Durations {
  private Durations() {}

  /** {@code nanos} with a unit that keeps it between 1 and 1,000 where it can. */
  public static String format(long nanos) {
    if (nanos < 1_000) {
      return nanos + " ns";
    }
    if (nanos < 1_000_000) {
      return String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
    }
    if (nanos < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}
