package dev.otelretention.exporter.clickhouse.internal.rowbinary;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The attribute maps written straight from the attributes give the same bytes as the sorted map of
 * {@link AttributeStrings#of}, which the export tests check against the engine, and allocate
 * nothing per map once warm.
 */
class AttributeMapTest {
  private static byte[] direct(Attributes attributes) {
    RowBinaryOutput out = new RowBinaryOutput();
    out.attributeMap(attributes);
    return out.toByteArray();
  }

  private static byte[] viaSortedMap(Attributes attributes) {
    RowBinaryOutput out = new RowBinaryOutput();
    out.stringMap(AttributeStrings.of(attributes));
    return out.toByteArray();
  }

  @Test
  void sameBytesAsTheSortedMapForEveryValueType() {
    Attributes attributes =
        Attributes.builder()
            .put("zeta", "last")
            .put("alpha", "first")
            .put("count", 0L)
            .put("negative", -1234567890123L)
            .put("min", Long.MIN_VALUE)
            .put("max", Long.MAX_VALUE)
            .put("ratio", 0.25)
            .put("flag", true)
            .put("off", false)
            .put("names", "a", "b\"c")
            .put("numbers", 1L, 2L)
            .put("ünïcode.key", "välüe ✓")
            .put(AttributeKey.valueKey("complex"), Value.of(Value.of("x"), Value.of(2L)))
            .build();
    assertThat(direct(attributes)).isEqualTo(viaSortedMap(attributes));
    assertThat(direct(Attributes.empty())).isEqualTo(viaSortedMap(Attributes.empty()));
  }

  @Test
  void stringsAreTheirLengthThenUtf8() {
    for (String text : new String[] {"", "ascii", "välüe ✓ 😀", "x".repeat(300) + "é"}) {
      RowBinaryOutput out = new RowBinaryOutput();
      out.string(text);
      byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      RowBinaryOutput expected = new RowBinaryOutput();
      expected.varint(utf8.length);
      byte[] header = expected.toByteArray();
      byte[] whole = java.util.Arrays.copyOf(header, header.length + utf8.length);
      System.arraycopy(utf8, 0, whole, header.length, utf8.length);
      assertThat(out.toByteArray()).as(text).isEqualTo(whole);
    }
  }

  @Test
  void sortsTheUnsortedMapOfAFinishedSdkSpan() {
    // a span's data after end() holds the SDK's mutable, hash-ordered attribute map
    List<SpanData> ended = new ArrayList<>();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(
                new SpanProcessor() {
                  @Override
                  public void onStart(
                      io.opentelemetry.context.Context context,
                      io.opentelemetry.sdk.trace.ReadWriteSpan span) {}

                  @Override
                  public boolean isStartRequired() {
                    return false;
                  }

                  @Override
                  public void onEnd(ReadableSpan span) {}

                  @Override
                  public boolean isEndRequired() {
                    return false;
                  }
                })
            .build();
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      var builder = provider.get("test").spanBuilder("s");
      int count = 1 + random.nextInt(40);
      for (int i = 0; i < count; i++) {
        String key = "key." + random.nextInt(60);
        switch (random.nextInt(4)) {
          case 0 -> builder.setAttribute(key, "v" + random.nextInt());
          case 1 -> builder.setAttribute(key, random.nextLong());
          case 2 -> builder.setAttribute(key, random.nextBoolean());
          default -> builder.setAttribute(key, random.nextDouble() * 1000);
        }
      }
      var span = builder.startSpan();
      span.end();
      SpanData data = ((ReadableSpan) span).toSpanData();
      ended.add(data);
      assertThat(direct(data.getAttributes()))
          .as("round %d", round)
          .isEqualTo(viaSortedMap(data.getAttributes()));
    }
    provider.close();
    assertThat(ended).hasSize(200);
  }

  @Test
  void keepsTheLastValueOfAKeyGivenTwiceWithDifferentTypes() {
    AttributesBuilder builder = Attributes.builder();
    builder.put(AttributeKey.stringKey("same"), "text");
    builder.put(AttributeKey.longKey("same"), 42L);
    Attributes attributes = builder.build();
    assertThat(direct(attributes)).isEqualTo(viaSortedMap(attributes));
  }

  @Test
  void bytesKeptForRepeatedKeysAndValuesAreTheBytesOfTheirMap() {
    String method = "GET";
    String unicode = "välüe ✓";
    List<Attributes> maps = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      AttributesBuilder builder =
          Attributes.builder()
              .put("http.request.method", i % 7 == 0 ? "POST" : method)
              .put("url.full", "https://shop.example.com/orders/" + i)
              .put("label", unicode)
              .put("http.response.status_code", 200L + i % 3);
      // a key named by a new string each time, and keys that share one slot of the cache
      builder.put(new String("dynamic.key".toCharArray()), "same " + (i % 2));
      builder.put("Aa", "first").put("BB", "second");
      maps.add(builder.build());
      if (i % 5 == 0) {
        maps.add(Attributes.builder().put("http.request.method", method).build());
      }
    }
    RowBinaryOutput out = new RowBinaryOutput();
    for (int round = 0; round < 3; round++) {
      for (Attributes attributes : maps) {
        out.reset();
        out.attributeMap(attributes);
        assertThat(out.toByteArray()).isEqualTo(viaSortedMap(attributes));
      }
    }
  }

  @Test
  void allocatesNothingPerMapOnceWarm() {
    Attributes attributes =
        Attributes.builder()
            .put("http.request.method", "GET")
            .put("url.full", "https://shop.example.com/orders/1")
            .put("http.response.status_code", 200L)
            .put("server.port", 443L)
            .put("error", false)
            .build();
    RowBinaryOutput out = new RowBinaryOutput();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int i = 0; i < 20_000; i++) {
      out.reset();
      out.attributeMap(attributes);
    }
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < 10_000; i++) {
      out.reset();
      out.attributeMap(attributes);
    }
    long perMap = (threads.getThreadAllocatedBytes(thread) - before) / 10_000;
    // the sorted map allocated about 500 bytes for these five entries
    assertThat(perMap).isLessThan(16);
  }
}
