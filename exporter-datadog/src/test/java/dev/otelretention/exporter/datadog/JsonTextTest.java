package dev.otelretention.exporter.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** String literals of the hand-written event JSON, read back by Jackson. */
class JsonTextTest {
  @Test
  void escapesWhatJsonRequiresAndReplacesUnpairedSurrogates() throws Exception {
    String text = "quote \" backslash \\ newline \n tab \t return \r bell \u0007 nul \u0000 é ✓ 😀";
    StringBuilder json = new StringBuilder();
    JsonText.appendString(json, text);
    assertThat(new ObjectMapper().readTree(json.toString()).asText()).isEqualTo(text);

    StringBuilder broken = new StringBuilder();
    JsonText.appendString(broken, "half \uD83D of a pair");
    assertThat(new ObjectMapper().readTree(broken.toString()).asText())
        .isEqualTo("half \uFFFD of a pair");
  }
}
