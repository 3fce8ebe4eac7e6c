package dev.otelretention.internal.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.export.ExportDestination;
import dev.otelretention.export.ExportException;
import dev.otelretention.export.ExportStats;
import dev.otelretention.export.MemoryLimiter;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import dev.otelretention.testing.LogCapture;
import io.opentelemetry.api.impl.InstrumentationUtil;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The shared export stage against an in-memory destination whose behaviour each test scripts. */
class ExportStageTest {
  private static final RetryPolicy FAST_RETRY =
      RetryPolicy.builder()
          .initialInterval(Duration.ofMillis(5))
          .maxInterval(Duration.ofMillis(20))
          .maxElapsedTime(Duration.ofSeconds(2))
          .build();

  /** A destination that records what it received and fails as told. */
  static final class FakeDestination implements ExportDestination<Integer> {
    final List<Integer> received = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger calls = new AtomicInteger();
    volatile int failFirst;
    volatile Exception failure = ExportException.retryable("503", "unavailable", null);
    volatile long delayMillis;
    volatile CountDownLatch gate;

    @Override
    public void send(List<Integer> batch) throws Exception {
      int call = calls.incrementAndGet();
      CountDownLatch latch = gate;
      if (latch != null) {
        latch.await();
      }
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
      if (call <= failFirst) {
        throw failure;
      }
      received.addAll(batch);
    }
  }

  private static ExportStats stats() {
    return new ExportStats("fake/traces", "fake_span_exporter", Signal.TRACES);
  }

  private static List<Integer> items(int from, int count) {
    return IntStream.range(from, from + count).boxed().toList();
  }

  private static void await(CompletableResultCode result) {
    assertThat(result.join(10, TimeUnit.SECONDS).isDone()).isTrue();
  }

  @Test
  void deliversEveryBatchInOrderAndCountsExactly() {
    FakeDestination destination = new FakeDestination();
    ExportStats stats = stats();
    ExportStage<Integer> stage = ExportStage.builder(destination, stats).build();
    for (int i = 0; i < 50; i++) {
      assertThat(stage.submit(items(i * 10, 10)).isSuccess()).isTrue();
    }
    await(stage.flush());
    assertThat(destination.received).containsExactlyElementsOf(items(0, 500));
    assertThat(stats.exported()).isEqualTo(500);
    assertThat(stats.dropped()).isZero();
    assertThat(stats.pendingItems()).isZero();
    assertThat(stats.lastSuccess()).isNotNull();
    await(stage.shutdown());
  }

  @Test
  void retriesRetryableFailuresThenDeliversOnce() {
    FakeDestination destination = new FakeDestination();
    destination.failFirst = 3;
    ExportStats stats = stats();
    ExportStage<Integer> stage =
        ExportStage.builder(destination, stats).retryPolicy(FAST_RETRY).build();
    stage.submit(items(0, 4));
    await(stage.flush());
    assertThat(destination.received).containsExactly(0, 1, 2, 3);
    assertThat(destination.calls.get()).isEqualTo(4);
    assertThat(stats.retried()).isEqualTo(12);
    assertThat(stats.failedAttempts()).isEqualTo(3);
    assertThat(stats.exported()).isEqualTo(4);
    assertThat(stats.dropped()).isZero();
    assertThat(stats.lastError()).startsWith("503: unavailable");
    await(stage.shutdown());
  }

  @Test
  void neverRetriesPermanentFailures() {
    FakeDestination destination = new FakeDestination();
    destination.failFirst = 1;
    destination.failure = ExportException.permanent("401", "authentication failed", null);
    ExportStats stats = stats();
    ExportStage<Integer> stage =
        ExportStage.builder(destination, stats).retryPolicy(FAST_RETRY).build();
    stage.submit(items(0, 5));
    stage.submit(items(5, 5));
    await(stage.flush());
    assertThat(destination.calls.get()).isEqualTo(2);
    assertThat(destination.received).containsExactlyElementsOf(items(5, 5));
    assertThat(stats.droppedByReason()).isEqualTo(Map.of("non_retryable", 5L));
    assertThat(stats.retried()).isZero();
    await(stage.shutdown());
  }

  @Test
  void givesUpAfterTheMaxElapsedTimeAndCountsTheLoss() {
    FakeDestination destination = new FakeDestination();
    destination.failFirst = Integer.MAX_VALUE;
    destination.failure = new IOException("connection refused");
    ExportStats stats = stats();
    RetryPolicy policy =
        RetryPolicy.builder()
            .initialInterval(Duration.ofMillis(10))
            .maxInterval(Duration.ofMillis(20))
            .maxElapsedTime(Duration.ofMillis(200))
            .build();
    ExportStage<Integer> stage =
        ExportStage.builder(destination, stats).retryPolicy(policy).build();
    long start = System.nanoTime();
    stage.submit(items(0, 7));
    await(stage.flush());
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(stats.droppedByReason()).isEqualTo(Map.of("retries_exhausted", 7L));
    assertThat(stats.exported()).isZero();
    assertThat(destination.calls.get()).isGreaterThan(3);
    assertThat(elapsedMillis).isBetween(150L, 5000L);
    assertThat(stats.lastError())
        .isEqualTo("dropped 7 items (retries_exhausted): java.io.IOException: connection refused");
    await(stage.shutdown());
  }

