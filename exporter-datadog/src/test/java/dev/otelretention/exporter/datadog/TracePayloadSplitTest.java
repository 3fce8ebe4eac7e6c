package dev.otelretention.exporter.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.MapValue;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * A batch of interleaved traces, decoded with msgpack-java: every span arrives once, each inner
 * array holds the spans of one trace, traces keep the order they first appear in, and no payload
 * exceeds the limit, also when it has to split a trace.
 */
class TracePayloadSplitTest {
  private static final int LIMIT = 65_536;
  private static final Resource RESOURCE =
      Resource.create(Attributes.builder().put("service.name", "shop").build());

  @Test
  void interleavedTracesAreGroupedInOrderAndSplitUnderTheLimit() throws Exception {
    Random random = new Random(11);
    List<SpanData> batch = new ArrayList<>();
    List<String> traceIds = new ArrayList<>();
    for (int t = 0; t < 40; t++) {
      // the top bit set in half of them: ids that only fit in uint64
      traceIds.add(String.format(Locale.ROOT, "%016x%016x", random.nextLong(), random.nextLong()));
    }
    for (int i = 0; i < 600; i++) {
      // one trace of many spans, which must be split into several chunks
      String traceId = i % 3 == 0 ? traceIds.get(0) : traceIds.get(random.nextInt(40));
      batch.add(span(traceId, i));
    }
    DatadogSettings settings =
        DatadogExporters.builder()
            .apiKey("0123456789abcdef0123456789abcdef")
            .maxTracePayloadBytes(LIMIT)
            .settings();
    List<TraceEncoder.Payload> payloads = new TraceEncoder(settings).encode(batch);

    Set<String> firstAppearance = new LinkedHashSet<>();
    for (SpanData span : batch) {
      firstAppearance.add(span.getTraceId().substring(16));
    }
    List<String> chunkOrder = new ArrayList<>();
    Set<Long> spanIds = new LinkedHashSet<>();
    int spans = 0;
    for (TraceEncoder.Payload payload : payloads) {
      assertThat(payload.body().length).isLessThanOrEqualTo(LIMIT);
      int payloadSpans = 0;
      try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(payload.body())) {
        List<Value> traces = unpacker.unpackValue().asArrayValue().list();
        assertThat(traces).hasSize(payload.traces());
        for (Value trace : traces) {
          Set<String> idsInChunk = new LinkedHashSet<>();
          for (Value spanValue : trace.asArrayValue()) {
            MapValue span = spanValue.asMapValue();
            BigInteger traceId =
                span.map().get(ValueFactory.newString("trace_id")).asIntegerValue().asBigInteger();
            idsInChunk.add(String.format(Locale.ROOT, "%016x", traceId));
            spanIds.add(
                span.map().get(ValueFactory.newString("span_id")).asIntegerValue().toLong());
            payloadSpans++;
          }
          assertThat(idsInChunk).hasSize(1);
          String id = idsInChunk.iterator().next();
          if (chunkOrder.isEmpty() || !chunkOrder.get(chunkOrder.size() - 1).equals(id)) {
            chunkOrder.add(id);
          }
        }
      }
      assertThat(payloadSpans).isEqualTo(payload.spans());
      spans += payloadSpans;
    }
    assertThat(spans).isEqualTo(batch.size());
    assertThat(spanIds).hasSize(batch.size());
    assertThat(chunkOrder).containsExactlyElementsOf(firstAppearance);
    assertThat(payloads.size()).isGreaterThan(10);
  }

  /**
   * Encoding allocates little beyond the request bodies it returns: it once made a packer with an 8
   * KiB buffer per span and per trace, 32 KB per span in all.
   */
  @Test
  void encodingAllocatesLittleBeyondTheBodies() {
    List<SpanData> batch = new ArrayList<>();
    for (int i = 0; i < 1024; i++) {
      batch.add(span(String.format(Locale.ROOT, "%032x", i + 1), i));
    }
    TraceEncoder encoder =
        new TraceEncoder(
            DatadogExporters.builder().apiKey("0123456789abcdef0123456789abcdef").settings());
    for (int i = 0; i < 20; i++) {
      encoder.encode(batch);
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    long bodies = 0;
    for (int i = 0; i < 10; i++) {
      for (TraceEncoder.Payload payload : encoder.encode(batch)) {
        bodies += payload.length();
      }
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertThat(bodies / (10 * 1024)).isGreaterThan(2000);
    assertThat(allocated / (10 * 1024)).isLessThan(16);
  }

  /**
   * Bodies live in the encoding thread's buffer until its next batch; after a failed send, whose
   * request may still be reading them, the next batch gets a new buffer and the old bytes stay.
   */
  @Test
  void aBufferAFailedRequestMayStillReadIsNotWrittenAgain() {
    TraceEncoder encoder =
        new TraceEncoder(
            DatadogExporters.builder().apiKey("0123456789abcdef0123456789abcdef").settings());
    List<SpanData> first = List.of(span(String.format(Locale.ROOT, "%032x", 1), 1));
    List<SpanData> second = List.of(span(String.format(Locale.ROOT, "%032x", 2), 2));
    TraceEncoder.Payload sent = encoder.encode(first).get(0);
    byte[] asSent = sent.body();
    assertThat(encoder.encode(second).get(0).bytes()).isSameAs(sent.bytes());

    TraceEncoder.Payload failed = encoder.encode(first).get(0);
    encoder.abandonBuffer();
    TraceEncoder.Payload next = encoder.encode(second).get(0);
    assertThat(next.bytes()).isNotSameAs(failed.bytes());
    assertThat(failed.body()).isEqualTo(asSent);
  }

  private static SpanData span(String traceId, int index) {
    return TestSpanData.builder()
        .setSpanContext(
            SpanContext.create(
                traceId,
                String.format(Locale.ROOT, "%016x", 0x8000000000000000L | index),
                TraceFlags.getSampled(),
                TraceState.getDefault()))
        .setResource(RESOURCE)
        .setName("GET /orders/" + index)
        .setKind(SpanKind.SERVER)
        .setStartEpochNanos(1_000)
        .setEndEpochNanos(2_000)
        .setHasEnded(true)
        .setStatus(StatusData.unset())
        .setAttributes(
            Attributes.builder()
                .put("url.full", "https://shop/" + index + "/" + "x".repeat(2000))
                .build())
        .build();
  }
}
