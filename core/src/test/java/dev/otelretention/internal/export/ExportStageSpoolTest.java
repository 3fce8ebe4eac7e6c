package dev.otelretention.internal.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.config.ConfigException;
import dev.otelretention.export.ExportException;
import dev.otelretention.export.ExportStats;
import dev.otelretention.export.RetryPolicy;
import dev.otelretention.export.Signal;
import dev.otelretention.export.SpoolSettings;
import dev.otelretention.export.SpoolableDestination;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export stage with a durable spool, against an in-memory destination that can be down. */
class ExportStageSpoolTest {
  private static final RetryPolicy FAST_RETRY =
      RetryPolicy.builder()
          .initialInterval(Duration.ofMillis(5))
          .maxInterval(Duration.ofMillis(20))
          .maxElapsedTime(Duration.ofMillis(100))
          .build();
  @TempDir Path dir;

  /**
   * Encodes integers as big-endian ints; records every token it is sent with; fails while {@code
   * down}.
   */
  static class Destination implements SpoolableDestination<Integer> {
    final List<Integer> received = Collections.synchronizedList(new ArrayList<>());
    final List<String> tokens = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger attempts = new AtomicInteger();
    volatile boolean down;
    volatile boolean reject;

    @Override
    public byte[] encode(List<Integer> batch) {
      ByteBuffer buffer = ByteBuffer.allocate(4 * batch.size());
      batch.forEach(buffer::putInt);
      return buffer.array();
    }

    @Override
    public void sendEncoded(byte[] record, String token) throws Exception {
      attempts.incrementAndGet();
      if (reject) {
        throw ExportException.permanent("400", "bad request", null);
      }
      if (down) {
        throw ExportException.retryable("503", "unavailable", null);
      }
      ByteBuffer buffer = ByteBuffer.wrap(record);
      while (buffer.hasRemaining()) {
        received.add(buffer.getInt());
      }
      tokens.add(token);
    }

    @Override
    public void send(List<Integer> batch) {
      throw new AssertionError("a spooled stage sends encoded records");
    }
  }

  /**
   * A destination that combines records: one delivery, one call, whatever the number of records in
   * it.
   */
  static final class CombiningDestination extends Destination {
    final List<Integer> recordsPerDelivery = Collections.synchronizedList(new ArrayList<>());

    @Override
    public boolean combinesRecords() {
      return true;
    }

    @Override
    public void sendEncoded(List<byte[]> records, String token) throws Exception {
      int size = 0;
      for (byte[] record : records) {
        size += record.length;
      }
      ByteBuffer combined = ByteBuffer.allocate(size);
      records.forEach(combined::put);
      sendEncoded(combined.array(), token);
      recordsPerDelivery.add(records.size());
    }
  }

  private ExportStage<Integer> stage(
      Destination destination, ExportStats stats, SpoolSettings spool) {
    return ExportStage.builder(destination, stats)
        .retryPolicy(FAST_RETRY)
        .requestTimeout(Duration.ofSeconds(2))
        .shutdownTimeout(Duration.ofMillis(300))
        .consumers(2)
        .spool(spool)
        .build();
  }

  private static ExportStats stats() {
    return new ExportStats("fake/traces", "fake_span_exporter", Signal.TRACES);
  }

  private static List<Integer> items(int from, int count) {
    return IntStream.range(from, from + count).boxed().toList();
  }