  @Test
  void aFullQueueDropsAndCountsNewBatches() throws Exception {
    FakeDestination destination = new FakeDestination();
    destination.gate = new CountDownLatch(1);
    ExportStats stats = stats();
    ExportStage<Integer> stage = ExportStage.builder(destination, stats).queueSize(3).build();
    int accepted = 0;
    int submitted = 0;
    for (int i = 0; i < 10; i++) {
      submitted += 2;
      if (stage.submit(items(i * 2, 2)).isSuccess()) {
        accepted += 2;
      }
      Thread.sleep(5);
    }
    assertThat(accepted).isBetween(6, 8);
    assertThat(stats.droppedByReason())
        .isEqualTo(Map.of("queue_full", (long) (submitted - accepted)));
    destination.gate.countDown();
    await(stage.flush());
    assertThat(stats.exported()).isEqualTo(accepted);
    assertThat(stats.exported() + stats.dropped()).isEqualTo(submitted);
    await(stage.shutdown());
  }

  @Test
  void theMemoryLimitRefusesBatchesThatDoNotFit() throws Exception {
    FakeDestination destination = new FakeDestination();
    destination.gate = new CountDownLatch(1);
    ExportStats stats = stats();
    MemoryLimiter limiter = MemoryLimiter.of(1000, 200);
    ExportStage<Integer> stage =
        ExportStage.builder(destination, stats)
            .memoryLimiter(limiter)
            .sizeEstimator(i -> 100)
            .build();
    assertThat(stage.submit(items(0, 5)).isSuccess()).isTrue();
    assertThat(stage.submit(items(5, 3)).isSuccess()).isTrue();
    assertThat(limiter.usedBytes()).isEqualTo(800);
    assertThat(stage.submit(items(8, 1)).isSuccess()).isFalse();
    assertThat(stats.droppedByReason()).isEqualTo(Map.of("memory_limit", 1L));
    destination.gate.countDown();
    await(stage.flush());
    assertThat(limiter.usedBytes()).isZero();
    assertThat(stats.exported()).isEqualTo(8);
    await(stage.shutdown());
  }

  @Test
  void aHangingRequestTimesOutIsRetriedAndGivenUpOnAsUnknownNotAsLost() {
    FakeDestination destination = new FakeDestination();
    destination.delayMillis = 300;
    ExportStats stats = stats();
    ExportStage<Integer> stage =
        ExportStage.builder(destination, stats)
            .requestTimeout(Duration.ofMillis(50))
            .retryPolicy(
                RetryPolicy.builder()
                    .initialInterval(Duration.ofMillis(5))
                    .maxInterval(Duration.ofMillis(10))
                    .maxElapsedTime(Duration.ofMillis(400))
                    .build())
            .build();
    stage.submit(items(0, 2));
    await(stage.flush());
    // a request that timed out may still have been applied: neither exported nor lost
    assertThat(stats.lastError())
        .startsWith(
            "gave up on 2 items whose last attempt timed out (retries_exhausted): the destination"
                + " may or may not have stored them; timeout: request did not finish within 50ms");
    assertThat(stats.unknown()).isEqualTo(2);
    assertThat(stats.dropped()).isZero();
    assertThat(stats.exported()).isZero();
    assertThat(destination.received).isEmpty();
    await(stage.shutdown());
  }

  @Test
  void shutdownDrainsTheQueueWithinItsTimeout() {
    FakeDestination destination = new FakeDestination();
    destination.delayMillis = 2;
    ExportStats stats = stats();
    ExportStage<Integer> stage = ExportStage.builder(destination, stats).build();
    for (int i = 0; i < 20; i++) {
      stage.submit(items(i * 3, 3));
    }
    CompletableResultCode shutdown = stage.shutdown();
    await(shutdown);
    assertThat(shutdown.isSuccess()).isTrue();
    assertThat(destination.received).hasSize(60);
    assertThat(stage.submit(items(100, 4)).isSuccess()).isFalse();
    assertThat(stats.droppedByReason()).isEqualTo(Map.of("shutdown", 4L));
  }

