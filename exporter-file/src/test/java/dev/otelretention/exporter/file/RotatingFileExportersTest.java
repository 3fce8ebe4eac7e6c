package dev.otelretention.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.otelretention.config.ConfigException;
import dev.otelretention.config.EnvironmentConfig;
import dev.otelretention.sink.SinkContext;
import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingFileExportersTest {
  @TempDir Path dir;

  private static RotatingFileExporters.Builder files(Path directory) {
    return RotatingFileExporters.builder().directory(directory).flushInterval(Duration.ZERO);
  }

  private static void export(OtlpJsonFileSpanExporter exporter, List<SpanData> spans) {
    CompletableResultCode result = exporter.export(spans).join(10, TimeUnit.SECONDS);
    assertThat(result.isSuccess()).as("export succeeded").isTrue();
  }

  private static List<OtlpJsonRecord> readAll(Path activeFile) throws IOException {
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(activeFile)) {
      List<OtlpJsonRecord> records = reader.readAll();
      assertThat(reader.skipped()).isEmpty();
      return records;
    }
  }

  private List<Path> backups() throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.getFileName().toString().startsWith("traces-"))
          .filter(p -> !p.getFileName().toString().endsWith(TraceIndexFile.SUFFIX))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void appendsOnRestartAndNeverTruncates() throws Exception {
    OtlpJsonFileSpanExporter first = (OtlpJsonFileSpanExporter) files(dir).buildSpanExporter();
    export(first, TestData.spans("first", 3));
    first.shutdown().join(5, TimeUnit.SECONDS);
    OtlpJsonFileSpanExporter second = (OtlpJsonFileSpanExporter) files(dir).buildSpanExporter();
    export(second, TestData.spans("second", 2));
    second.shutdown().join(5, TimeUnit.SECONDS);

    Path file = dir.resolve("traces.jsonl");
    assertThat(TestData.spanNames(readAll(file)))
        .containsExactly("first-0", "first-1", "first-2", "second-0", "second-1");
    assertThat(first.stats().exported()).isEqualTo(3);
    assertThat(second.stats().exported()).isEqualTo(2);
  }

  @Test
  void createsFilesAndDirectoriesOwnerOnly() throws Exception {
    Path nested = dir.resolve("a/b");
    OtlpJsonFileSpanExporter exporter =
        (OtlpJsonFileSpanExporter) files(nested).buildSpanExporter();
    export(exporter, TestData.spans("x", 1));
    exporter.shutdown();
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(nested.resolve("traces.jsonl"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a"))))
        .isEqualTo("rwx------");
  }

  @Test
  void bufferedLinesReachTheFileOnTheFlushInterval() throws Exception {
    OtlpJsonFileSpanExporter exporter =
        (OtlpJsonFileSpanExporter)
            RotatingFileExporters.builder()
                .directory(dir)
                .flushInterval(Duration.ofMillis(100))
                .buildSpanExporter();
    export(exporter, TestData.spans("buffered", 2));
    Path file = dir.resolve("traces.jsonl");
    assertThat(Files.size(file)).isZero();
    assertThat(exporter.stats().exported()).isZero();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (Files.size(file) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(TestData.spanNames(readAll(file))).containsExactly("buffered-0", "buffered-1");
    assertThat(exporter.stats().exported()).isEqualTo(2);
    export(exporter, TestData.spans("forced", 1));
    assertThat(exporter.flush().join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(TestData.spanNames(readAll(file)))
        .containsExactly("buffered-0", "buffered-1", "forced-0");
    exporter.shutdown();
  }

  @Test
  void rotatesBySizeWithTimeOrderedBackupNamesAndKeepsEveryRecord() throws Exception {
    RotationPolicy policy =
        RotationPolicy.builder().maxFileSize(4096).maxBackups(100).maxAge(Duration.ZERO).build();
    OtlpJsonFileSpanExporter exporter =
        (OtlpJsonFileSpanExporter) files(dir).rotation(policy).buildSpanExporter();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      List<SpanData> batch = TestData.spans("batch" + i, 2);
      batch.forEach(s -> expected.add(s.getName()));
      export(exporter, batch);
    }
    exporter.shutdown();
    FileWorkers.awaitHousekeeping();

    List<Path> backups = backups();
    assertThat(backups).hasSizeGreaterThan(5);
    for (Path backup : backups) {
      assertThat(backup.getFileName().toString())
          .matches("traces-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}\\.\\d{3}-size\\.jsonl");
      assertThat(Files.size(backup)).isLessThanOrEqualTo(4096);
    }
    assertThat(TestData.spanNames(readAll(dir.resolve("traces.jsonl"))))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void keepsOnlyTheNewestBackups() throws Exception {
    RotationPolicy policy = RotationPolicy.builder().maxFileSize(2048).maxBackups(2).build();
    OtlpJsonFileSpanExporter exporter =
        (OtlpJsonFileSpanExporter) files(dir).rotation(policy).buildSpanExporter();
    for (int i = 0; i < 40; i++) {
      export(exporter, TestData.spans("b" + i, 2));
    }
    exporter.shutdown();
    FileWorkers.awaitHousekeeping();
    assertThat(backups()).hasSize(2);
    List<String> names = TestData.spanNames(readAll(dir.resolve("traces.jsonl")));
    assertThat(names).endsWith("b39-0", "b39-1");
    assertThat(names).doesNotContain("b0-0");
  }

  @Test
  void zeroBackupsDeletesRotatedData() throws Exception {
    RotationPolicy policy = RotationPolicy.builder().maxFileSize(2048).maxBackups(0).build();
    OtlpJsonFileSpanExporter exporter =
        (OtlpJsonFileSpanExporter) files(dir).rotation(policy).buildSpanExporter();
    for (int i = 0; i < 20; i++) {
      export(exporter, TestData.spans("z" + i, 2));
    }
    exporter.shutdown();
    FileWorkers.awaitHousekeeping();
    assertThat(backups()).isEmpty();
    assertThat(Files.size(dir.resolve("traces.jsonl"))).isLessThanOrEqualTo(2048);
  }

  @Test
  void gzipBackupsAreStandardGzipFiles() throws Exception {
    assertCompressedBackups(Compression.GZIP, "\\.jsonl\\.gz");
  }

  @Test
  void zstdBackupsAreStandardZstdFiles() throws Exception {
    assertCompressedBackups(Compression.ZSTD, "\\.jsonl\\.zst");
  }

  private void assertCompressedBackups(Compression compression, String suffixPattern)
      throws Exception {
    RotationPolicy policy =
        RotationPolicy.builder().maxFileSize(4096).maxBackups(50).compression(compression).build();
    OtlpJsonFileSpanExporter exporter =
        (OtlpJsonFileSpanExporter) files(dir).rotation(policy).buildSpanExporter();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      List<SpanData> batch = TestData.spans("c" + i, 2);
      batch.forEach(s -> expected.add(s.getName()));
      export(exporter, batch);
    }
    exporter.shutdown();
    FileWorkers.awaitHousekeeping();
    List<Path> backups = backups();
    assertThat(backups).isNotEmpty();
    List<String> fromBackups = new ArrayList<>();
    for (Path backup : backups) {
      assertThat(backup.getFileName().toString()).matches("traces-.*-size" + suffixPattern);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)))
          .isEqualTo("rw-------");
      try (InputStream raw = Files.newInputStream(backup);
          InputStream in =
              compression == Compression.GZIP
                  ? new GZIPInputStream(raw)
                  : new ZstdInputStream(raw);
          BufferedReader reader =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        List<OtlpJsonRecord> records = new ArrayList<>();
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
          records.add(new OtlpJsonRecord(backup, ++number, line));
        }
        fromBackups.addAll(TestData.spanNames(records));
      }
    }
    List<String> all = TestData.spanNames(readAll(dir.resolve("traces.jsonl")));
    assertThat(all).containsExactlyElementsOf(expected);
    assertThat(expected).startsWith(fromBackups.toArray(new String[0]));
  }

  @Test
  void rotatesDailyAndNamesBackupsInTheConfiguredZone() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T23:59:00Z"));
    RotationPolicy policy = RotationPolicy.builder().dailyRotation(true).build();
    OtlpJsonFileSpanExporter exporter =
        (OtlpJsonFileSpanExporter) files(dir).rotation(policy).clock(clock).buildSpanExporter();
    export(exporter, TestData.spans("day1", 1));
    clock.advance(Duration.ofMinutes(2));
    export(exporter, TestData.spans("day2", 1));
    exporter.shutdown();
    FileWorkers.awaitHousekeeping();
    assertThat(backups())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("traces-2026-03-02T00-01-00.000-daily.jsonl");
    assertThat(TestData.spanNames(readAll(dir.resolve("traces.jsonl"))))
        .containsExactly("day1-0", "day2-0");
  }

  @Test
  void deletesBackupsOlderThanMaxAgeByTheTimeInTheirName() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-20T12:00:00Z"));
    Files.writeString(dir.resolve("traces-2026-03-01T10-00-00.000-size.jsonl"), "{}\n");
    Files.writeString(dir.resolve("traces-2026-03-12T10-00-00.000-size.jsonl.gz"), "");
    Files.writeString(dir.resolve("traces-2026-03-19T10-00-00.000-daily.jsonl"), "{}\n");
    Files.writeString(dir.resolve("unrelated-2026-03-01T10-00-00.000-size.jsonl"), "{}\n");
    OtlpJsonFileSpanExporter exporter =
        (OtlpJsonFileSpanExporter)
            files(dir)
                .rotation(RotationPolicy.builder().maxAge(Duration.ofDays(7)).build())
                .clock(clock)
                .buildSpanExporter();
    FileWorkers.awaitHousekeeping();
    assertThat(backups())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("traces-2026-03-19T10-00-00.000-daily.jsonl");
    assertThat(dir.resolve("unrelated-2026-03-01T10-00-00.000-size.jsonl")).exists();
    exporter.shutdown();
  }

  @Test
  void capsTheTotalSizeOfBackupsAndActiveFile() throws Exception {
    RotationPolicy policy =
        RotationPolicy.builder().maxFileSize(2048).maxBackups(100).maxTotalSize(3 * 2048).build();
    OtlpJsonFileSpanExporter exporter =
        (OtlpJsonFileSpanExporter) files(dir).rotation(policy).buildSpanExporter();
    for (int i = 0; i < 50; i++) {
      export(exporter, TestData.spans("t" + i, 2));
    }
    exporter.shutdown();
    FileWorkers.awaitHousekeeping();
    long total = Files.size(dir.resolve("traces.jsonl"));
    for (Path backup : backups()) {
      total += Files.size(backup);
    }
    assertThat(total).isLessThanOrEqualTo(3 * 2048);
    assertThat(backups()).isNotEmpty();
  }

  @Test
  void recreatesTheFileWhenItIsDeletedOrMovedAway() throws Exception {
    OtlpJsonFileSpanExporter exporter = (OtlpJsonFileSpanExporter) files(dir).buildSpanExporter();
    Path file = dir.resolve("traces.jsonl");
    export(exporter, TestData.spans("before", 1));
    Files.delete(file);
    export(exporter, TestData.spans("afterDelete", 1));
    assertThat(TestData.spanNames(readAll(file))).containsExactly("afterDelete-0");

    Path moved = dir.resolve("archived.jsonl");
    Files.move(file, moved);
    export(exporter, TestData.spans("afterMove", 1));
    exporter.shutdown();
    assertThat(TestData.spanNames(readAll(file))).containsExactly("afterMove-0");
    assertThat(TestData.spanNames(readAll(moved))).containsExactly("afterDelete-0");
    assertThat(exporter.stats().dropped()).isZero();
  }

  @Test
  void aFullDiskIsACountedFailureAndRecoversAfterwards() throws Exception {
    Path devFull = Path.of("/dev/full");
    Assumptions.assumeTrue(Files.isWritable(devFull), "/dev/full is needed");
    Path file = dir.resolve("traces.jsonl");
    Files.createSymbolicLink(file, devFull);
    OtlpJsonFileSpanExporter exporter = (OtlpJsonFileSpanExporter) files(dir).buildSpanExporter();

    CompletableResultCode failed =
        exporter.export(TestData.spans("lost", 3)).join(5, TimeUnit.SECONDS);
    assertThat(failed.isSuccess()).isFalse();
    assertThat(exporter.stats().droppedByReason()).isEqualTo(Map.of("io_error", 3L));
    assertThat(exporter.stats().lastError()).contains("No space left on device");

    Files.delete(file);
    export(exporter, TestData.spans("kept", 2));
    exporter.shutdown();
    assertThat(TestData.spanNames(readAll(file))).containsExactly("kept-0", "kept-1");
    assertThat(exporter.stats().exported()).isEqualTo(2);
    assertThat(exporter.stats().dropped()).isEqualTo(3);
  }

  @Test
  void aBackupWhoseCompressionFailedIsCompressedAtTheNextRotation() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    RotationPolicy policy =
        RotationPolicy.builder()
            .maxFileSize(4096)
            .maxBackups(50)
            .compression(Compression.ZSTD)
            .build();
    OtlpJsonFileSpanExporter exporter =
        (OtlpJsonFileSpanExporter) files(dir).rotation(policy).clock(clock).buildSpanExporter();
    Path firstBackup =
        new BackupFiles(dir.resolve("traces.jsonl"), false).newBackupPath(clock.instant(), "size");
    // the compression's temporary file cannot be made (a disk that fails it, here a directory in
    // its way)
    Path blocker =
        firstBackup.resolveSibling(firstBackup.getFileName() + ".zst" + BackupFiles.TEMP_SUFFIX);
    Files.createDirectories(blocker);
    Files.writeString(blocker.resolve("x"), "x");
    while (!Files.exists(firstBackup)) {
      export(exporter, TestData.spans("a", 2));
    }
    FileWorkers.awaitHousekeeping();
    assertThat(firstBackup).as("left uncompressed, not lost").exists();
    Files.delete(blocker.resolve("x"));
    Files.delete(blocker);
    clock.advance(Duration.ofMinutes(1));
    int backupsBefore = backups().size();
    while (backups().size() == backupsBefore) {
      export(exporter, TestData.spans("b", 2));
      FileWorkers.awaitHousekeeping();
    }
    exporter.shutdown();
    FileWorkers.awaitHousekeeping();
    assertThat(firstBackup).doesNotExist();
    assertThat(backups())
        .isNotEmpty()
        .allSatisfy(b -> assertThat(b.getFileName().toString()).endsWith(".jsonl.zst"));
    assertThat(exporter.stats().dropped()).isZero();
  }

  @Test
  void twoExportersCannotWriteTheSameFilesButOtherSignalsShareTheDirectory() throws Exception {
    OtlpJsonFileSpanExporter first = (OtlpJsonFileSpanExporter) files(dir).buildSpanExporter();
    assertThatThrownBy(() -> files(dir).buildSpanExporter())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("traces.jsonl")
        .hasMessageContaining("is in use by another exporter or process");
    assertThatThrownBy(
            () -> files(dir).groupByResourceAttribute("service.name").buildSpanExporter())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is in use by another exporter or process");
    var logs = files(dir).buildLogRecordExporter();
    export(first, TestData.spans("one", 1));
    first.shutdown();
    logs.shutdown();
    OtlpJsonFileSpanExporter next = (OtlpJsonFileSpanExporter) files(dir).buildSpanExporter();
    export(next, TestData.spans("two", 1));
    next.shutdown();
    assertThat(TestData.spanNames(readAll(dir.resolve("traces.jsonl"))))
        .containsExactly("one-0", "two-0");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(".traces.jsonl.lock"))))
        .isEqualTo("rw-------");
  }

  @Test
  void anUnusableDirectoryFailsAtBuildTime() throws Exception {
    Path notADirectory = dir.resolve("plain-file");
    Files.writeString(notADirectory, "x");
    assertThatThrownBy(() -> files(notADirectory.resolve("sub")).buildSpanExporter())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot write telemetry to");
  }

  @Test
  void exportAfterShutdownIsCountedNotThrown() {
    OtlpJsonFileSpanExporter exporter = (OtlpJsonFileSpanExporter) files(dir).buildSpanExporter();
    exporter.shutdown();
    assertThat(exporter.export(TestData.spans("late", 2)).isSuccess()).isFalse();
    assertThat(exporter.stats().droppedByReason()).isEqualTo(Map.of("shutdown", 2L));
  }

  @Test
  void absurdSettingsAreRejected() {
    assertThatThrownBy(() -> RotationPolicy.builder().maxFileSize(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RotationPolicy.builder().maxFileSize(10))
        .hasMessageContaining("at least 1KiB, got 10B");
    assertThatThrownBy(() -> RotationPolicy.builder().maxBackups(-1))
        .hasMessageContaining("number of backups kept");
    assertThatThrownBy(() -> RotationPolicy.builder().maxAge(Duration.ofDays(-1)))
        .hasMessageContaining("-1d")
        .hasMessageNotContaining("PT");
    assertThatThrownBy(
            () -> RotationPolicy.builder().maxBackups(0).compression(Compression.GZIP).build())
        .hasMessageContaining("nothing to compress");
    assertThatThrownBy(
            () -> RotationPolicy.builder().maxFileSize(1 << 20).maxTotalSize(1000).build())
        .hasMessageContaining("the total size cap (1000B)");
    assertThatThrownBy(() -> RotatingFileExporters.builder().flushInterval(Duration.ofSeconds(-1)))
        .hasMessageContaining("flush interval")
        .hasMessageContaining("-1s");
    assertThatThrownBy(() -> RotatingFileExporters.builder().directory(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(
            () ->
                RotatingFileExporters.builder()
                    .configure(EnvironmentConfig.of(Map.of("p.max-size", "lots")), "p."))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("p.max-size=lots: ");
    assertThatThrownBy(
            () ->
                RotatingFileExporters.builder()
                    .configure(EnvironmentConfig.of(Map.of("p.compression", "brotli")), "p."))
        .hasMessage("p.compression=brotli: must be none, gzip or zstd");
    assertThatThrownBy(
            () ->
                RotatingFileExporters.builder()
                    .configure(
                        EnvironmentConfig.of(Map.of("p.max-backups", "0", "p.compression", "zstd")),
                        "p."))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("p.max-backups")
        .hasMessageContaining("nothing to compress");
  }

  @Test
  void aNumberWithoutAUnitIsRefusedForEverySettingThatDeletesOrRotates() {
    // the Collector's file exporter writes max_days: 7 and max_megabytes: 100
    assertThatThrownBy(
            () ->
                RotatingFileExporters.builder()
                    .configure(EnvironmentConfig.of(Map.of("OTEL_RETENTION_FILE_MAX_AGE", "7"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "OTEL_RETENTION_FILE_MAX_AGE=7: a duration needs its unit; write 7d for days,"
                + " or 7h, 7m, 7s, 7ms");
    for (String key :
        new String[] {"OTEL_RETENTION_FILE_MAX_TOTAL_SIZE", "OTEL_RETENTION_FILE_MAX_SIZE"}) {
      assertThatThrownBy(
              () ->
                  RotatingFileExporters.builder()
                      .configure(EnvironmentConfig.of(Map.of(key, "100"))))
          .hasMessage(
              key + "=100: a size needs its unit; write 100MB for megabytes, or 100KB, 100B");
    }
    assertThatThrownBy(
            () ->
                RotatingFileExporters.builder()
                    .configure(
                        EnvironmentConfig.of(Map.of("OTEL_RETENTION_FILE_FLUSH_INTERVAL", "200"))))
        .hasMessageStartingWith(
            "OTEL_RETENTION_FILE_FLUSH_INTERVAL=200: a duration needs its unit");
    assertThat(
            RotatingFileExporters.builder()
                .configure(EnvironmentConfig.of(Map.of("OTEL_RETENTION_FILE_MAX_AGE", "0")))
                .rotationPolicy()
                .maxAge())
        .isZero();
  }

  @Test
  void errorsNameTheVariableAsItWasSetAndTheValueAsWritten() {
    assertThatThrownBy(
            () ->
                RotatingFileExporters.builder()
                    .configure(
                        EnvironmentConfig.of(Map.of("OTEL_RETENTION_FILE_MAX_SIZE", "100B"))))
        .hasMessage(
            "OTEL_RETENTION_FILE_MAX_SIZE=100B: the file size at which files rotate must be at"
                + " least 1KiB, got 100B");
    assertThatThrownBy(
            () ->
                RotatingFileExporters.builder()
                    .configure(
                        EnvironmentConfig.of(Map.of("otel.retention.file.max-size", "100B"))))
        .hasMessageStartingWith("otel.retention.file.max-size=100B: ");
  }

  @Test
  void configureReadsEveryKey() {
    RotatingFileExporters.Builder builder =
        RotatingFileExporters.builder()
            .configure(
                EnvironmentConfig.of(
                    Map.of(
                        "p.directory", dir.toString(),
                        "p.max-size", "2MiB",
                        "p.max-age", "3d",
                        "p.max-backups", "9",
                        "p.daily", "true",
                        "p.max-total-size", "1GB",
                        "p.compression", "zstd",
                        "p.local-time", "true",
                        "p.flush-interval", "250ms",
                        "p.group-by", "service.name")),
                "p.");
    FileSettings settings = builder.settings();
    assertThat(settings.directory()).isEqualTo(dir);
    assertThat(settings.rotation().maxFileSize()).isEqualTo(2L << 20);
    assertThat(settings.rotation().maxAge()).isEqualTo(Duration.ofDays(3));
    assertThat(settings.rotation().maxBackups()).isEqualTo(9);
    assertThat(settings.rotation().dailyRotation()).isTrue();
    assertThat(settings.rotation().maxTotalSize()).isEqualTo(1L << 30);
    assertThat(settings.rotation().compression()).isEqualTo(Compression.ZSTD);
    assertThat(settings.rotation().localTime()).isTrue();
    assertThat(settings.flushInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(settings.groupBy()).isEqualTo("service.name");
  }

  @Test
  void groupsFilesByResourceAttribute() throws Exception {
    OtlpJsonFileSpanExporter exporter =
        (OtlpJsonFileSpanExporter)
            files(dir).groupByResourceAttribute("service.name").maxGroups(2).buildSpanExporter();
    Resource checkout =
        Resource.create(Attributes.builder().put("service.name", "checkout").build());
    Resource payments =
        Resource.create(Attributes.builder().put("service.name", "pay/ments").build());
    Resource third = Resource.create(Attributes.builder().put("service.name", "third").build());
    Resource fourth = Resource.create(Attributes.builder().put("service.name", "fourth").build());
    export(
        exporter,
        List.of(
            TestData.span("c1", checkout),
            TestData.span("p1", payments),
            TestData.span("c2", checkout),
            TestData.span("t1", third),
            TestData.span("f1", fourth)));
    exporter.shutdown();
    assertThat(TestData.spanNames(readAll(dir.resolve("checkout/traces.jsonl"))))
        .containsExactly("c1", "c2");
    assertThat(TestData.spanNames(readAll(dir.resolve("pay_ments/traces.jsonl"))))
        .containsExactly("p1");
    assertThat(TestData.spanNames(readAll(dir.resolve("_overflow/traces.jsonl"))))
        .containsExactly("t1", "f1");
    assertThat(exporter.stats().exported()).isEqualTo(5);
  }

  @Test
  void sanitizesGroupNames() {
    assertThat(JsonLinesOutput.sanitize("a/b\\c d")).isEqualTo("a_b_c_d");
    assertThat(JsonLinesOutput.sanitize("..")).isEqualTo("_..");
    assertThat(JsonLinesOutput.sanitize("")).isEqualTo("_");
    assertThat(JsonLinesOutput.sanitize("x".repeat(500))).hasSize(100);
  }

  @Test
  void readerSkipsAndReportsAPartialLastLineAndWriterRepairsItOnRestart() throws Exception {
    OtlpJsonFileSpanExporter exporter = (OtlpJsonFileSpanExporter) files(dir).buildSpanExporter();
    export(exporter, TestData.spans("whole", 2));
    exporter.shutdown();
    Path file = dir.resolve("traces.jsonl");
    Files.writeString(file, "{\"resourceSpans\":[{\"resou", StandardOpenOption.APPEND);

    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(file)) {
      assertThat(TestData.spanNames(reader.readAll())).containsExactly("whole-0", "whole-1");
      assertThat(reader.skipped())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.lineNumber()).isEqualTo(2);
                assertThat(s.reason()).contains("partial last line");
              });
    }

    OtlpJsonFileSpanExporter restarted = (OtlpJsonFileSpanExporter) files(dir).buildSpanExporter();
    export(restarted, TestData.spans("later", 1));
    restarted.shutdown();
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(file)) {
      assertThat(TestData.spanNames(reader.readAll()))
          .containsExactly("whole-0", "whole-1", "later-0");
      assertThat(reader.skipped())
          .singleElement()
          .satisfies(s -> assertThat(s.reason()).contains("malformed JSON"));
    }
  }

  @Test
  void readerReadsBackupsOldestFirstAcrossCompressionKinds() throws Exception {
    OtlpJsonFileSpanExporter exporter = (OtlpJsonFileSpanExporter) files(dir).buildSpanExporter();
    export(exporter, TestData.spans("active", 1));
    exporter.shutdown();
    Path file = dir.resolve("traces.jsonl");
    String older = Files.readString(file).replace("active-0", "older-0");
    String oldest = Files.readString(file).replace("active-0", "oldest-0");
    try (var out =
        new GZIPOutputStream(
            Files.newOutputStream(dir.resolve("traces-2026-01-01T00-00-00.000-size.jsonl.gz")))) {
      out.write(oldest.getBytes(StandardCharsets.UTF_8));
    }
    try (var out =
        new ZstdOutputStream(
            Files.newOutputStream(dir.resolve("traces-2026-01-02T00-00-00.000-daily.jsonl.zst")))) {
      out.write(older.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(OtlpJsonFiles.files(file))
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "traces-2026-01-01T00-00-00.000-size.jsonl.gz",
            "traces-2026-01-02T00-00-00.000-daily.jsonl.zst",
            "traces.jsonl");
    assertThat(TestData.spanNames(readAll(file)))
        .containsExactly("oldest-0", "older-0", "active-0");
  }

  @Test
  void backupNamesUseLocalTimeWhenAsked() {
    Instant instant = Instant.parse("2026-07-01T12:00:00Z");
    BackupFiles local = new BackupFiles(dir.resolve("traces.jsonl"), true);
    BackupFiles utc = new BackupFiles(dir.resolve("traces.jsonl"), false);
    String localStamp =
        BackupFiles.TIMESTAMP.format(LocalDateTime.ofInstant(instant, ZoneId.systemDefault()));
    assertThat(local.newBackupPath(instant, "size").getFileName().toString())
        .isEqualTo("traces-" + localStamp + "-size.jsonl");
    assertThat(utc.newBackupPath(instant, "size").getFileName().toString())
        .isEqualTo("traces-2026-07-01T12-00-00.000-size.jsonl");
    assertThat(utc.parse(utc.newBackupPath(instant, "daily")).time()).isEqualTo(instant);
    assertThat(LocalDateTime.ofInstant(instant, ZoneOffset.UTC).getHour()).isEqualTo(12);
  }

  /** A clock tests move forward by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aBuiltSinkKeepsItsSettingsWhenTheBuilderChangesLater() throws Exception {
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    RotatingFileExporters.Builder builder =
        RotatingFileExporters.builder().directory(first).flushInterval(Duration.ZERO);
    TelemetrySink sink = builder.buildSink();
    builder.directory(second);

    SpanExporter exporter = sink.createSpanExporter(SinkContext.standalone("file"));
    assertThat(
            exporter.export(List.of(TestData.span("kept"))).join(10, TimeUnit.SECONDS).isSuccess())
        .isTrue();
    exporter.shutdown().join(10, TimeUnit.SECONDS);

    assertThat(first.resolve("traces.jsonl")).exists();
    assertThat(second).doesNotExist();
  }
}
