package dev.otelretention.exporter.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.query.GenericRecord;
import dev.otelretention.TelemetryRetention;
import dev.otelretention.config.EnvironmentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash-loss window: an application on the PRODUCTION profile (10 s batch timeout) with the
 * spool is killed with SIGKILL three times, once while ClickHouse is down. What it loses is what
 * ended within the spool's persist interval (1 s) before the kill, not a batch timeout's worth;
 * nothing is stored twice.
 */
class CrashWindowTest {
  @TempDir Path dir;

  @Test
  void aKilledProcessLosesAtMostWhatEndedWithinThePersistInterval() throws Exception {
    ClickHouseFront front = ClickHouseFront.startNew();
    Path spool = dir.resolve("spool");
    Path ended = dir.resolve("ended.txt");
    Map<String, Long> killedAt = new HashMap<>();
    Random random = new Random(20261130);
    try {
      for (int round = 0; round < 3; round++) {
        if (round == 1) {
          front.stop();
        } else {
          front.start();
        }
        String prefix = "r" + round;
        Process child =
            new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    CrashWindowChild.class.getName(),
                    front.endpoint(),
                    ClickHouseFront.PASSWORD,
                    "window",
                    spool.toString(),
                    ended.toString(),
                    prefix)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + round + ".log").toFile())
                .start();
        // run until it has ended 600 spans of this round (6 s at its rate), then kill it at a
        // random moment
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (endedIn(ended, prefix) < 600 && System.nanoTime() < deadline && child.isAlive()) {
          Thread.sleep(50);
        }
        Thread.sleep(random.nextInt(1000));
        assertThat(child.isAlive()).as("child of round " + round + " is running").isTrue();
        child.destroyForcibly();
        killedAt.put(prefix, System.currentTimeMillis());
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      }
      front.start();
      // the next start sends what the killed processes spooled
      try (TelemetryRetention next =
          TelemetryRetention.builder()
              .config(
                  EnvironmentConfig.of(
                      CrashWindowChild.environment(
                          front.endpoint(), ClickHouseFront.PASSWORD, "window", spool)))
              .closeOnJvmShutdown(false)
              .build()) {
        assertThat(next.flush(Duration.ofSeconds(60))).isTrue();
      }
      Map<String, Long> stored = new HashMap<>();
      for (GenericRecord row :
          front.query(
              "SELECT SpanName, count() AS n FROM window.otel_traces WHERE ServiceName = 'crash-window' GROUP BY SpanName")) {
        stored.put(row.getString("SpanName"), row.getLong("n"));
      }
      long produced = 0;
      List<Long> lostAges = new ArrayList<>();
      for (String line : Files.readAllLines(ended)) {
        String[] fields = line.split(" ");
        if (fields.length != 2) {
          continue; // the line the kill cut short: its span may or may not have been persisted
        }
        produced++;
        if (!stored.containsKey(fields[0])) {
          String prefix = fields[0].substring(0, fields[0].indexOf('-'));
          lostAges.add(killedAt.get(prefix) - Long.parseLong(fields[1]));
        }
      }
      long window = lostAges.stream().mapToLong(Long::longValue).max().orElse(0);
      System.out.printf(
          "crash window test: 3 SIGKILLs (one during a ClickHouse outage), %d spans ended, %d stored,"
              + " %d lost, the oldest lost ended %d ms before its kill; %d stored twice%n",
          produced,
          stored.size(),
          lostAges.size(),
          window,
          stored.values().stream().filter(n -> n > 1).count());
      assertThat(stored.values()).as("nothing stored twice").allMatch(n -> n == 1);
      // without the short persist interval a kill loses up to the 10 s batch timeout (1,000 spans
      // at this rate);
      // the bound leaves room for a busy machine delaying the batch processor's thread
      assertThat(window).as("oldest lost span's age at the kill, ms").isLessThan(3_000);
      assertThat(lostAges.size()).isLessThan(3 * 300);
    } finally {
      front.stop();
    }
  }

  private static long endedIn(Path file, String prefix) throws Exception {
    if (!Files.exists(file)) {
      return 0;
    }
    return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix + "-")).count();
  }
}
