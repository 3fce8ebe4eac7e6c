package dev.otelretention.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.TraceId;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The index's trace-id halves against the JDK's parsing and the API's printing. */
class TraceIdsTest {
  @Test
  void halvesAreTheJdksUnsignedValues() {
    Random random = new Random(11);
    for (int i = 0; i < 10_000; i++) {
      String id = TraceId.fromLongs(random.nextLong(), random.nextLong() >>> random.nextInt(64));
      assertThat(TraceIds.valid(id)).isTrue();
      assertThat(TraceIds.high(id)).isEqualTo(Long.parseUnsignedLong(id.substring(0, 16), 16));
      assertThat(TraceIds.low(id)).isEqualTo(Long.parseUnsignedLong(id.substring(16), 16));
      assertThat(TraceIds.text(TraceIds.high(id), TraceIds.low(id))).isEqualTo(id);
    }
    assertThat(TraceIds.high("ffffffffffffffff0000000000000000")).isEqualTo(-1L);
  }

  @Test
  void onlyThirtyTwoLowercaseHexDigitsAreValid() {
    String good = "4bf92f3577b34da6a3ce929d0e0e4736";
    assertThat(TraceIds.valid(good)).isTrue();
    assertThat(TraceIds.valid(good.toUpperCase(java.util.Locale.ROOT))).isFalse();
    assertThat(TraceIds.valid(good.substring(1))).isFalse();
    assertThat(TraceIds.valid(good + "0")).isFalse();
    // characters the JDK takes as digits, and ones just outside the ranges
    for (char wrong : new char[] {'g', '/', ':', '`', 'G', 'é', '\u0663', '\uff10', ' '}) {
      assertThat(TraceIds.valid(good.substring(0, 31) + wrong)).as("%s", wrong).isFalse();
      assertThat(TraceIds.valid(wrong + good.substring(1))).as("%s", wrong).isFalse();
    }
  }
}
