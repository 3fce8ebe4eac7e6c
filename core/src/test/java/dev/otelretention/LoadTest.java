package dev.otelretention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.HealthReport.SinkHealth;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.config.Profile;
import dev.otelretention.export.Signal;
import dev.otelretention.testing.InMemoryNetworkSink;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Ten times the PRODUCTION profile's batch rate (8,192 spans per second instead of 8,192 per 10 s)
 * against a destination that takes four seconds per batch: the heap stays under the memory bound,
 * every span is either exported or counted as dropped, and the application's threads are not held
 * up. Runs for {@code -Dload.seconds} (default 10; the Reliability figures use 60).
 */
class LoadTest {
  private static final long MEMORY_LIMIT = 32L << 20;
  private static final long MEMORY_SPIKE = 8L << 20;

  @Test
  void tenTimesTheProductionRateAgainstASlowDestination() throws Exception {
    long seconds = Long.getLong("load.seconds", 10);
    InMemoryNetworkSink sink = new InMemoryNetworkSink();
    sink.sendDelayMillis = 4000;
    sink.keep = false;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long baseline = memory.getHeapMemoryUsage().getUsed();
    AtomicLong produced = new AtomicLong();
    LongAccumulator slowestEnd = new LongAccumulator(Math::max, 0);
    AtomicLong slowEnds = new AtomicLong();
    AtomicLong heapPeak = new AtomicLong();
    AtomicLong accountedPeak = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    HealthReport health;
    TelemetryRetention telemetry =
        TelemetryRetention.builder()
            .config(EnvironmentConfig.of(Map.of()))
            .profile(Profile.PRODUCTION)
            .noSpool()
            .memoryLimit(MEMORY_LIMIT, MEMORY_SPIKE)
            .addSink(sink)
            .shutdownTimeout(Duration.ofSeconds(5))
            .closeOnJvmShutdown(false)
            .build();
    try {
      Tracer tracer = telemetry.openTelemetry().getTracer("load");
      Thread watcher =
          new Thread(
              () -> {
                while (running.get()) {
                  System.gc();
                  heapPeak.accumulateAndGet(
                      memory.getHeapMemoryUsage().getUsed() - baseline, Math::max);
                  accountedPeak.accumulateAndGet(telemetry.health().memoryUsedBytes(), Math::max);
                  try {
                    Thread.sleep(500);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      watcher.start();
      List<Thread> producers = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
      for (int p = 0; p < 2; p++) {
        Thread producer =
            new Thread(
                () -> {
                  String payload = "x".repeat(512);
                  long next = System.nanoTime();
                  while (System.nanoTime() < deadline) {
                    // 4,096 spans per second per thread, in steps of 1 ms
                    for (int i = 0; i < 4; i++) {
                      long start = System.nanoTime();
                      Span span =
                          tracer
                              .spanBuilder("GET /load")
                              .setAttribute("payload", payload)
                              .setAttribute("n", produced.incrementAndGet())
                              .startSpan();
                      span.end();
                      long took = System.nanoTime() - start;
                      slowestEnd.accumulate(took);
                      if (took > 10_000_000L) {
                        slowEnds.incrementAndGet();
                      }
                    }
                    next += 1_000_000L;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                      LockSupport.parkNanos(sleep);
                    }
                  }
                });
        producers.add(producer);
        producer.start();
      }
      for (Thread producer : producers) {
        producer.join();
      }
      running.set(false);
      watcher.join();
    } finally {
      telemetry.close();
    }
    // after close: what was still queued was dropped at shutdown and counted
    health = telemetry.health();
    SinkHealth traces =
        health.sinks().stream().filter(s -> s.signal() == Signal.TRACES).findFirst().orElseThrow();
    long refused =
        health.refusedByMemoryLimit().getOrDefault(Signal.TRACES, 0L)
            + health.refusedQueueFull().getOrDefault(Signal.TRACES, 0L);
    long exported = traces.exported();
    assertThat(sink.delivered.get()).isGreaterThanOrEqualTo(exported);
    long dropped = traces.dropped();
    System.out.printf(
        "load test: %d s, %,d spans produced, %,d exported, %,d refused at the batch queue,"
            + " %,d dropped by the exporter %s; heap above baseline peaked at %,d KiB (limit %,d KiB),"
            + " accounted peak %,d KiB; slowest span.end() %.2f ms, %d over 10 ms%n",
        seconds,
        produced.get(),
        exported,
        refused,
        dropped,
        traces.droppedByReason(),
        heapPeak.get() >> 10,
        MEMORY_LIMIT >> 10,
        accountedPeak.get() >> 10,
        slowestEnd.get() / 1e6,
        slowEnds.get());
    assertThat(produced.get()).isGreaterThan(seconds * 6_000);
    assertThat(refused + dropped)
        .as("the destination cannot keep up, so drops happen and are counted")
        .isPositive();
    assertThat(exported + dropped + refused)
        .as("every span is exported or counted")
        .isEqualTo(produced.get());
    assertThat(accountedPeak.get()).isLessThanOrEqualTo(MEMORY_LIMIT);
    assertThat(heapPeak.get())
        .as("live heap above the start")
        .isLessThan(MEMORY_LIMIT + (16L << 20));
    assertThat(slowEnds.get())
        .as("span.end() calls over 10 ms")
        .isLessThan(produced.get() / 10_000 + 5);
  }
}
