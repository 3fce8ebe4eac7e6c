package dev.otelretention.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.exporter.file.OtlpJsonFiles.SkippedLine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing JVM with SIGKILL at random moments, several times over the same directory, then
 * reads everything back: every returned line is a valid OTLP/JSON request, at most one partial line
 * per crash is reported, nothing is duplicated, and interrupted compressions are finished on the
 * next start.
 */
class CrashRecoveryTest {
  private static final int ROUNDS = 4;

  @TempDir Path dir;

  @Test
  void killMinus9LeavesAtMostOnePartialLinePerCrash() throws Exception {
    Random random = new Random(42);
    for (int round = 0; round < ROUNDS; round++) {
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  CrashWriterMain.class.getName(),
                  dir.toString(),
                  "r" + round)
              .redirectErrorStream(true)
              .start();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null && !line.equals("ready")) {
          // skip log output until the child says it is writing
        }
        assertThat(line).as("child started writing").isEqualTo("ready");
        Thread.sleep(150 + random.nextInt(400));
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
    }

    // A last clean start finishes interrupted compressions and then stops.
    OtlpJsonFileSpanExporter exporter =
        (OtlpJsonFileSpanExporter)
            RotatingFileExporters.builder()
                .directory(dir)
                .rotation(
                    RotationPolicy.builder()
                        .maxFileSize(64 * 1024)
                        .maxBackups(1000)
                        .maxAge(Duration.ZERO)
                        .compression(Compression.GZIP)
                        .build())
                .buildSpanExporter();
    FileWorkers.awaitHousekeeping();
    exporter.shutdown();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.endsWith(".tmp"))
          .noneMatch(name -> name.matches("traces-.*-size\\.jsonl"));
    }

    List<String> names;
    List<SkippedLine> skipped;
    try (OtlpJsonFiles.Reader reader = OtlpJsonFiles.open(dir.resolve("traces.jsonl"))) {
      List<OtlpJsonRecord> records = reader.readAll();
      names = TestData.spanNames(records);
      skipped = new ArrayList<>(reader.skipped());
    }
    assertThat(skipped.size()).isLessThanOrEqualTo(ROUNDS);
    for (SkippedLine line : skipped) {
      assertThat(line.reason()).containsAnyOf("partial last line", "malformed JSON");
    }
    Set<String> unique = new HashSet<>(names);
    assertThat(unique).hasSize(names.size());
    for (int round = 0; round < ROUNDS; round++) {
      String prefix = "r" + round + "-";
      List<Long> batches =
          names.stream()
              .filter(n -> n.startsWith(prefix))
              .map(n -> Long.parseLong(n.substring(prefix.length(), n.lastIndexOf('-'))))
              .distinct()
              .toList();
      assertThat(batches).as("round %s wrote batches", round).isNotEmpty();
      for (int i = 0; i < batches.size(); i++) {
        assertThat(batches.get(i))
            .as("batches of round %s are contiguous from 0", round)
            .isEqualTo(i);
      }
    }
  }
}
