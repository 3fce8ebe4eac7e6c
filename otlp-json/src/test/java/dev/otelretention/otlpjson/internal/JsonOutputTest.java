package dev.otelretention.otlpjson.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written JSON output gives the bytes Jackson's generator gives for the same calls, except
 * for characters outside the Basic Multilingual Plane, which it writes as UTF-8 where Jackson
 * writes the {@code \}{@code u} escapes of their surrogate pair; both read back as the same text.
 */
class JsonOutputTest {
  private interface Calls {
    void onJackson(JsonGenerator gen) throws IOException;

    void onOurs(JsonOutput out) throws IOException;
  }

  private static void same(Calls calls) throws IOException {
    same(calls, true);
  }

  private static void same(Calls calls, boolean sameBytes) throws IOException {
    ByteArrayOutputStream jackson = new ByteArrayOutputStream();
    try (JsonGenerator gen = new JsonFactory().createGenerator(jackson, JsonEncoding.UTF8)) {
      calls.onJackson(gen);
    }
    ByteArrayOutputStream ours = new ByteArrayOutputStream();
    JsonOutput out = new JsonOutput();
    out.start(ours);
    calls.onOurs(out);
    out.finish();
    if (sameBytes) {
      assertThat(ours.toString(java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(jackson.toString(java.nio.charset.StandardCharsets.UTF_8));
    } else {
      assertThat(tokens(ours.toByteArray())).isEqualTo(tokens(jackson.toByteArray()));
    }
  }

  /** Every token of a JSON text with its text, as Jackson's parser reads them. */
  private static java.util.List<String> tokens(byte[] json) throws IOException {
    java.util.List<String> tokens = new java.util.ArrayList<>();
    try (com.fasterxml.jackson.core.JsonParser parser = new JsonFactory().createParser(json)) {
      for (var token = parser.nextToken(); token != null; token = parser.nextToken()) {
        tokens.add(token + " " + parser.getText());
      }
    }
    return tokens;
  }

  private static String randomText(Random random, int length, boolean supplementary) {
    StringBuilder text = new StringBuilder();
    while (text.length() < length) {
      int kind = random.nextInt(6);
      if (kind == 4 && !supplementary) {
        kind = 5;
      }
      switch (kind) {
        case 0 -> text.append((char) random.nextInt(0x20));
        case 1 -> text.append("\"\\/");
        case 2 -> text.append((char) (0xa0 + random.nextInt(0x700)));
        case 3 -> text.append((char) (0x800 + random.nextInt(0xd000)));
        case 4 -> text.appendCodePoint(0x10000 + random.nextInt(0xfffff));
        default -> text.append("plain ascii ");
      }
    }
    return text.toString();
  }

  @Test
  void stringsNumbersAndNestingAsJacksonWritesThem() throws IOException {
    Random random = new Random(17);
    for (int round = 0; round < 300; round++) {
      // lengths around the segment size, where a surrogate pair may fall on the boundary
      int length = round % 3 == 0 ? 4090 + random.nextInt(12) : random.nextInt(200);
      boolean supplementary = round % 2 == 1;
      String text = randomText(random, length, supplementary);
      long number = random.nextLong() >> random.nextInt(64);
      double real = random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
      same(
          new Calls() {
            @Override
            public void onJackson(JsonGenerator gen) throws IOException {
              gen.writeStartObject();
              gen.writeFieldName(new SerializedString("text"));
              gen.writeString(text);
              gen.writeFieldName(new SerializedString("list"));
              gen.writeStartArray();
              gen.writeNumber(number);
              gen.writeNumber(Long.MIN_VALUE);
              gen.writeNumber(real);
              gen.writeBoolean(true);
              gen.writeStartObject();
              gen.writeEndObject();
              gen.writeStartArray();
              gen.writeEndArray();
              gen.writeString(Long.toString(number));
              gen.writeEndArray();
              gen.writeFieldName(new SerializedString("last"));
              gen.writeBoolean(false);
              gen.writeEndObject();
            }

            @Override
            public void onOurs(JsonOutput out) throws IOException {
              out.writeStartObject();
              out.writeFieldName(new SerializedString("text"));
              out.writeString(text);
              out.writeFieldName(new SerializedString("list"));
              out.writeStartArray();
              out.writeNumber(number);
              out.writeNumber(Long.MIN_VALUE);
              out.writeNumber(real);
              out.writeBoolean(true);
              out.writeStartObject();
              out.writeEndObject();
              out.writeStartArray();
              out.writeEndArray();
              out.writeQuotedNumber(number);
              out.writeEndArray();
              out.writeFieldName(new SerializedString("last"));
              out.writeBoolean(false);
              out.writeEndObject();
            }
          },
          !supplementary);
    }
  }

  @Test
  void numbersAtEveryDigitCountAndPartBoundary() throws IOException {
    java.util.List<Long> numbers = new java.util.ArrayList<>(java.util.List.of(Long.MAX_VALUE));
    for (long power = 1; power > 0 && power <= Long.MAX_VALUE / 10; power *= 10) {
      numbers.addAll(java.util.List.of(power - 1, power, power + 1, power * 10 - 1));
    }
    numbers.addAll(
        java.util.List.of(
            (long) Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 1_000_000_000_000_000_007L));
    for (long number : numbers) {
      for (long signed : new long[] {number, -number}) {
        same(
            new Calls() {
              @Override
              public void onJackson(JsonGenerator gen) throws IOException {
                gen.writeStartArray();
                gen.writeNumber(signed);
                gen.writeString(Long.toString(signed));
                gen.writeEndArray();
              }

              @Override
              public void onOurs(JsonOutput out) throws IOException {
                out.writeStartArray();
                out.writeNumber(signed);
                out.writeQuotedNumber(signed);
                out.writeEndArray();
              }
            });
      }
    }
  }

  @Test
  void anUnpairedSurrogateIsWrittenAsTheReplacementCharacter() throws IOException {
    Random random = new Random(23);
    for (int round = 0; round < 200; round++) {
      StringBuilder text = new StringBuilder(randomText(random, 4100, true));
      // lone halves anywhere, and at the segment's last and first character
      int[] at = {random.nextInt(text.length()), 4095, 4096, text.length()};
      char[] halves = {'\uD800', '\uDBFF', '\uDC00', '\uDFFF'};
      for (int i = 0; i < at.length; i++) {
        if (random.nextBoolean()) {
          text.insert(at[i], halves[random.nextInt(halves.length)]);
        }
      }
      String broken = text.toString();
      String wellFormed = dev.otelretention.common.WellFormedText.of(broken);
      same(
          new Calls() {
            @Override
            public void onJackson(JsonGenerator gen) throws IOException {
              gen.writeString(wellFormed);
            }

            @Override
            public void onOurs(JsonOutput out) throws IOException {
              out.writeString(broken);
            }
          },
          false);
    }
  }

  @Test
  void aValueLargerThanTheBufferIsWrittenWhole() throws IOException {
    String large = "x".repeat(200_000) + "é";
    same(
        new Calls() {
          @Override
          public void onJackson(JsonGenerator gen) throws IOException {
            gen.writeStartArray();
            gen.writeString(large);
            gen.writeString(large);
            gen.writeEndArray();
          }

          @Override
          public void onOurs(JsonOutput out) throws IOException {
            out.writeStartArray();
            out.writeString(large);
            out.writeString(large);
            out.writeEndArray();
          }
        });
  }
}
