package dev.otelretention.traces;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The durations against the JDK's formatter, which they replace, and at their edges. */
class DurationsTest {
  private static String formatter(long nanos) {
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

  @Test
  void writesWhatTheFormatterWrote() {
    Random random = new Random(11);
    for (int i = 0; i < 200_000; i++) {
      // every order of magnitude up to a day, and the values that sit on a rounding half
      long magnitude = (long) Math.pow(10, random.nextInt(14));
      long nanos =
          i % 2 == 0 ? random.nextLong(magnitude * 10) : magnitude * (1 + random.nextInt(99)) / 2;

      assertThat(Durations.format(nanos)).as("%d ns", nanos).isEqualTo(formatter(nanos));
    }
  }

  @Test
  void roundsHalfUpAtEachUnit() {
    assertThat(Durations.format(999)).isEqualTo("999 ns");
    assertThat(Durations.format(1_499)).isEqualTo("1 µs");
    assertThat(Durations.format(1_500)).isEqualTo("2 µs");
    assertThat(Durations.format(999_500)).isEqualTo("1000 µs");
    assertThat(Durations.format(1_049_999)).isEqualTo("1.0 ms");
    assertThat(Durations.format(1_050_000)).isEqualTo("1.1 ms");
    assertThat(Durations.format(999_950_000)).isEqualTo("1000.0 ms");
    assertThat(Durations.format(1_005_000_000)).isEqualTo("1.01 s");
    assertThat(Durations.format(3_200_000_000L)).isEqualTo("3.20 s");
    assertThat(Durations.format(86_400_000_000_000L)).isEqualTo("86400.00 s");
  }
}