  @Test
  void whatWasAcceptedDuringAnOutageIsDeliveredByTheNextProcessOnce() {
    SpoolSettings spool =
        SpoolSettings.builder(dir).segmentBytes(64 << 10).maxBytes(4 << 20).build();
    Destination down = new Destination();
    down.down = true;
    ExportStats first = stats();
    ExportStage<Integer> before = stage(down, first, spool);
    for (int i = 0; i < 50; i++) {
      assertThat(before.submit(items(i * 10, 10)).isSuccess()).isTrue();
    }
    assertThat(before.flush().join(200, TimeUnit.MILLISECONDS).isDone())
        .as("nothing can be delivered")
        .isFalse();
    // retries go on far beyond the retry policy's 100 ms: the spool keeps the records
    assertThat(before.shutdown().join(5, TimeUnit.SECONDS).isSuccess())
        .as("records remain")
        .isFalse();
    assertThat(first.dropped()).isZero();
    assertThat(down.attempts.get()).isGreaterThan(2);

    Destination up = new Destination();
    // still down while the recovered count is read: the next process starts sending at once
    up.down = true;
    ExportStats second = stats();
    ExportStage<Integer> after = stage(up, second, spool);
    assertThat(after.pendingItems()).isEqualTo(500);
    up.down = false;
    assertThat(after.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(new HashSet<>(up.received)).hasSize(500).isEqualTo(new HashSet<>(items(0, 500)));
    assertThat(up.received).hasSize(500);
    assertThat(new HashSet<>(up.tokens)).hasSize(50);
    assertThat(second.exported()).isEqualTo(500);
    assertThat(after.shutdown().join(5, TimeUnit.SECONDS).isSuccess()).isTrue();

    ExportStage<Integer> third = stage(new Destination(), stats(), spool);
    assertThat(third.pendingItems()).as("nothing delivered comes back").isZero();
    third.shutdown().join(5, TimeUnit.SECONDS);
  }

  @Test
  void aFailingDestinationDoesNotHoldUpShutdownThatTheSpoolOutlives() {
    SpoolSettings spool =
        SpoolSettings.builder(dir).segmentBytes(64 << 10).maxBytes(4 << 20).build();
    Destination down = new Destination();
    down.down = true;
    ExportStage<Integer> before =
        ExportStage.builder(down, stats())
            .retryPolicy(
                RetryPolicy.builder()
                    .initialInterval(Duration.ofMillis(100))
                    .maxInterval(Duration.ofSeconds(1))
                    .maxElapsedTime(Duration.ofHours(1))
                    .build())
            .requestTimeout(Duration.ofSeconds(2))
            .shutdownTimeout(Duration.ofSeconds(10))
            .consumers(2)
            .spool(spool)
            .build();
    for (int i = 0; i < 20; i++) {
      assertThat(before.submit(items(i * 10, 10)).isSuccess()).isTrue();
    }
    long start = System.nanoTime();
    int attemptsBefore = down.attempts.get();
    before.shutdown().join(15, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took)
        .as("shutdown does not try the failing destination until its 10 s timeout")
        .isLessThan(Duration.ofSeconds(5));
    assertThat(down.attempts.get() - attemptsBefore)
        .as("no burst of tries at shutdown: at most one per sender")
        .isLessThanOrEqualTo(2);

    Destination up = new Destination();
    // still down while the recovered count is read: the next process starts sending at once
    up.down = true;
    ExportStage<Integer> after = stage(up, stats(), spool);
    assertThat(after.pendingItems()).as("the spool keeps every item").isEqualTo(200);
    up.down = false;
    assertThat(after.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(new HashSet<>(up.received)).isEqualTo(new HashSet<>(items(0, 200)));
    after.shutdown().join(5, TimeUnit.SECONDS);
  }

  @Test
  void aRecordThatFailsForGoodIsDroppedAndCounted() {
    Destination destination = new Destination();
    destination.reject = true;
    ExportStats stats = stats();
    ExportStage<Integer> stage = stage(destination, stats, SpoolSettings.builder(dir).build());
    assertThat(stage.submit(items(0, 7)).isSuccess()).isTrue();
    assertThat(stage.flush().join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(stats.droppedByReason()).containsEntry("non_retryable", 7L);
    assertThat(destination.attempts.get()).isEqualTo(1);
    stage.shutdown().join(5, TimeUnit.SECONDS);
    ExportStage<Integer> again =
        stage(new Destination(), stats(), SpoolSettings.builder(dir).build());
    assertThat(again.pendingItems()).isZero();
    again.shutdown().join(5, TimeUnit.SECONDS);
  }

  @Test
  void aFullSpoolRefusesAndCounts() {
    Destination destination = new Destination();
    destination.down = true;
    ExportStats stats = stats();
    ExportStage<Integer> stage =
        stage(
            destination,
            stats,
            SpoolSettings.builder(dir)
                .segmentBytes(64 << 10)
                .maxBytes(128 << 10)
                .whenFull(SpoolSettings.WhenFull.REFUSE_NEWEST)
                .build());
    int refused = 0;
    for (int i = 0; i < 20; i++) {
      if (!stage.submit(items(0, 2_000)).isSuccess()) {
        refused++;
      }
    }
    assertThat(refused).isPositive();
    assertThat(stats.droppedByReason()).containsEntry("spool_full", refused * 2_000L);
    assertThat(stage.pendingItems()).isEqualTo((20 - refused) * 2_000L);
    stage.shutdown().join(5, TimeUnit.SECONDS);
  }

  @Test
  void aFullDiskIsACountedFailureAndTheSpoolGoesOnInANewSegment() throws Exception {
    Path devFull = Path.of("/dev/full");
    Assumptions.assumeTrue(Files.isWritable(devFull), "/dev/full is needed");
    Destination destination = new Destination();
    ExportStats stats = stats();
    ExportStage<Integer> stage = stage(destination, stats, SpoolSettings.builder(dir).build());
    // the segment the first batch will go to is a disk with no space left
    Files.createSymbolicLink(dir.resolve(String.format("%020d.seg", 1)), devFull);
    assertThat(stage.submit(items(0, 5)).isSuccess()).isFalse();
    assertThat(stats.droppedByReason()).containsEntry("io_error", 5L);
    assertThat(stage.submit(items(5, 5)).isSuccess()).isTrue();
    assertThat(stage.flush().join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(destination.received).containsExactlyElementsOf(items(5, 5));
    assertThat(dir.resolve(String.format("%020d.seg", 1))).doesNotExist();
    // the loss shows in health although the delivery after it succeeded
    assertThat(stats.lastError())
        .startsWith("dropped 5 items (io_error): IOException: No space left on device");
    assertThat(stats.lastDroppedAt()).isAfterOrEqualTo(stats.lastSuccess().minusSeconds(60));
    assertThat(stats.lastErrorAt()).isNotNull();
    stage.shutdown().join(5, TimeUnit.SECONDS);
  }

  @Test
  void anUnusableSpoolDirectoryFailsAtStart() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    assertThatThrownBy(
            () ->
                stage(
                    new Destination(),
                    stats(),
                    SpoolSettings.builder(file.resolve("spool")).build()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot use the spool");
  }

  @Test
  void twoStagesCannotShareASpoolAndTheDestinationMustEncode() {
    SpoolSettings spool = SpoolSettings.builder(dir).build();
    ExportStage<Integer> stage = stage(new Destination(), stats(), spool);
    assertThatThrownBy(() -> stage(new Destination(), stats(), spool))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("in use by another exporter or process");
    stage.shutdown().join(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> ExportStage.<Integer>builder(batch -> {}, stats()).spool(spool))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SpoolableDestination");
  }

  @Test
  void batchesArePersistedAsTheyComeAndSentTogetherOnceEnoughHaveWaited() throws Exception {
    CombiningDestination destination = new CombiningDestination();
    ExportStats stats = stats();
    SpoolSettings spool =
        SpoolSettings.builder(dir).deliveries(100, Duration.ofSeconds(30)).build();
    ExportStage<Integer> stage = stage(destination, stats, spool);
    for (int i = 0; i < 24; i++) {
      assertThat(stage.submit(items(i * 10, 10)).isSuccess()).isTrue();
    }
    // 100 items make a full delivery (ten batches), twice; the last four batches wait for more, or
    // 30 s
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (stage.pendingItems() > 40 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(destination.recordsPerDelivery).containsExactly(10, 10);
    assertThat(stage.pendingItems()).isEqualTo(40);
    // a flush does not wait for the delay
    assertThat(stage.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(destination.recordsPerDelivery).containsExactly(10, 10, 4);
    assertThat(destination.received).containsExactlyInAnyOrderElementsOf(items(0, 240));
    assertThat(new HashSet<>(destination.tokens)).hasSize(3);
    assertThat(stats.exported()).isEqualTo(240);
    assertThat(stage.shutdown().join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
  }
}
