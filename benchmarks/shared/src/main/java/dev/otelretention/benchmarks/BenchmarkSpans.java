package dev.otelretention.benchmarks;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The spans every file-export benchmark writes, identical on both OpenTelemetry stacks: batches of 1,024
 * server spans with 7 attributes and 1 event each. Compiled into both benchmark modules from this one file.
 */
public final class BenchmarkSpans {
  /** Spans per export call. */
  public static final int BATCH_SIZE = 1024;

  private BenchmarkSpans() {}

  /** One batch of {@link #BATCH_SIZE} spans. */
  public static List<SpanData> batch() {
    Resource resource =
        Resource.create(Attributes.builder().put("service.name", "benchmark").put("host.name", "bench-host").build());
    InstrumentationScopeInfo scope = InstrumentationScopeInfo.builder("benchmark.http").setVersion("1.0.0").build();
    List<SpanData> spans = new ArrayList<>(BATCH_SIZE);
    long start = 1_700_000_000_000_000_000L;
    for (int i = 0; i < BATCH_SIZE; i++) {
      String traceId = String.format(Locale.ROOT, "%016x%016x", 0x5b8efff798038103L + i, 0xd269b633813fc60cL ^ i);
      String spanId = String.format(Locale.ROOT, "%016x", 0x1000000000000000L + i);
      Attributes attributes =
          Attributes.builder()
              .put("http.request.method", "GET")
              .put("url.full", "https://shop.example.com/orders/" + i + "?expand=items")
              .put("http.response.status_code", 200L)
              .put("server.address", "shop.example.com")
              .put("server.port", 443L)
              .put("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) benchmark")
              .put("thread.name", "http-worker-" + (i % 16))
              .build();
      spans.add(
          TestSpanData.builder()
              .setSpanContext(SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault()))
              .setName("GET /orders/{id}")
              .setKind(SpanKind.SERVER)
              .setResource(resource)
              .setInstrumentationScopeInfo(scope)
              .setStartEpochNanos(start + i * 1000L)
              .setEndEpochNanos(start + i * 1000L + 2_500_000L)
              .setHasEnded(true)
              .setStatus(StatusData.unset())
              .setAttributes(attributes)
              .setTotalAttributeCount(attributes.size())
              .setEvents(
                  List.of(
                      EventData.create(
                          start + i * 1000L + 1_000_000L,
                          "cache.miss",
                          Attributes.builder().put("cache.key", "order:" + i).build())))
              .setTotalRecordedEvents(1)
              .build());
    }
    return spans;
  }
}
