package dev.otelretention.exporter.file;

import dev.otelretention.otlpjson.testing.OtlpProto;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Small factories of telemetry for file tests. */
final class TestData {
  private TestData() {}

  static SpanData span(String name, Resource resource) {
    long sequence = name.hashCode() & 0xffffffffL;
    String traceId =
        HexFormat.of().toHexDigits(sequence + 1) + HexFormat.of().toHexDigits(System.nanoTime());
    String spanId = HexFormat.of().toHexDigits(sequence + 7);
    return TestSpanData.builder()
        .setSpanContext(
            SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault()))
        .setName(name)
        .setKind(SpanKind.INTERNAL)
        .setResource(resource)
        .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("test"))
        .setStartEpochNanos(1_700_000_000_000_000_000L)
        .setEndEpochNanos(1_700_000_000_100_000_000L)
        .setHasEnded(true)
        .setStatus(StatusData.unset())
        .setAttributes(Attributes.builder().put("payload", "p".repeat(64)).build())
        .setTotalAttributeCount(1)
        .build();
  }

  static SpanData span(String name) {
    return span(name, Resource.getDefault());
  }

  static List<SpanData> spans(String prefix, int count) {
    List<SpanData> spans = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      spans.add(span(prefix + "-" + i));
    }
    return spans;
  }

  /** Names of all spans in the given lines, in order. */
  static List<String> spanNames(List<OtlpJsonRecord> records) {
    List<String> names = new ArrayList<>();
    for (OtlpJsonRecord record : records) {
      OtlpProto.traces(record.json())
          .getResourceSpansList()
          .forEach(
              r ->
                  r.getScopeSpansList()
                      .forEach(s -> s.getSpansList().forEach(span -> names.add(span.getName()))));
    }
    return names;
  }
}
