package dev.otelretention.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.otlpjson.OtlpJsonDecoder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cutting a line down to the items of one trace, checked by decoding what is kept. */
class TraceLineFilterTest {
  private static final String FIRST = "11111111111111111111111111111111";
  private static final String MIDDLE = "22222222222222222222222222222222";
  private static final String LAST = "33333333333333333333333333333333";

  private static String span(String traceId, String name) {
    return "{\"traceId\":\""
        + traceId
        + "\",\"spanId\":\"00000000000000a1\",\"name\":\""
        + name
        + "\",\"kind\":1,\"startTimeUnixNano\":\"1\",\"endTimeUnixNano\":\"2\"}";
  }

  private static final String SPANS =
      "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
          + "\"value\":{\"stringValue\":\"shop\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"s\"},"
          + "\"spans\":["
          + span(FIRST, "first")
          + ","
          + span(MIDDLE, "middle")
          + ","
          + span(LAST, "last")
          + "]}]}]}";

  private static List<String> names(String json) {
    return OtlpJsonDecoder.decode(json).spans().stream().map(SpanData::getName).toList();
  }

  @Test
  void keepsOnlyTheItemsOfTheTrace() {
    assertThat(names(TraceLineFilter.keep(SPANS, FIRST))).containsExactly("first");
    assertThat(names(TraceLineFilter.keep(SPANS, MIDDLE))).containsExactly("middle");
    assertThat(names(TraceLineFilter.keep(SPANS, LAST))).containsExactly("last");
  }

  @Test
  void keepsTheResourceAndScopeOfWhatItKeeps() {
    SpanData kept = OtlpJsonDecoder.decode(TraceLineFilter.keep(SPANS, MIDDLE)).spans().get(0);

    assertThat(kept.getResource().getAttribute(AttributeKey.stringKey("service.name")))
        .isEqualTo("shop");
    assertThat(kept.getInstrumentationScopeInfo().getName()).isEqualTo("s");
  }

  @Test
  void aTraceNotInTheLineKeepsNoItem() {
    assertThat(names(TraceLineFilter.keep(SPANS, "44444444444444444444444444444444"))).isEmpty();
  }

  @Test
  void keepsLogRecordsOfTheTrace() {
    String logs =
        "{\"resourceLogs\":[{\"resource\":{},\"scopeLogs\":[{\"scope\":{},\"logRecords\":["
            + "{\"timeUnixNano\":\"1\",\"body\":{\"stringValue\":\"a\"},\"traceId\":\""
            + FIRST
            + "\"},{\"timeUnixNano\":\"2\",\"body\":{\"stringValue\":\"b\"},\"traceId\":\""
            + MIDDLE
            + "\"}]}]}]}";

    List<LogRecordData> kept = OtlpJsonDecoder.decode(TraceLineFilter.keep(logs, FIRST)).logs();

    assertThat(kept).extracting(log -> log.getBodyValue().asString()).containsExactly("a");
  }

  @Test
  void bracketsAndQuotesInsideStringsDoNotEndAnItem() {
    String tricky = span(FIRST, "a \\\"}]{[ \\\\") + "," + span(MIDDLE, "middle");
    String line =
        "{ \"resourceSpans\" : [ { \"resource\" : { } , \"scopeSpans\" : [ { \"spans\" : [ "
            + tricky
            + " ] } ] } ] }";

    assertThat(names(TraceLineFilter.keep(line, MIDDLE))).containsExactly("middle");
    assertThat(names(TraceLineFilter.keep(line, FIRST))).containsExactly("a \"}]{[ \\");
  }

  @Test
  void emptyArraysAndOtherMembersAreCopied() {
    String line =
        "{\"resourceSpans\":[{\"resource\":{},\"scopeSpans\":[]},"
            + "{\"schemaUrl\":\"u\",\"scopeSpans\":[{\"scope\":{\"name\":\"s\"},\"spans\":["
            + span(MIDDLE, "middle")
            + "]}]}]}";

    SpanData kept = OtlpJsonDecoder.decode(TraceLineFilter.keep(line, MIDDLE)).spans().get(0);

    assertThat(kept.getName()).isEqualTo("middle");
    assertThat(kept.getResource().getSchemaUrl()).isEqualTo("u");
  }

  @Test
  void anUnfinishedLineIsLeftWhole() {
    String unfinished = SPANS.substring(0, SPANS.length() - 3);
    String quoteOpen = SPANS.substring(0, SPANS.indexOf(MIDDLE) + 5);

    assertThat(TraceLineFilter.keep(unfinished, MIDDLE)).isSameAs(unfinished);
    assertThat(TraceLineFilter.keep(quoteOpen, MIDDLE)).isSameAs(quoteOpen);
  }

  @Test
  void aLineOfAnotherLayoutIsLeftWhole() {
    String array = "[" + span(FIRST, "first") + "]";

    assertThat(TraceLineFilter.keep(array, FIRST)).isSameAs(array);
  }
}
