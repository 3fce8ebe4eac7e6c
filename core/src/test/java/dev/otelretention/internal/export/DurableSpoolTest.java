package dev.otelretention.internal.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.otelretention.export.SpoolSettings;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segment log: order, acknowledgements, recovery of torn and corrupt data, bounds, age and
 * locking.
 */
class DurableSpoolTest {
  @TempDir Path dir;
  private final Map<String, Long> dropped = new ConcurrentHashMap<>();

  private DurableSpool open(SpoolSettings settings) throws IOException {
    return DurableSpool.open(
        dir, settings, (items, reason) -> dropped.merge(reason, items, Long::sum));
  }

  private SpoolSettings.Builder settings() {
    return SpoolSettings.builder(dir).segmentBytes(64 << 10).maxBytes(1 << 20);
  }

  private static byte[] payload(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(SpoolGroup record) {
    return new String(record.payloads().get(0), StandardCharsets.UTF_8);
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".seg")).sorted().toList();
    }
  }

  @Test
  void recordsComeOutInOrderAndAcknowledgedOnesNeverComeBack() throws IOException {
    String token;
    try (DurableSpool spool = open(settings().build())) {
      for (int i = 1; i <= 5; i++) {
        assertThat(spool.append(payload("record " + i), i)).isEqualTo(i);
      }
      assertThat(spool.pendingItems()).isEqualTo(15);
      SpoolGroup first = spool.pollGroup(false);
      SpoolGroup second = spool.pollGroup(false);
      assertThat(text(first)).isEqualTo("record 1");
      assertThat(second.items()).isEqualTo(2);
      token = second.token();
      // done out of order: nothing is acknowledged until the first is done too
      spool.done(second);
      spool.done(first);
      assertThat(spool.pendingItems()).isEqualTo(12);
      assertThat(spool.pendingRecords()).isEqualTo(3);
    }
    // a "crash" here: the three records not done are there after the next open, with the same
    // tokens
    try (DurableSpool spool = open(settings().build())) {
      assertThat(spool.recoveredRecords()).isEqualTo(3);
      SpoolGroup third = spool.pollGroup(false);
      assertThat(text(third)).isEqualTo("record 3");
      assertThat(third.token())
          .startsWith(token.substring(0, token.indexOf(':') + 1))
          .endsWith(":3");
      spool.done(third);
      spool.done(spool.pollGroup(false));
      spool.done(spool.pollGroup(false));
      assertThat(spool.pollGroup(false)).isNull();
      assertThat(spool.append(payload("after"), 1)).as("ids go on").isEqualTo(6);
    }
    try (DurableSpool spool = open(settings().build())) {
      assertThat(spool.recoveredRecords()).isEqualTo(1);
    }
    assertThat(Files.getPosixFilePermissions(segments().get(0)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(dir.resolve("acked")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void finishedSegmentsAreDeleted() throws IOException {
    try (DurableSpool spool = open(settings().build())) {
      byte[] big = new byte[20_000];
      for (int i = 0; i < 12; i++) {
        spool.append(big, 1);
      }
      assertThat(segments().size()).isGreaterThanOrEqualTo(4);
      SpoolGroup record;
      while ((record = spool.pollGroup(false)) != null) {
        spool.done(record);
      }
      assertThat(segments()).hasSize(1);
      assertThat(spool.bytes()).isEqualTo(Files.size(segments().get(0)));
    }
  }

  @Test
  void aTornTailIsCutOffAndReportedAndTheRestIsKept() throws IOException {
    try (DurableSpool spool = open(settings().build())) {
      spool.append(payload("one"), 1);
      spool.append(payload("two"), 1);
      spool.append(payload("three, torn by a crash in the middle of its write"), 1);
    }
    Path segment = segments().get(0);
    long size = Files.size(segment);
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      file.setLength(size - 20);
    }
    try (DurableSpool spool = open(settings().build())) {
      assertThat(spool.recoveredRecords()).isEqualTo(2);
      assertThat(spool.corruptBytes()).isPositive();
      assertThat(text(spool.pollGroup(false))).isEqualTo("one");
      assertThat(text(spool.pollGroup(false))).isEqualTo("two");
      assertThat(spool.pollGroup(false)).isNull();
      assertThat(spool.append(payload("four"), 1)).isEqualTo(3);
    }
    assertThat(Files.size(segment)).as("cut back to the last whole record").isLessThan(size - 20);
  }

  @Test
  void aCorruptRecordInTheMiddleIsPassedOverAndTheRecordsAfterItAreKept() throws IOException {
    try (DurableSpool spool = open(settings().build())) {
      spool.append(payload("first"), 1);
      spool.append(payload("second, to be damaged"), 1);
      spool.append(payload("third"), 1);
    }
    Path segment = segments().get(0);
    byte[] bytes = Files.readAllBytes(segment);
    String content = new String(bytes, StandardCharsets.ISO_8859_1);
    int damaged = content.indexOf("damaged");
    bytes[damaged] ^= 0x20;
    Files.write(segment, bytes);
    try (DurableSpool spool = open(settings().build())) {
      assertThat(spool.recoveredRecords()).isEqualTo(2);
      assertThat(spool.corruptBytes()).isPositive();
      assertThat(text(spool.pollGroup(false))).isEqualTo("first");
      assertThat(text(spool.pollGroup(false))).isEqualTo("third");
    }
  }

  @Test
  void whenFullTheOldestGoOrTheNewestIsRefused() throws IOException {
    byte[] chunk = new byte[30_000];
    try (DurableSpool spool = open(settings().maxBytes(128 << 10).build())) {
      for (int i = 0; i < 10; i++) {
        spool.append(chunk, 10);
      }
      assertThat(dropped.get("spool_full")).isPositive();
      assertThat(spool.bytes()).isLessThanOrEqualTo(128 << 10);
      assertThat(spool.pendingItems() + dropped.get("spool_full")).isEqualTo(100);
    }
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(f -> f.toFile().delete());
    }
    try (DurableSpool spool =
        open(
            settings()
                .maxBytes(128 << 10)
                .whenFull(SpoolSettings.WhenFull.REFUSE_NEWEST)
                .build())) {
      int accepted = 0;
      try {
        for (int i = 0; i < 10; i++) {
          spool.append(chunk, 10);
          accepted++;
        }
      } catch (SpoolFullException e) {
        assertThat(e.getMessage()).contains("of 131072 bytes");
      }
      assertThat(accepted).isBetween(3, 4);
      assertThat(text(spool.pollGroup(false))).hasSize(30_000);
      assertThatThrownBy(() -> spool.append(new byte[100_000], 1))
          .isInstanceOf(SpoolFullException.class)
          .hasMessageContaining("larger than half the spool");
    }
  }

  @Test
  void recordsOlderThanTheMaximumAgeExpire() throws Exception {
    try (DurableSpool spool = open(settings().maxAge(Duration.ofMillis(50)).build())) {
      spool.append(payload("old"), 4);
      Thread.sleep(120);
      spool.append(payload("new"), 1);
      assertThat(text(spool.pollGroup(false))).isEqualTo("new");
      assertThat(dropped).containsEntry("spool_expired", 4L);
    }
  }

  @Test
  void oneSpoolDirectoryServesOneExporter() throws IOException {
    try (DurableSpool spool = open(settings().build())) {
      assertThatThrownBy(() -> open(settings().build()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("is in use by another exporter or process");
    }
  }

  @Test
  void aDamagedAcknowledgementFileMeansSendingAgainNotLosing() throws IOException {
    try (DurableSpool spool = open(settings().build())) {
      spool.append(payload("a"), 1);
      spool.append(payload("b"), 1);
      spool.done(spool.pollGroup(false));
    }
    Files.write(dir.resolve("acked"), new byte[] {1, 2, 3});
    List<String> texts = new ArrayList<>();
    try (DurableSpool spool = open(settings().build())) {
      SpoolGroup record;
      while ((record = spool.pollGroup(false)) != null) {
        texts.add(text(record));
      }
    }
    assertThat(texts).containsExactly("a", "b");
  }

  @Test
  void recordsAreGroupedUntilFullOrOldAndAGroupIsTheSameAfterACrash() throws Exception {
    SpoolGrouping grouping = new SpoolGrouping(10, 1 << 20, Duration.ofHours(1));
    String firstToken;
    try (DurableSpool spool =
        DurableSpool.open(dir, settings().build(), grouping, (items, reason) -> {})) {
      spool.append(payload("a"), 4);
      spool.append(payload("b"), 4);
      assertThat(spool.pollGroup(false)).as("open, neither full nor old").isNull();
      assertThat(spool.nanosUntilDue()).isGreaterThan(Duration.ofMinutes(59).toNanos());
      spool.append(payload("c"), 4);
      // c did not fit (12 > 10): it opened a second group, so the first is closed and due
      assertThat(spool.nanosUntilDue()).isZero();
      SpoolGroup first = spool.pollGroup(false);
      assertThat(first.payloads()).extracting(String::new).containsExactly("a", "b");
      assertThat(first.items()).isEqualTo(8);
      firstToken = first.token();
      assertThat(spool.pollGroup(false)).as("c's group is open").isNull();
      spool.append(payload("d"), 2);
      // the crash: the first group was sent but never acknowledged
    }
    try (DurableSpool spool =
        DurableSpool.open(dir, settings().build(), grouping, (items, reason) -> {})) {
      assertThat(spool.recoveredRecords()).isEqualTo(4);
      SpoolGroup again = spool.pollGroup(false);
      assertThat(again.token()).as("same delivery, same token").isEqualTo(firstToken);
      assertThat(again.payloads()).extracting(String::new).containsExactly("a", "b");
      spool.append(payload("e"), 1);
      SpoolGroup recovered = spool.pollGroup(false);
      assertThat(recovered.payloads())
          .as("groups from before are closed")
          .extracting(String::new)
          .containsExactly("c", "d");
      assertThat(spool.pollGroup(false)).as("e waits in a new open group").isNull();
      SpoolGroup forced = spool.pollGroup(true);
      assertThat(forced.payloads()).extracting(String::new).containsExactly("e");
      spool.done(again);
      spool.done(recovered);
      spool.done(forced);
      assertThat(spool.pendingRecords()).isZero();
    }
  }

  @Test
  void anOpenGroupIsHandedOutOnceItsFirstRecordIsOldEnough() throws Exception {
    SpoolGrouping grouping = new SpoolGrouping(1000, 1 << 20, Duration.ofMillis(200));
    try (DurableSpool spool =
        DurableSpool.open(dir, settings().build(), grouping, (items, reason) -> {})) {
      spool.append(payload("a"), 1);
      spool.append(payload("b"), 1);
      assertThat(spool.pollGroup(false)).isNull();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (spool.nanosUntilDue() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(Math.max(1, spool.nanosUntilDue() / 1_000_000));
      }
      assertThat(spool.pollGroup(false).payloads())
          .extracting(String::new)
          .containsExactly("a", "b");
    }
  }
}
