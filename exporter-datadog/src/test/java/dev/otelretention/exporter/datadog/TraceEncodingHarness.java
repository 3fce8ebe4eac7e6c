package dev.otelretention.exporter.datadog;

import com.sun.management.ThreadMXBean;
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
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Harness (not a test): the CPU time and allocation of encoding spans into the Agent's payload on
 * one thread, the work of a Datadog sender thread per batch. The spans are the pipeline
 * benchmark's: 7 attributes and 1 event each, with the SDK's default resource. Prints the median of
 * 7 samples of 200 batches of 1,024 spans, with the range. Run by {@code
 * benchmarks/run-datadog-encoding.sh}.
 */
public final class TraceEncodingHarness {
  private TraceEncodingHarness() {}

  public static void main(String[] args) {
    List<SpanData> batch = spans();
    TraceEncoder encoder =
        new TraceEncoder(
            DatadogExporters.builder()
                .apiKey("0123456789abcdef0123456789abcdef")
                .agentUrl("http://127.0.0.1:8126")
                .settings());
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int i = 0; i < 1_500; i++) {
      encoder.encode(batch);
    }
    double[] samples = new double[7];
    long allocatedBefore = threads.getThreadAllocatedBytes(thread);
    for (int sample = 0; sample < samples.length; sample++) {
      long start = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < 200; i++) {
        encoder.encode(batch);
      }
      samples[sample] = (threads.getCurrentThreadCpuTime() - start) / 200.0 / batch.size();
    }
    double allocated =
        (double) (threads.getThreadAllocatedBytes(thread) - allocatedBefore)
            / (samples.length * 200L * batch.size());
    Arrays.sort(samples);
    System.out.printf(
        Locale.ROOT,
        "Datadog span encoding: %.2f us per span (%.2f-%.2f), %.1f B allocated per span,"
            + " %d B of payload per span%n",
        samples[3] / 1000,
        samples[0] / 1000,
        samples[samples.length - 1] / 1000,
        allocated,
        encoder.encode(batch).get(0).length() / batch.size());
  }

  private static List<SpanData> spans() {
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.builder()
                        .put("service.name", "pipeline-benchmark")
                        .put("host.name", "bench-host")
                        .build()));
    InstrumentationScopeInfo scope =
        InstrumentationScopeInfo.builder("benchmark.http").setVersion("1.0.0").build();
    List<SpanData> spans = new ArrayList<>();
    long start = 1_700_000_000_000_000_000L;
    for (int i = 0; i < 1024; i++) {
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
              .setSpanContext(
                  SpanContext.create(
                      String.format(Locale.ROOT, "%016x%016x", 0x5b8efff798038103L + i, i),
                      String.format(Locale.ROOT, "%016x", 0x1000000000000000L + i),
                      TraceFlags.getSampled(),
                      TraceState.getDefault()))
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
