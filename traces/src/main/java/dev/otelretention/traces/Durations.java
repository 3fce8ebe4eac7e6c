package dev.otelretention.traces;

/**
 * Durations written for people: {@code 850 µs}, {@code 12.4 ms}, {@code 3.20 s}. Rounded half up,
 * as {@code String.format("%.1f")} rounds, but in whole numbers: a trace view prints a few of them
 * and the formatter's first use costs a command line more than the rest of its drawing.
 */
public final class Durations {
  private Durations() {}

  /** {@code nanos} with a unit that keeps it between 1 and 1,000 where it can. */
  public static String format(long nanos) {
    if (nanos < 1_000) {
      return nanos + " ns";
    }
    if (nanos < 1_000_000) {
      return rounded(nanos, 1_000, 0) + " µs";
    }
    if (nanos < 1_000_000_000) {
      return rounded(nanos, 1_000_000, 1) + " ms";
    }
    return rounded(nanos, 1_000_000_000, 2) + " s";
  }

  /** {@code nanos / unit} with {@code decimals} digits after the point, rounded half up. */
  private static String rounded(long nanos, long unit, int decimals) {
    long step = unit;
    for (int i = 0; i < decimals; i++) {
      step /= 10;
    }
    long steps = nanos / step + (nanos % step >= (step + 1) / 2 ? 1 : 0);
    if (decimals == 0) {
      return Long.toString(steps);
    }
    long scale = unit / step;
    StringBuilder text = new StringBuilder().append(steps / scale).append('.');
    String fraction = Long.toString(steps % scale);
    text.append("0".repeat(decimals - fraction.length())).append(fraction);
    return text.toString();
  }
}
