package dev.otelretention.exporter.clickhouse;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;

/** Finished spans for tests that export without an SDK. */
final class TestSpans {
  private TestSpans() {}

  static SpanData span(String name) {
    long now = System.currentTimeMillis() * 1_000_000L;
    return TestSpanData.builder()
        .setSpanContext(
            SpanContext.create(
                "0af7651916cd43dd8448eb211c80319c",
                "b7ad6b7169203331",
                TraceFlags.getSampled(),
                TraceState.getDefault()))
        .setName(name)
        .setKind(SpanKind.INTERNAL)
        .setResource(Resource.getDefault())
        .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("test"))
        .setStartEpochNanos(now - 1_000_000)
        .setEndEpochNanos(now)
        .setHasEnded(true)
        .setStatus(StatusData.unset())
        .build();
  }
}
