package dev.otelretention.exporter.datadog;

import dev.otelretention.common.WellFormedText;

/** JSON string literals appended to a builder: escaped, with unpaired surrogates made U+FFFD. */
final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  static void appendString(StringBuilder out, String value) {
    String text = WellFormedText.of(value);
    out.append('"');
    int length = text.length();
    int clean = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      // the run of characters that need no escape, in one append
      out.append(text, clean, i);
      clean = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    out.append(text, clean, length);
    out.append('"');
  }
}
