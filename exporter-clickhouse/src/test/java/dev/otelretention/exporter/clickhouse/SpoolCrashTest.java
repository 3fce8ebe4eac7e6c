package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.query.GenericRecord;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes that export through the spool are killed with SIGKILL at random moments, with
 * ClickHouse up and down; a new process on the same spool delivers every batch whose {@code
 * export()} had succeeded, each span once.
 */
class SpoolCrashTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedBatchArrivesOnceAfterKills() throws Exception {
    ClickHouseFront front = ClickHouseFront.startNew();
    Path spool = dir.resolve("spool");
    Path acknowledged = dir.resolve("acknowledged.txt");
    Random random = new Random(20261124);
    int rounds = 4;
    try {
      for (int round = 0; round < rounds; round++) {
        if (round % 2 == 1) {
          front.stop();
        } else {
          front.start();
        }
        Process child =
            new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    SpoolCrashChild.class.getName(),
                    front.endpoint(),
                    ClickHouseFront.PASSWORD,
                    "crash",
                    spool.toString(),
                    acknowledged.toString(),
                    Long.toString(round * 1_000_000L))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + round + ".log").toFile())
                .start();
        long before = lines(acknowledged);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (lines(acknowledged) < before + 3
            && System.nanoTime() < deadline
            && child.isAlive()) {
          Thread.sleep(20);
        }
        assertThat(child.isAlive()).as("child of round " + round + " is running").isTrue();
        Thread.sleep(100 + random.nextInt(700));
        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      }
      front.start();
      ClickHouseSink sink =
          (ClickHouseSink)
              ClickHouseExporters.builder()
                  .endpoint(front.endpoint())
                  .password(ClickHouseFront.PASSWORD)
                  .database("crash")
                  .buildSink();
      SpanExporter exporter = sink.createSpanExporter(SpoolCrashChild.context(spool));
      assertThat(exporter.flush().join(60, TimeUnit.SECONDS).isSuccess()).isTrue();
      exporter.shutdown().join(10, TimeUnit.SECONDS);

      List<String> batches = Files.readAllLines(acknowledged);
      assertThat(batches.size()).isGreaterThanOrEqualTo(rounds * 3);
      Map<String, Long> stored = new HashMap<>();
      for (GenericRecord row :
          front.query("SELECT SpanName, count() AS n FROM crash.otel_traces GROUP BY SpanName")) {
        stored.put(row.getString("SpanName"), row.getLong("n"));
      }
      List<String> missing = new ArrayList<>();
      for (String batch : batches) {
        for (int i = 0; i < SpoolCrashChild.SPANS_PER_BATCH; i++) {
          if (!stored.containsKey(batch + "-" + i)) {
            missing.add(batch + "-" + i);
          }
        }
      }
      assertThat(missing).as("acknowledged spans that never arrived").isEmpty();
      Set<Long> counts = new HashSet<>(stored.values());
      assertThat(counts).as("every span stored once").containsOnly(1L);
      System.out.printf(
          "spool crash test: %d rounds killed with SIGKILL, %d batches acknowledged (%d spans),"
              + " %d spans stored, 0 missing, 0 stored twice%n",
          rounds, batches.size(), batches.size() * SpoolCrashChild.SPANS_PER_BATCH, stored.size());
    } finally {
      front.stop();
    }
  }

  private static long lines(Path file) throws Exception {
    return Files.exists(file) ? Files.readAllLines(file).size() : 0;
  }
}