  @Test
  void shutdownDropsWhatItCannotSendInTimeAndSaysSo() {
    FakeDestination destination = new FakeDestination();
    destination.failFirst = Integer.MAX_VALUE;
    ExportStats stats = stats();
    ExportStage<Integer> stage =
        ExportStage.builder(destination, stats)
            .retryPolicy(
                RetryPolicy.builder()
                    .initialInterval(Duration.ofMillis(50))
                    .maxInterval(Duration.ofMillis(100))
                    .maxElapsedTime(Duration.ofMinutes(5))
                    .build())
            .shutdownTimeout(Duration.ofMillis(300))
            .build();
    for (int i = 0; i < 5; i++) {
      stage.submit(items(i * 2, 2));
    }
    long start = System.nanoTime();
    CompletableResultCode shutdown = stage.shutdown();
    await(shutdown);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
    assertThat(shutdown.isSuccess()).isFalse();
    assertThat(stats.exported()).isZero();
    assertThat(stats.droppedByReason()).isEqualTo(Map.of("shutdown", 10L));
    assertThat(stats.pendingItems()).isZero();
  }

  @Test
  void whatTheProblemLogHeldBackIsLoggedWhenTheStageShutsDown() {
    try (LogCapture log = LogCapture.of(ExportStats.class.getName(), Level.WARNING)) {
      FakeDestination destination = new FakeDestination();
      destination.failure = ExportException.permanent("400", "refused", null);
      destination.failFirst = Integer.MAX_VALUE;
      ExportStats stats = new ExportStats("held-back/traces", "fake_span_exporter", Signal.TRACES);
      ExportStage<Integer> stage = ExportStage.builder(destination, stats).consumers(1).build();
      for (int i = 0; i < 3; i++) {
        stage.submit(items(i * 10, 10));
      }
      await(stage.flush());
      await(stage.shutdown());
      assertThat(stats.droppedByReason()).containsEntry("non_retryable", 30L);
      // one line when it first happened; the two drops held back by the one-line-a-minute rule at
      // shutdown
      List<String> lines =
          log.messages().stream().filter(line -> line.contains("held-back/traces")).toList();
      assertThat(lines).hasSize(2);
      assertThat(lines.get(1)).contains("(2 more times, 20 items").endsWith("[at close]");
    }
  }

  @Test
  void concurrentSubmittersAreAccountedExactly() throws Exception {
    FakeDestination destination = new FakeDestination();
    destination.failFirst = 5;
    ExportStats stats = stats();
    ExportStage<Integer> stage =
        ExportStage.builder(destination, stats)
            .queueSize(5)
            .consumers(3)
            .retryPolicy(FAST_RETRY)
            .build();
    int threads = 4;
    int perThread = 200;
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * perThread * 3;
      Thread worker =
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  stage.submit(items(base + i * 3, 3));
                }
              });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    await(stage.flush());
    long submitted = threads * ((long) perThread) * 3L;
    assertThat(stats.exported() + stats.dropped()).isEqualTo(submitted);
    assertThat(destination.received).hasSize((int) stats.exported());
    assertThat(destination.received).doesNotHaveDuplicates();
    await(stage.shutdown());
  }

  @Test
  void builderRejectsNonsense() {
    FakeDestination destination = new FakeDestination();
    assertThatThrownBy(() -> ExportStage.builder(destination, stats()).queueSize(0))
        .hasMessageContaining("queueSize");
    assertThatThrownBy(() -> ExportStage.builder(destination, stats()).consumers(0))
        .hasMessageContaining("consumers");
    assertThatThrownBy(
            () -> ExportStage.builder(destination, stats()).requestTimeout(Duration.ZERO))
        .hasMessageContaining("requestTimeout");
    assertThatThrownBy(() -> ExportStage.builder(null, stats()))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void aDestinationThatRejectsEverythingLogsOneLinePerMinuteNotOnePerBatch() {
    try (LogCapture lines =
        LogCapture.of(
            ExportStats.class.getName(),
            Level.INFO,
            record -> record.getMessage().contains("fake/traces"))) {
      FakeDestination destination = new FakeDestination();
      destination.failFirst = Integer.MAX_VALUE;
      destination.failure = ExportException.permanent("clickhouse_62", "Syntax error", null);
      ExportStats stats = stats();
      ExportStage<Integer> stage = ExportStage.builder(destination, stats).build();
      for (int i = 0; i < 50; i++) {
        stage.submit(items(i * 3, 3));
      }
      await(stage.flush());
      assertThat(stats.droppedByReason()).isEqualTo(Map.of("non_retryable", 150L));
      assertThat(lines.messages())
          .containsExactly(
              "otel-retention: fake/traces: dropped 3 items (non_retryable): clickhouse_62: Syntax error");
      await(stage.shutdown());
    }
  }

  @Test
  void requestsRunWithInstrumentationSuppressed() {
    List<Boolean> suppressed = Collections.synchronizedList(new ArrayList<>());
    ExportStage<Integer> stage =
        ExportStage.<Integer>builder(
                batch ->
                    suppressed.add(
                        InstrumentationUtil.shouldSuppressInstrumentation(Context.current())),
                stats())
            .build();
    stage.submit(items(0, 3));
    await(stage.flush());
    assertThat(suppressed).containsExactly(true);
    await(stage.shutdown());
  }
}
