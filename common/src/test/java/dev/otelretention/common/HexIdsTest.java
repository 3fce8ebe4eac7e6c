package dev.otelretention.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Id halves against the JDK's parsing of the same text. */
class HexIdsTest {
  @Test
  void parsesAsTheJdkDoes() {
    Random random = new Random(3);
    for (int i = 0; i < 10_000; i++) {
      long high = random.nextLong();
      long low = random.nextLong() >>> random.nextInt(64);
      String id = String.format(Locale.ROOT, "%016x%016x", high, low);
      assertThat(HexIds.isLowerHex(id, 0, 32)).isTrue();
      assertThat(HexIds.parse(id, 0)).isEqualTo(high);
      assertThat(HexIds.parse(id, 16)).isEqualTo(low);
      // upper case is not what the API gives, but is read as the JDK reads it
      String upper = id.toUpperCase(Locale.ROOT);
      assertThat(HexIds.parse(upper, 16)).isEqualTo(Long.parseUnsignedLong(upper, 16, 32, 16));
    }
    assertThat(HexIds.parse("ffffffffffffffff", 0)).isEqualTo(-1L);
  }

  @Test
  void onlyLowercaseHexDigitsAreHex() {
    String good = "4bf92f3577b34da6";
    for (char wrong : new char[] {'g', '/', ':', '`', 'G', 'A', 'é', '\u0663', '\uff10', ' '}) {
      assertThat(HexIds.isLowerHex(good.substring(0, 15) + wrong, 0, 16)).as("%s", wrong).isFalse();
      assertThat(HexIds.isLowerHex(wrong + good.substring(1), 0, 16)).as("%s", wrong).isFalse();
    }
    assertThat(HexIds.isLowerHex("xx" + good, 2, 18)).isTrue();
    assertThatThrownBy(() -> HexIds.parse("4bf92f3577b34dag", 0))
        .isInstanceOf(NumberFormatException.class);
  }
}
