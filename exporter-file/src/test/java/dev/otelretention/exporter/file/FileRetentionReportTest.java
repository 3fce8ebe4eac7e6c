package dev.otelretention.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRetentionReportTest {
  @TempDir Path dir;

  @Test
  void countsFilesBytesAndProjectsTheBound() throws Exception {
    RotationPolicy policy = RotationPolicy.builder().maxFileSize(4096).maxBackups(3).build();
    OtlpJsonFileSpanExporter exporter =
        RotatingFileExporters.builder().directory(dir).flushInterval(Duration.ZERO).rotation(policy).buildSpanExporter();
    for (int i = 0; i < 40; i++) {
      exporter.export(TestData.spans("r" + i, 2));
    }
    exporter.shutdown();
    FileWorkers.awaitHousekeeping();
    FileRetentionReport report = FileRetentionReport.of(dir.resolve("traces.jsonl"), policy);
    long onDisk;
    try (var files = Files.list(dir)) {
      onDisk = files.mapToLong(p -> p.toFile().length()).sum();
    }
    assertThat(report.files()).isEqualTo(4);
    assertThat(report.bytes()).isEqualTo(onDisk);
    assertThat(report.projectedBytes()).isEqualTo(4 * 4096);
    assertThat(report.oldest()).isBeforeOrEqualTo(report.newest());
    assertThat(report.newest()).isAfter(Instant.now().minusSeconds(60));
    assertThat(report.toLine()).contains("traces.jsonl").contains("4 files");

    RotationPolicy capped = policy.toBuilder().maxTotalSize(10_000).build();
    assertThat(FileRetentionReport.of(dir.resolve("traces.jsonl"), capped).projectedBytes()).isEqualTo(10_000);
    FileRetentionReport missing = FileRetentionReport.of(dir.resolve("logs.jsonl"), policy);
    assertThat(missing.files()).isZero();
    assertThat(missing.oldest()).isNull();
  }
}
