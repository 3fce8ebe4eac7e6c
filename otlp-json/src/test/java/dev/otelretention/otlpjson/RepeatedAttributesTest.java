package dev.otelretention.otlpjson;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.otlpjson.testing.OtlpProto;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Attribute keys and values that come again as the same objects are written from bytes kept the
 * first time: the output must be the bytes written when every key and value is a new object (which
 * the encoder cannot recognise, so it encodes each), and must read back as the spans.
 */
class RepeatedAttributesTest {
  /** "Aa" and "BB" have the same hash: they take turns in one slot. */
  private static final String[] KEYS = {
    "http.request.method",
    "Aa",
    "BB",
    "url.full",
    "größe",
    "k".repeat(300),
    "flag",
    "count",
    "mixed"
  };

  private static final String[] CONSTANTS = {
    "GET", "same value", "注文 — größe", "v".repeat(300), "tab\tand \"quotes\"", "\uD83D\uDE80 ok"
  };

  @Test
  void keptBytesAreTheBytesOfAFreshEncoding() throws IOException {
    List<SpanData> shared = spans(false);
    List<SpanData> fresh = spans(true);

    String expected = encode(fresh);
    // the first request keeps the bytes, the next ones use them
    for (int request = 0; request < 3; request++) {
      assertThat(encode(shared)).as("request %d", request).isEqualTo(expected);
    }
    OtlpJsonEncoderTest.assertSpansMatch(shared, OtlpProto.traces(encode(shared)));
  }

  private static List<SpanData> spans(boolean freshObjects) {
    Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "s"));
    InstrumentationScopeInfo scope = InstrumentationScopeInfo.create("scope");
    List<SpanData> spans = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      AttributesBuilder attributes = Attributes.builder();
      for (int k = 0; k < KEYS.length; k++) {
        String name = fresh(freshObjects, KEYS[k]);
        switch (k % 4) {
          case 0, 1 -> {
            // constant for a while, then changing, then constant again
            String value = i % 10 < 6 ? CONSTANTS[(k + i / 10) % CONSTANTS.length] : "value " + i;
            attributes.put(AttributeKey.stringKey(name), fresh(freshObjects, value));
          }
          case 2 -> attributes.put(AttributeKey.longKey(name), i % 3 == 0 ? Long.MIN_VALUE : i);
          default -> attributes.put(AttributeKey.booleanKey(name), i % 2 == 0);
        }
      }
      // the same key name as a string in one span and a number in the next
      if (i % 2 == 0) {
        attributes.put(AttributeKey.stringKey(fresh(freshObjects, "mixed")), "text");
      } else {
        attributes.put(AttributeKey.longKey(fresh(freshObjects, "mixed")), 7L);
      }
      String traceId = String.format(Locale.ROOT, "%032x", i + 1);
      spans.add(
          TestSpanData.builder()
              .setSpanContext(
                  SpanContext.create(
                      traceId,
                      String.format(Locale.ROOT, "%016x", i + 1),
                      TraceFlags.getSampled(),
                      TraceState.getDefault()))
              .setName("span " + i)
              .setKind(SpanKind.INTERNAL)
              .setResource(resource)
              .setInstrumentationScopeInfo(scope)
              .setStartEpochNanos(1_700_000_000_000_000_000L + i)
              .setEndEpochNanos(1_700_000_000_000_000_100L + i)
              .setHasEnded(true)
              .setStatus(StatusData.unset())
              .setAttributes(attributes.build())
              .setTotalAttributeCount(attributes.build().size())
              .build());
    }
    return spans;
  }

  private static String fresh(boolean freshObjects, String text) {
    // a copy: equal text in another object
    return freshObjects ? String.valueOf(text.toCharArray()) : text;
  }

  private static String encode(List<SpanData> spans) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OtlpJsonEncoder.writeSpans(spans, out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
