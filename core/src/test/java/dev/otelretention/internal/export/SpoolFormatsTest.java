package dev.otelretention.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.export.SpoolSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spools written by every released record format stay readable: the directories under {@code
 * spool-formats/} in the test resources were written once by the version that had the format and
 * are never rewritten. A new format adds a directory here; none is ever removed. {@link #main}
 * writes the directory of the current format.
 */
class SpoolFormatsTest {
  /** When the fixtures were written; the spool is read a minute later. */
  static final Instant WRITTEN = Instant.parse("2026-12-05T00:00:00Z");

  private static final Duration ONE_HOUR = Duration.ofHours(1);

  @TempDir Path dir;
  private final Map<String, Long> dropped = new HashMap<>();

  private DurableSpool openCopy(String format) throws IOException {
    Path source = Path.of("src/test/resources/spool-formats", format);
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : files.toList()) {
        Files.copy(file, dir.resolve(file.getFileName()));
      }
    }
    return DurableSpool.open(
        dir,
        SpoolSettings.builder(dir).maxAge(ONE_HOUR).build(),
        new SpoolGrouping(5, 1 << 20, ONE_HOUR),
        (items, reason) -> dropped.merge(reason, items, Long::sum),
        Clock.fixed(WRITTEN.plusSeconds(60), ZoneOffset.UTC));
  }

  private static List<String> texts(SpoolGroup group) {
    return group.payloads().stream().map(p -> new String(p, StandardCharsets.UTF_8)).toList();
  }

  @Test
  void theFirstFormatIsReadAsGroupsOfOne() throws Exception {
    try (DurableSpool spool = openCopy("ors1")) {
      SpoolGroup group = spool.pollGroup(false);
      assertThat(texts(group)).containsExactly("from the first format");
      assertThat(group.items()).isEqualTo(3);
      assertThat(group.createdAtMillis()).isEqualTo(WRITTEN.toEpochMilli());
      assertThat(group.token()).isEqualTo("5f0c3f52-8f5e-4a57-9a86-2d3c8e1b7a10:7");
      assertThat(spool.pollGroup(true)).isNull();
      assertThat(spool.append("next".getBytes(StandardCharsets.UTF_8), 1)).isEqualTo(8);
    }
    assertThat(dropped).isEmpty();
  }

  @Test
  void theSecondFormatKeepsItsGroupsAndTheirTokens() throws Exception {
    try (DurableSpool spool = openCopy("ors2")) {
      SpoolGroup first = spool.pollGroup(false);
      assertThat(texts(first)).containsExactly("alpha", "beta");
      assertThat(first.items()).isEqualTo(5);
      assertThat(first.token()).isEqualTo("0b7e1c55-3f4a-4d21-8f6e-9c2a7d5b1e30:1");
      SpoolGroup second = spool.pollGroup(true);
      assertThat(texts(second)).containsExactly("gamma");
      assertThat(second.items()).isEqualTo(1);
      assertThat(second.token()).isEqualTo("0b7e1c55-3f4a-4d21-8f6e-9c2a7d5b1e30:3");
      assertThat(spool.pollGroup(true)).isNull();
    }
    assertThat(dropped).isEmpty();
  }

  /**
   * Writes the fixtures: {@code ors1} by hand, as the first format's writer framed a record (it is
   * gone from the code), and {@code ors2} with the spool of this version. Run once per new format
   * into an empty directory, then commit what it wrote.
   */
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Path ors1 = Files.createDirectories(root.resolve("ors1"));
    Files.writeString(ors1.resolve("spool.id"), "5f0c3f52-8f5e-4a57-9a86-2d3c8e1b7a10");
    byte[] text = "from the first format".getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(20 + text.length);
    body.putLong(7).putLong(WRITTEN.toEpochMilli()).putInt(3).put(text).flip();
    CRC32C crc = new CRC32C();
    crc.update(body.duplicate());
    ByteBuffer record = ByteBuffer.allocate(12 + body.remaining());
    record.putInt(0x4F525331).putInt(body.remaining()).putInt((int) crc.getValue()).put(body);
    Files.write(ors1.resolve(String.format("%020d.seg", 1)), record.array());

    Path ors2 = Files.createDirectories(root.resolve("ors2"));
    Files.writeString(ors2.resolve("spool.id"), "0b7e1c55-3f4a-4d21-8f6e-9c2a7d5b1e30");
    try (DurableSpool spool =
        DurableSpool.open(
            ors2,
            SpoolSettings.builder(ors2).fsync(SpoolSettings.Fsync.EVERY_BATCH).build(),
            new SpoolGrouping(5, 1 << 20, ONE_HOUR),
            (items, reason) -> {},
            Clock.fixed(WRITTEN, ZoneOffset.UTC))) {
      spool.append("alpha".getBytes(StandardCharsets.UTF_8), 2);
      spool.append("beta".getBytes(StandardCharsets.UTF_8), 3);
      spool.append("gamma".getBytes(StandardCharsets.UTF_8), 1);
    }
    Files.deleteIfExists(ors2.resolve("lock"));
  }
}
