package dev.otelretention.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.otelretention.sink.TelemetrySink;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes that send OTLP through the spool are killed with SIGKILL at random moments, with the
 * receiver up and down; a new process on the same spool delivers every batch whose {@code export()}
 * had succeeded. OTLP has no deduplication: a request in flight at a kill may arrive twice, at most
 * one per kill.
 */
class OtlpSpoolCrashTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedBatchArrivesAfterKills() throws Exception {
    Path spool = dir.resolve("spool");
    Path acknowledged = dir.resolve("acknowledged.txt");
    Random random = new Random(20261130);
    int rounds = 4;
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
      for (int round = 0; round < rounds; round++) {
        if (round % 2 == 1) {
          receiver.stop();
        } else if (round > 0) {
          receiver.start();
        }
        Process child =
            new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    OtlpSpoolCrashChild.class.getName(),
                    receiver.endpoint(),
                    spool.toString(),
                    acknowledged.toString(),
                    Long.toString(round * 1_000_000L))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + round + ".log").toFile())
                .start();
        long before = lines(acknowledged);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
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
      receiver.start();
      TelemetrySink sink = OtlpExporters.builder().endpoint(receiver.endpoint()).buildSink();
      SpanExporter exporter = sink.createSpanExporter(OtlpSpoolCrashChild.context(spool));
      assertThat(exporter.flush().join(60, TimeUnit.SECONDS).isSuccess()).isTrue();
      exporter.shutdown().join(10, TimeUnit.SECONDS);

      List<String> batches = Files.readAllLines(acknowledged);
      assertThat(batches.size()).isGreaterThanOrEqualTo(rounds * 3);
      Map<String, Integer> received = new HashMap<>();
      for (io.opentelemetry.proto.trace.v1.Span span : receiver.spans()) {
        received.merge(span.getName(), 1, Integer::sum);
      }
      List<String> missing = new ArrayList<>();
      for (String batch : batches) {
        for (int i = 0; i < OtlpSpoolCrashChild.SPANS_PER_BATCH; i++) {
          if (!received.containsKey(batch + "-" + i)) {
            missing.add(batch + "-" + i);
          }
        }
      }
      assertThat(missing).as("acknowledged spans that never arrived").isEmpty();
      long twice = received.values().stream().filter(n -> n > 1).count();
      assertThat(received.values()).as("no span arrives more than twice").allMatch(n -> n <= 2);
      assertThat(twice)
          .as("spans sent again: at most the batch in flight at each kill")
          .isLessThanOrEqualTo((long) rounds * OtlpSpoolCrashChild.SPANS_PER_BATCH);
      System.out.printf(
          "OTLP spool crash test: %d rounds killed with SIGKILL, %d batches acknowledged (%d spans),"
              + " %d distinct spans received, 0 missing, %d received twice%n",
          rounds,
          batches.size(),
          batches.size() * OtlpSpoolCrashChild.SPANS_PER_BATCH,
          received.size(),
          twice);
    }
  }

  private static long lines(Path file) throws Exception {
    return Files.exists(file) ? Files.readAllLines(file).size() : 0;
  }
}
