package dev.otelretention.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRetentionReportTest {
  @TempDir Path dir;

  @Test
  void countsFilesBytesAndProjectsTheBound() throws Exception {
    RotationPolicy policy = RotationPolicy.builder().maxFileSize(4096).maxBackups(3).build();
    OtlpJsonFileSpanExporter exporter =
        (OtlpJsonFileSpanExporter)
            RotatingFileExporters.builder()
                .directory(dir)
                .flushInterval(Duration.ZERO)
                .rotation(policy)
                .buildSpanExporter();
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
    assertThat(report.toLine()).contains("traces.jsonl").contains("4 file(s)");
    Map<String, String> json = new HashMap<>();
    try (JsonParser parser = new JsonFactory().createParser(report.toJson())) {
      assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        json.put(name, parser.getValueAsString());
      }
    }
    assertThat(json)
        .containsEntry("files", "4")
        .containsEntry("bytes", Long.toString(onDisk))
        .containsEntry("projectedBytes", "16384")
        .containsEntry("newest", report.newest().toString())
        .containsEntry("file", dir.resolve("traces.jsonl").toAbsolutePath().toString());

    RotationPolicy capped = policy.toBuilder().maxTotalSize(10_000).build();
    assertThat(FileRetentionReport.of(dir.resolve("traces.jsonl"), capped).projectedBytes())
        .isEqualTo(10_000);
    FileRetentionReport missing = FileRetentionReport.of(dir.resolve("logs.jsonl"), policy);
    assertThat(missing.files()).isZero();
    assertThat(missing.oldest()).isNull();
    assertThat(missing.toJson()).contains("\"oldest\":null");
  }
}
